from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HANDLE = (
    "view_report",
    "change_report",
    "answer_report",
    "transfer_report",
    "view_reportevent",
    "view_photo",
    "view_servicecategory",
    "view_routingrule",
)
CATALOGUE = ("add_servicecategory", "change_servicecategory", "add_routingrule", "change_routingrule")
OWN_CATALOGUE = ("add_servicecategory", "change_servicecategory")
HOLIDAYS = ("view_holiday", "add_holiday", "change_holiday", "delete_holiday")


def _names(*codenames: str) -> list[str]:
    return [f"feedback.{codename}" for codename in codenames]


class FeedbackConfig(AppConfig):
    name = "tinhso.feedback"
    label = "feedback"
    verbose_name = _("Citizen reports")

    def ready(self):
        from tinhso.accounts.roles import Role, grant
        from tinhso.core.notifications import register_kind
        from tinhso.work.sources import register

        from . import jobs, tasks  # noqa: F401  (register the photo job and its retry)

        # Filing needs no permission: any signed-in person (a citizen, an official) may send a report. The
        # offices handle the reports routed to their unit; the DX centre keeps the catalogue and the holidays.
        # A commune officer keeps their commune's own categories (on the categories page; scope: their unit);
        # a district officer, who may appoint commune officers, those of the district's communes.
        grant(Role.COMMUNE_OFFICER, *_names(*HANDLE, *OWN_CATALOGUE, "view_statistics", "assist_report"))
        grant(Role.DISTRICT_OFFICER, *_names(*HANDLE, *OWN_CATALOGUE, "view_statistics", "assist_report"))
        grant(Role.DEPARTMENT_STAFF, *_names(*HANDLE, "view_statistics"))
        grant(Role.DX_CENTRE_STAFF, *_names(*HANDLE, *CATALOGUE, *HOLIDAYS, "view_statistics"))
        grant(Role.VILLAGE_TEAM_LEADER, *_names("assist_report"))
        register_kind("feedback.status", _("Your citizen report changed"))
        register_kind("feedback.question", _("An office asks about your citizen report"))
        register_kind("feedback.transferred", _("A citizen report was transferred to your office"))
        register_kind("feedback.photo_failed", _("A photo of a citizen report could not be processed"))
        register(
            "citizen_report", _("Citizen report"), "feedback.Report", link=lambda report: report.get_absolute_url()
        )
        self._register_pages()

    def _register_pages(self):
        from tinhso.core.registry import HomeCard, MenuItem, demo, home, menu

        from .demo import describe_demo, seed_feedback
        from .home import feedback_card

        menu.add(MenuItem(_("Citizen reports"), "feedback:home", order=35))
        home.add(HomeCard("feedback", feedback_card, "feedback/home/_card.html", order=25))
        demo.add("feedback", seed_feedback, order=98, describe=describe_demo)
