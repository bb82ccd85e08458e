"""Every role × the change log (API and page), the jobs API, and the matrix helper itself."""

import pytest
from django.contrib.contenttypes.models import ContentType

from tinhso.accounts.testing import users_by_role
from tinhso.core.context import acting_as
from tinhso.core.models import Job, ObjectChange
from tinhso.core.testing import (
    ALL,
    READ,
    ROLES,
    ApiMatrix,
    PageMatrix,
    RoleMatrix,
    assert_statuses,
    cast_on,
    database_state,
    expected_statuses,
)
from tinhso.units import services
from tinhso.units.models import Unit
from tinhso.units.testing import make_unit

pytestmark = pytest.mark.django_db
LOG_READERS = ("province_admin", "dx_centre_staff", "district_officer", "commune_officer")
_codes = iter(range(10, 99))


@pytest.fixture
def users(tree):
    return users_by_role(cast_on(tree))


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


def test_a_role_matrix_names_every_cell_and_catches_a_refusal_that_changed_data():
    matrix = RoleMatrix({"rename_village": {"commune_officer"}}, roles=("commune_officer", "citizen"))
    assert [mark.args[1] for mark in [matrix.cells]] == [
        [("rename_village", "commune_officer"), ("rename_village", "citizen")]
    ]
    matrix.check("commune_officer", "rename_village", done=True)
    matrix.check("citizen", "rename_village", done=False, unchanged=True)
    with pytest.raises(AssertionError, match="a refused rename_village by citizen changed data"):
        matrix.check("citizen", "rename_village", done=False, unchanged=False)
    with pytest.raises(AssertionError, match="citizen must not be able to rename_village"):
        matrix.check("citizen", "rename_village", done=True)


def test_statuses_are_compared_for_every_role_at_once():
    expected = expected_statuses(ROLES, {"province_admin"}, refused={403, 404}, citizen=302)
    assert (
        expected["province_admin"] == 200 and expected["citizen"] == 302 and expected["commune_officer"] == {403, 404}
    )
    assert_statuses({"province_admin": 200, "commune_officer": 404, "citizen": 302}, expected)
    with pytest.raises(AssertionError, match="commune_officer: 200 expected, got 403"):
        assert_statuses({"commune_officer": 403}, {"commune_officer": 200})
