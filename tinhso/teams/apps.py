from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

READ = ("view_team", "view_member", "view_person", "view_activity", "view_evidence", "view_activitytype")
RECORD = ("add_activity", "change_activity", "delete_activity", "add_evidence")
MANAGE = ("add_team", "change_team", "add_member", "change_member", "delete_member", "add_person", "change_person")


def _names(*codenames: str) -> list[str]:
    return [f"teams.{codename}" for codename in codenames]


class TeamsConfig(AppConfig):
    name = "tinhso.teams"
    label = "teams"
    verbose_name = _("Community DX teams")

    def ready(self):
        from tinhso.accounts.roles import Role, grant
        from tinhso.core.registry import HomeCard, MenuItem, demo, home, menu

        from . import continuity, jobs, tasks  # noqa: F401  (registers the jobs and the nightly scoring)
        from .demo import seed_teams
        from .home import teams_card

        grant(Role.DX_CENTRE_STAFF, "teams.*")
        grant(Role.DEPARTMENT_STAFF, *_names(*READ))
        # Districts (before the 2025 reform) look after their communes: they hold what they may hand out.
        local = _names(*READ, *RECORD, *MANAGE, "import_member")
        grant(Role.DISTRICT_OFFICER, *local)
        grant(Role.COMMUNE_OFFICER, *local)
        grant(Role.VILLAGE_TEAM_LEADER, *_names(*READ, *RECORD))
        grant(Role.PARTY_CELL_SECRETARY, *_names(*READ))
        menu.add(MenuItem(_("DX teams"), "teams:dashboard", permission="teams.view_team", order=30))
        menu.add(MenuItem(_("Record an activity"), "teams:activity_start", permission="teams.add_activity", order=31))
        demo.add("teams", seed_teams, order=50)
        continuity.connect()  # teams follow their unit's end and successor after a reorganisation
        home.add(HomeCard("teams", teams_card, "teams/home/_card.html", order=10))
