from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

READ_DEFINITIONS = ("plans.view_dataelement", "plans.view_dataset", "plans.view_indicator", "plans.view_validationrule")
READ_PLANS = ("plans.view_plan", "plans.view_target", "plans.view_task", "plans.view_taskupdate")
READ_REPORTS = ("plans.view_report", "plans.view_datavalue", "plans.view_evidence")
ENTER_REPORTS = (
    "plans.change_report",
    "plans.submit_report",
    "plans.add_datavalue",
    "plans.change_datavalue",
    "plans.delete_datavalue",
    "plans.add_evidence",
    "plans.delete_evidence",
)
LOCAL_PLANNING = (
    "plans.add_plan",
    "plans.change_plan",
    "plans.add_target",
    "plans.change_target",
    "plans.delete_target",
    "plans.add_task",
    "plans.change_task",
    "plans.publish_task",
    "plans.add_taskupdate",
)
LOCAL_OFFICER = (
    *READ_DEFINITIONS,
    *READ_PLANS,
    *READ_REPORTS,
    *ENTER_REPORTS,
    *LOCAL_PLANNING,
    "plans.add_report",
    "plans.approve_report",
)


def grant_roles() -> None:
    from tinhso.accounts.roles import Role, grant

    grant(Role.DX_CENTRE_STAFF, "plans.*")
    grant(Role.DEPARTMENT_STAFF, *READ_DEFINITIONS, *READ_PLANS, *READ_REPORTS, "plans.add_taskupdate")
    grant(Role.DEPARTMENT_STAFF, "plans.add_evidence")
    grant(Role.DISTRICT_OFFICER, *LOCAL_OFFICER)
    grant(Role.COMMUNE_OFFICER, *LOCAL_OFFICER)
    grant(Role.VILLAGE_TEAM_LEADER, *READ_DEFINITIONS, *READ_REPORTS, *ENTER_REPORTS, "plans.view_task")
    grant(Role.PARTY_CELL_SECRETARY, *READ_DEFINITIONS, *READ_PLANS)


class PlansConfig(AppConfig):
    name = "tinhso.plans"
    label = "plans"
    verbose_name = _("Plans and indicators")

    def ready(self):
        from tinhso.core.registry import HomeCard, MenuItem, demo, home, menu
        from tinhso.scoring import inputs
        from tinhso.scoring.choices import Source

        from . import jobs, tasks  # noqa: F401  (register the import job and the daily schedule)
        from .demo import seed_plans
        from .home import plans_card
        from .notices import register_kinds
        from .scoring_inputs import indicator_inputs

        inputs.register(Source.INDICATOR, indicator_inputs)  # teams' criteria fed by plan indicators

        grant_roles()
        register_kinds()
        menu.add(MenuItem(_("Dashboard"), "plans:dashboard", permission="plans.view_indicator", order=20))
        menu.add(MenuItem(_("Plans and tasks"), "plans:task_list", permission="plans.view_task", order=22))
        menu.add(MenuItem(_("Reports"), "plans:report_list", permission="plans.view_report", order=24))
        menu.add(MenuItem(_("Due and overdue"), "plans:inbox", permission="plans.view_task", order=26))
        demo.add("plans", seed_plans, order=40)
        home.add(HomeCard("plans", plans_card, "plans/home/_card.html", order=20))
        _register_as_work_source()


def _register_as_work_source() -> None:
    """A unit-level plan task can be broken down into personal work items that roll up (tinhso.work)."""
    from tinhso.work.sources import register

    register("plan_task", _("Plan task"), "plans.Task", link=lambda task: task.get_absolute_url())

    # A body's head is scored on the plan tasks the body leads, too (Decree 335/2025).
    from tinhso.work.unit_results import register as register_unit_results

    from .work_results import plan_task_results

    register_unit_results("plan_tasks", _("Plan tasks of the body"), plan_task_results)
