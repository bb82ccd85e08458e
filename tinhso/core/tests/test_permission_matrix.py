"""Every role × the change log (API and page), the jobs API, and the matrix helper itself."""

import pytest
from django.contrib.contenttypes.models import ContentType

from tinhso.accounts.testing import users_by_role
from tinhso.core.context import acting_as
from tinhso.core.models import Job, ObjectChange
from tinhso.core.testing import ALL, READ, ApiMatrix, PageMatrix, database_state
from tinhso.units import services
from tinhso.units.models import Unit
from tinhso.units.testing import make_unit

pytestmark = pytest.mark.django_db
LOG_READERS = ("province_admin", "dx_centre_staff", "district_officer", "commune_officer")
_codes = iter(range(10, 99))


@pytest.fixture
def users(tree):
    return users_by_role(
        {
            "province_admin": tree.yen_bai,
            "dx_centre_staff": tree.yen_bai,
            "department_staff": tree.yen_bai,
            "district_officer": tree.van_yen,
            "commune_officer": tree.xuan_ai,
            "village_team_leader": tree.khe_dua,
            "party_cell_secretary": tree.na_hau,
            "citizen": tree.xuan_ai,
        }
    )


def change_in(unit):
    """The change log entry of a village of `unit` whose household count was corrected."""
    village = make_unit(unit, f"{unit.code}-{next(_codes)}", "Thôn Mới", "thon")
    with acting_as(None, source="test"):
        services.update_unit(village, actor=None, changes={"households": 75})
    return ObjectChange.objects.filter(
        object_type=ContentType.objects.get_for_model(Unit), object_id=village.pk, action="update"
    ).get()


def test_the_change_log_of_a_commune_is_read_by_its_administrators_and_written_by_nobody(tree, users):
    matrix = ApiMatrix(
        "/api/v1/changes/", ObjectChange, make=lambda: change_in(tree.xuan_ai), update={"object_repr": "x"}
    )
    matrix.check(users, {role: set(READ) for role in LOG_READERS})


def test_the_change_log_of_another_district_is_out_of_the_district_officers_reach(tree, users):
    matrix = ApiMatrix("/api/v1/changes/", ObjectChange, make=lambda: change_in(tree.khanh_hoa))
    matrix.check(users, {role: set(READ) for role in ("province_admin", "dx_centre_staff")})


def test_the_change_log_page_follows_the_same_matrix(tree, users):
    matrix = PageMatrix(
        "/changes/",
        lambda change: f"/changes/?object_type=units.unit&object_id={change.object_id}",
        make=lambda: change_in(tree.xuan_ai),
        shows=lambda change: change.object_repr,
    )
    seen = {"list", "detail"}
    expected = dict.fromkeys(LOG_READERS, seen)
    # The page answers 200 with an empty list to everyone else (nothing of theirs changed): "detail" is the page.
    expected |= {role: {"detail"} for role in users if role not in LOG_READERS}
    matrix.check(users, expected)


def test_people_see_only_the_jobs_they_started(tree, users):
    def make():
        return Job.objects.create(kind="units.import_villages", title="Nhập thôn", created_by=users["commune_officer"])

    ApiMatrix("/api/v1/jobs/", Job, make=make).check(users, {"commune_officer": set(READ)})


def test_a_refusal_that_changed_the_data_is_reported(tree, users):
    """The helper itself: a write that answers 403 but wrote anyway is caught."""

    class Leaky(ApiMatrix):
        def outcome(self, user, action):
            before = database_state(Unit)
            make_unit(tree.xuan_ai, f"04441-{next(_codes)}", "Thôn Lén", "thon")
            return database_state(Unit) != before, "403 but changed the data"

    matrix = Leaky("/api/v1/units/", Unit, make=lambda: tree.khe_dua, create={}, update={})
    with pytest.raises(AssertionError, match="citizen create: refused expected, got 403 but changed the data"):
        matrix.check({"citizen": users["citizen"]}, {}, actions={"create"})
    assert ALL >= READ
