from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

WORK = (
    "work.view_workitem",
    "work.add_workitem",
    "work.change_workitem",
    "work.accept_workitem",
    "work.view_workcomment",
    "work.add_workcomment",
    "work.view_workevidence",
    "work.add_workevidence",
    "work.view_staffmember",
    "work.view_product",
    "work.view_conversionfactor",
    "work.view_jobposition",
    "work.view_positionnorm",
    "work.view_kpirules",
)
EVALUATION = (
    "work.view_monthlyreview",
    "work.change_monthlyreview",
    "work.view_yeargrade",
    "work.change_yeargrade",
    "work.view_appeal",
    "work.add_appeal",
    "work.change_appeal",
)
CATALOGUE = (
    "work.add_product",
    "work.change_product",
    "work.add_conversionfactor",
    "work.add_jobposition",
    "work.add_positionnorm",
)


class WorkConfig(AppConfig):
    name = "tinhso.work"
    label = "work"
    verbose_name = _("Work and staff evaluation")

    def ready(self):
        from tinhso.accounts.roles import Role, grant
        from tinhso.core.notifications import register_kind
        from tinhso.core.registry import MenuItem, demo, menu
        from tinhso.scoring.privacy import keep_private

        from . import tasks  # noqa: F401  (registers the reminders)
        from .demo import seed_work

        # Officials of a commune, a district or the DX centre track and evaluate their own bodies' work;
        # who sees whose scores is narrower still (evaluation.visible_staff_ids).
        for role in (Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.DX_CENTRE_STAFF):
            grant(role, *WORK, *EVALUATION, *CATALOGUE)
        keep_private("work.staff")
        register_kind("work.due_soon", _("Work due soon"))
        register_kind("work.overdue", _("Work overdue"))
        register_kind("work.appeal_filed", _("Evaluation appeal filed"))
        register_kind("work.appeal_decided", _("Evaluation appeal decided"))
        menu.add(MenuItem(_("My work"), "work:inbox", permission="work.view_workitem", order=15))
        menu.add(
            MenuItem(_("Evaluation and grades"), "work:evaluation_home", permission="work.view_monthlyreview", order=16)
        )
        demo.add("work", seed_work, order=95)
