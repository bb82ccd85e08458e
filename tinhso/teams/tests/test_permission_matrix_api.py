"""Every role × list/detail/create on the teams API (the shared matrix helper of tinhso.core.testing)."""

import datetime
import itertools

import pytest

from tinhso.accounts.testing import users_by_role
from tinhso.core.testing import READ, ApiMatrix, cast_on
from tinhso.teams.models import Activity, Team
from tinhso.units.testing import make_unit

from .conftest import make_team, record

pytestmark = pytest.mark.django_db
PROVINCE = ("province_admin", "dx_centre_staff")
COMMUNE = (*PROVINCE, "district_officer", "commune_officer")
READERS = (*COMMUNE, "department_staff", "village_team_leader", "party_cell_secretary")
_codes = itertools.count(10)


@pytest.fixture
def users(world):
    return users_by_role(cast_on(world.tree, party_cell_secretary="khe_dua"))


def test_who_may_see_a_village_team(world, users):
    def make():
        village = make_unit(world.tree.xuan_ai, f"04441-{next(_codes)}", "Thôn Mới", "thon")
        return make_team(village)

    # Only the village's own leader and secretary are below the commune: a new village is out of their reach.
    expected = {role: set(READ) for role in COMMUNE + ("department_staff",)}
    ApiMatrix("/api/v1/teams/", Team, make=make).check(users, expected)


def test_who_may_record_an_activity_for_the_khe_dua_team(world, users):
    matrix = ApiMatrix(
        "/api/v1/teams/activities/",
        Activity,
        make=lambda: record(world.khe_dua, datetime.date(2024, 5, 6))[0],
        create={"team": world.khe_dua.pk, "activity_type": "vneid", "date": "2024-05-06", "people_reached": 3},
        headers=lambda: {"Idempotency-Key": f"matrix-{next(_codes)}"},
    )
    expected = {role: {"list", "detail", "create"} for role in (*COMMUNE, "village_team_leader")}
    expected |= {role: set(READ) for role in ("department_staff", "party_cell_secretary")}
    matrix.check(users, expected)
