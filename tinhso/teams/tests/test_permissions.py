"""Every role × every action of the teams module. A refused action changes nothing."""

import pytest
from django.test import TestCase

from tinhso.accounts.testing import role_holder
from tinhso.core.testing import ROLES, RoleMatrix, api_client, cast_on, web_client
from tinhso.scoring.models import Evaluation
from tinhso.teams import services
from tinhso.teams.models import Activity, ActivityType, Member, Team
from tinhso.units.testing import make_unit

from .conftest import criterion, make_index
from .test_api import workbook

READERS = set(ROLES) - {"citizen"}
PROVINCE = {"province_admin", "dx_centre_staff"}
COMMUNE = PROVINCE | {"district_officer", "commune_officer"}
MATRIX = RoleMatrix(
    {
        "see_the_village_team": READERS,
        "see_its_members": READERS,
        "record_for_own_village": COMMUNE | {"village_team_leader"},
        "record_for_another_commune_s_village": PROVINCE | {"district_officer"},  # Yên Hợp is in Văn Yên too
        "record_for_the_commune_team": COMMUNE,
        "add_a_member": COMMUNE,
        "found_a_team": COMMUNE,
        "import_members": COMMUNE,
        "configure_the_catalogue": PROVINCE,
        "see_rankings": READERS - {"party_cell_secretary"},
        "verify_a_village_team": COMMUNE,
        "verify_a_commune_team": PROVINCE,
        "compute_scores": PROVINCE,
        "report_on_the_commune": COMMUNE | {"department_staff"},
    }
)
DAY = "2024-05-06"


@pytest.fixture
def matrix_world(world):
    world.spare = make_unit(world.tree.xuan_ai, "04441-03", "Thừa", "thon")
    for level, verifier in (("village", "commune"), ("commune", "province")):
        index = make_index(level, world.tree.yen_bai, verifying_level=verifier)
        criterion(index, "1", "activities", steps=[(1, 10)])
        services.evaluate_teams(level, "2024", actor=None)
    return world


def evaluation_of(team):
    return Evaluation.objects.get(subject_id=team.pk, period="2024")


def post_activity(client, team, key):
    payload = {"team": team.pk, "activity_type": "vneid", "date": DAY, "people_reached": 3}
    return client.post("/api/v1/teams/activities/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


def perform(action, user, w):
    """(allowed?, unchanged?) for the action done by `user` through the pages or the API."""
    api, web = api_client(user), web_client(user)
    if action == "see_the_village_team":
        return api.get(f"/api/v1/teams/{w.khe_dua.pk}/").status_code == 200, True
    if action == "see_its_members":
        response = api.get("/api/v1/teams/members/", {"within": "04441-01", "as_of": DAY})
        return response.status_code == 200 and response.json()["count"] > 0, True
    if action.startswith("record_for"):
        team = {"record_for_own_village": w.khe_dua, "record_for_the_commune_team": w.xuan_ai}.get(action, w.dong_tam)
        before = Activity.objects.count()
        return post_activity(api, team, action).status_code == 201, Activity.objects.count() == before
    if action == "add_a_member":
        before = Member.objects.count()
        web.post(
            f"/teams/{w.na_hau.pk}/members/add/",
            {"full_name": "Lý Thị Mai", "gender": "female", "ethnicity": "09", "role": "member", "joined_on": DAY},
        )
        return Member.objects.count() == before + 1, Member.objects.count() == before
    if action == "found_a_team":
        data = {
            "unit_code": "04441-03",
            "decision_number": "3/QĐ-UBND",
            "founded_on": DAY,
            "decision_signer": "Chủ tịch UBND xã",
        }
        web.post("/teams/add/", data)
        created = Team.objects.filter(unit=w.spare).exists()
        return created, not created
    if action == "import_members":
        before = Member.objects.count()
        upload = workbook([("04441-02", "Lý Thị Mai", "0971000001", "Nữ", "Dao", 1990, "Thành viên")])
        with TestCase.captureOnCommitCallbacks(execute=True):  # an import is a job run at commit
            status = api.post("/api/v1/teams/members/import/", {"file": upload}, format="multipart").status_code
        return status == 202 and Member.objects.count() == before + 1, Member.objects.count() == before
    if action == "configure_the_catalogue":
        web.post("/teams/activity-types/add/", {"code": "moi", "name": "Mới", "order": 1, "is_active": "on"})
        created = ActivityType.objects.filter(code="moi").exists()
        return created, not created
    if action == "see_rankings":
        return web.get("/teams/rankings/").status_code == 200, True
    if action.startswith("verify"):
        evaluation = evaluation_of(w.khe_dua if action == "verify_a_village_team" else w.xuan_ai)
        web.post(f"/scoring/evaluations/{evaluation.pk}/verify/", {"note": ""})
        status = Evaluation.objects.get(pk=evaluation.pk).status
        return status == "verified", status == "draft"
    if action == "compute_scores":
        response = web.post("/teams/rankings/compute/", {"level": "village", "period": "2024"})
        return response.status_code == 302, True
    if action == "report_on_the_commune":
        response = web.get("/teams/reports/", {"commune": "04441", "period": "2024Q2", "as_of": DAY})
        return response.status_code == 200 and response.context.get("report") is not None, True
    raise AssertionError(action)


@MATRIX.cells
def test_permission_matrix(matrix_world, role, action):
    # The team's party cell secretary is Khe Dứa's, like its leader.
    user = role_holder(role, cast_on(matrix_world.tree, party_cell_secretary="khe_dua")[role])
    done, unchanged = perform(action, user, matrix_world)
    MATRIX.check(role, action, done, unchanged)
