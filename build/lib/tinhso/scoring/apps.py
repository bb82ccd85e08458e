from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "tinhso.scoring"
    label = "scoring"
    verbose_name = _("Scoring and rankings")

    def ready(self):
        from tinhso.accounts.roles import Role, grant
        from tinhso.core.registry import MenuItem, menu

        viewing = (
            "scoring.view_criteriaset",
            "scoring.view_criterion",
            "scoring.view_evaluation",
            "scoring.view_score",
        )
        grant(Role.DX_CENTRE_STAFF, "scoring.*")
        for role in (Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER):
            grant(role, *viewing, "scoring.change_score", "scoring.verify_evaluation")
        for role in (Role.DEPARTMENT_STAFF, Role.VILLAGE_TEAM_LEADER):
            grant(role, *viewing)
        menu.add(
            MenuItem(
                _("Criteria and scores"), "scoring:criteriaset_list", permission="scoring.view_criteriaset", order=70
            )
        )
