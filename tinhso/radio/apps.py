from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

READ = ("view_speakercluster", "view_bulletin", "view_delivery", "view_playevent")
SEND = ("add_bulletin", "change_bulletin", "broadcast_bulletin", "cancel_bulletin")
LOCAL = (
    *READ,
    *SEND,
    "delete_bulletin",
    "add_speakercluster",
    "change_speakercluster",
    "reset_password_speakercluster",
    "view_board",
    "add_board",
    "change_board",
    "delete_board",
    "view_pronunciationentry",
    "add_pronunciationentry",
    "change_pronunciationentry",
    "delete_pronunciationentry",
    "view_communeradiopolicy",
    "add_communeradiopolicy",
    "change_communeradiopolicy",
    "import_cap_bulletin",
)


def _names(*codenames: str) -> list[str]:
    return [f"radio.{codename}" for codename in codenames]


class RadioConfig(AppConfig):
    name = "tinhso.radio"
    label = "radio"
    verbose_name = _("Smart radio")

    def ready(self):
        from tinhso.accounts.roles import Role, grant

        grant(Role.DX_CENTRE_STAFF, "radio.*")
        # District, commune officers (the commune's culture/radio staff hold this role) act on their own unit's
        # subtree; a village head only sends bulletins to the clusters of the village (scope = the village).
        grant(Role.DISTRICT_OFFICER, *_names(*LOCAL))
        grant(Role.COMMUNE_OFFICER, *_names(*LOCAL))
        grant(Role.VILLAGE_TEAM_LEADER, *_names(*READ, *SEND))
        from tinhso.accounts.two_factor import require_for_permission

        require_for_permission("radio.broadcast_bulletin")  # whoever can broadcast can put an emergency on air
        self._register_pages()
        from .notices import register_kinds

        register_kinds()
        from .services.emergency import register_place_actions

        register_place_actions()
        self._register_health()

    def _register_health(self):
        from tinhso.core import health

        from .bridge import HEARTBEAT_LIMIT

        health.register("bridge", health.heartbeat_check("bridge", HEARTBEAT_LIMIT))

        from tinhso.core import metrics as core_metrics

        from . import metrics

        core_metrics.register(metrics.collect)
        self._register_retention()

    def _register_retention(self):
        from tinhso.core import retention

        from .models import Delivery, PlayEvent

        retention.register("radio.play_log", PlayEvent, "at", "PLAY_LOG_RETENTION_DAYS")
        retention.register("radio.deliveries", Delivery, "expires_at", "RADIO_DELIVERY_RETENTION_DAYS")

    def _register_pages(self):
        from tinhso.core.registry import HomeCard, MenuItem, demo, home, menu

        from .demo import seed_radio
        from .home import radio_card

        menu.add(MenuItem(_("Radio"), "radio:bulletin_list", permission="radio.view_bulletin", order=40))
        demo.add("radio", seed_radio, order=60)
        home.add(HomeCard("radio", radio_card, "radio/home/_card.html", order=30))
