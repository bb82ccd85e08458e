"""Every role × list/detail/create/update/delete on plans' API resources (the shared matrix helper)."""

import datetime
import itertools

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import READ, ApiMatrix, api_client
from tinhso.plans import services
from tinhso.plans.models import Plan, Report, Task
from tinhso.plans.testing import make_data_set, make_plan, report

from .conftest import A, C, D, L, P, V, X

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def task_data(plan, committee, *, ids=False) -> dict:
    return {
        "plan": plan.pk if ids else plan,
        "title": f"Phủ sóng 4G thôn vùng cao {next(_numbers)}",
        "owner_organisation": committee.pk if ids else committee,
        "responsible_person": "Bà Lý Thị Hoa",
        "start_date": datetime.date(2024, 4, 1),
        "due_date": datetime.date(2024, 11, 30),
        "expected_output": "5 thôn có sóng 4G",
        "budget_vnd": 50_000_000,
        "budget_source": "provincial",
        "staffing": "2 cán bộ",
    }


def test_who_may_see_add_and_change_the_tasks_of_a_commune_plan(users, commune_plan, committee):
    def make():
        return services.create_task(actor=None, data=task_data(commune_plan, committee))

    def create():
        data = task_data(commune_plan, committee, ids=True)
        data["start_date"], data["due_date"] = data["start_date"].isoformat(), data["due_date"].isoformat()
        return data

    matrix = ApiMatrix("/api/v1/tasks/", Task, make=make, create=create, update={"responsible_person": "Ông Khác"})
    local = {"list", "detail", "create", "update"}
    # The party cell secretary of Nà Hẩu reads the plans of the village, not the commune's.
    matrix.check(users, {A: local, X: local, V: local, C: local, D: set(READ)})


def test_who_may_see_the_plans(tree, users):
    matrix = ApiMatrix("/api/v1/plans/", Plan, make=lambda: make_plan(tree.xuan_ai, number=f"{next(_numbers)}/KH"))
    # Plans of the units above are readable below (a village carries out the commune's plan): the party cell
    # secretary of Nà Hẩu reads Xuân Ái's plan in the list and on its own.
    matrix.check(users, {role: set(READ) for role in (A, X, D, V, C, P)})


def test_the_province_plan_is_read_by_every_unit_that_carries_it_out(tree, users):
    matrix = ApiMatrix("/api/v1/plans/", Plan, make=lambda: make_plan(tree.yen_bai, number=f"{next(_numbers)}/KH"))
    matrix.check(users, {role: set(READ) for role in (A, X, D, V, C, P)})


def test_a_plan_of_a_sibling_commune_stays_out_of_reach(tree, users):
    matrix = ApiMatrix("/api/v1/plans/", Plan, make=lambda: make_plan(tree.khanh_hoa, number=f"{next(_numbers)}/KH"))
    matrix.check(users, {role: set(READ) for role in (A, X, D)})


def test_plans_above_follow_only_the_roles_that_read_plans(tree):
    """A commune officer of Khánh Hòa who is also a citizen of Khe Dứa does not read Xuân Ái's plans."""
    from tinhso.accounts.models import RoleAssignment

    officer = make_user("commune_officer", tree.khanh_hoa)
    RoleAssignment.objects.create(user=officer, role="citizen", unit=tree.khe_dua, include_descendants=False)
    xuan_ai, district = make_plan(tree.xuan_ai, number="1/KH"), make_plan(tree.luc_yen, number="2/KH")
    client = api_client(officer)
    listed = {row["id"] for row in client.get("/api/v1/plans/").json()["results"]}
    assert listed == {district.pk}
    assert client.get(f"/api/v1/plans/{xuan_ai.pk}/").status_code == 404
    assert client.get(f"/api/v1/plans/{district.pk}/").status_code == 200


def test_who_may_see_the_reports_of_a_village(tree, users):
    data_set = make_data_set("THON_THANG", "month", "village", [("HO", "Số hộ")])
    months = (f"{year}{month:02d}" for year in (2023, 2024) for month in range(1, 13))

    def make():
        return report(data_set, tree.khe_dua, next(months), {"HO": 120}, status="draft")

    matrix = ApiMatrix("/api/v1/reports/", Report, make=make)
    matrix.check(users, {role: set(READ) for role in (A, X, D, V, C, L)})
