from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Officers of a commune or a district oversee and run the bodies of their units (members of a body see its
# meetings through their membership, whatever their role); the DX centre follows the handbook's rollout.
OFFICERS = (
    "meetings.view_body",
    "meetings.add_body",
    "meetings.change_body",
    "meetings.view_meeting",
    "meetings.add_meeting",
    "meetings.change_meeting",
    "meetings.view_cellrollout",
    "meetings.view_partyorganisation",
)
ROLLOUT = (
    "meetings.view_cellrollout",
    "meetings.add_cellrollout",
    "meetings.change_cellrollout",
    "meetings.import_cellrollout",
    "meetings.view_partyorganisation",
)


class MeetingsConfig(AppConfig):
    name = "tinhso.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from tinhso.accounts.roles import Role, grant
        from tinhso.core.notifications import register_kind
        from tinhso.core.registry import HomeCard, MenuItem, demo, home, menu
        from tinhso.work.sources import register

        from . import jobs, tasks  # noqa: F401  (registers the job and the reminders)
        from .access import chairs_decision
        from .demo import describe, seed_meetings
        from .home import meetings_card

        for role in (Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER):
            grant(role, *OFFICERS)
        grant(Role.DX_CENTRE_STAFF, *ROLLOUT)
        register_kind("meetings.notice", _("Meeting notices"), channels=("in_app", "email", "sms", "zalo"))
        register_kind("meetings.unclosed", _("Meetings not closed"))
        register(
            "meeting_decision",
            _("Meeting decision"),
            "meetings.Decision",
            link=lambda decision: decision.get_absolute_url(),
            may_assign=chairs_decision,
        )
        menu.add(MenuItem(_("Meetings"), "meetings:list", order=17))
        home.add(HomeCard("meetings", meetings_card, "meetings/home/_card.html", order=15))
        demo.add("meetings", seed_meetings, order=97, describe=describe)
