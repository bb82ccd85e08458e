"""Demo data of the core: a welcome in every demo account's inbox (page Thông báo)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .notifications import notify


def seed_notifications(stdout=None) -> None:
    people = get_user_model().objects.filter(is_active=True)
    notify(
        people,
        kind="core.announcement",
        subject=_("Welcome to Tỉnh Số"),
        body=_(
            "Messages from the platform arrive here: tasks due soon, reports returned or approved, speaker "
            "clusters offline. Choose under “How I am notified” where else you receive them."
        ),
        url="/notifications/preferences/",
        dedupe_key="welcome",
    )
