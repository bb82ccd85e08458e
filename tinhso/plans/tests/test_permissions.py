"""Every role × every action of the module; a refused action changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.plans import services
from tinhso.plans.choices import ValueType
from tinhso.plans.models import DataValue, Report, Task, TaskUpdate
from tinhso.plans.testing import make_data_set, make_plan, report
from tinhso.units.models import Organisation

ROLES = {
    "province_admin": "yen_bai",
    "dx_centre_staff": "yen_bai",
    "department_staff": "yen_bai",
    "district_officer": "van_yen",
    "commune_officer": "xuan_ai",
    "village_team_leader": "khe_dua",
    "party_cell_secretary": "na_hau",
    "citizen": "xuan_ai",
}
A, X, D, V, C, L = (
    "province_admin",
    "dx_centre_staff",
    "department_staff",
    "district_officer",
    "commune_officer",
    "village_team_leader",
)
ALLOWED = {
    "view_commune_dashboard": {A, X, D, V, C},
    "enter_commune_values": {A, X, V, C},
    "submit_commune_report": {A, X, V, C},
    "approve_village_report": {A, X, V, C},
    "approve_commune_report": {A, X, V},
    "add_task_to_province_plan": {A, X},
    "report_progress_on_department_task": {A, X, D},
    "import_commune_values": {A, X, V, C},
    "enter_village_values": {A, X, V, C, L},
}


@pytest.fixture
def world(tree):
    department = Organisation.objects.create(name="Sở Khoa học và Công nghệ", kind="department", unit=tree.yen_bai)
    communes = make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    villages = make_data_set("THON_NAM", "year", "village", [("CO_5G", "Có sóng 5G", ValueType.BOOLEAN)])
    plan = make_plan(tree.yen_bai)
    task = services.create_task(
        actor=None,
        data={
            "plan": plan,
            "title": "Hỗ trợ doanh nghiệp chuyển đổi số",
            "owner_organisation": department,
            "responsible_person": "Ông Nguyễn Thúc Mạnh",
            "start_date": datetime.date(2024, 4, 1),
            "due_date": datetime.date(2024, 11, 30),
            "expected_output": "200 doanh nghiệp dùng nền tảng số",
            "budget_vnd": 300_000_000,
            "budget_source": "provincial",
            "staffing": "3 cán bộ",
        },
    )
    return {
        "tree": tree,
        "department": department,
        "plan": plan,
        "task": task,
        "commune_draft": report(communes, tree.xuan_ai, "2024", {"THON": 10}, status="draft"),
        "commune_submitted": report(communes, tree.xuan_ai, "2023", {"THON": 10}, status="submitted"),
        "village_draft": report(villages, tree.khe_dua, "2024", {"CO_5G": "false"}, status="draft"),
        "village_submitted": report(villages, tree.khe_dua, "2023", {"CO_5G": "true"}, status="submitted"),
    }


def _user(world, role):
    tree = world["tree"]
    extra = {"organisation": world["department"]} if role == "department_staff" else {}
    return make_user(role, getattr(tree, ROLES[role]), include_descendants=role != "citizen", **extra)


def view_commune_dashboard(world, user):
    response = web_client(user).get(f"/plans/units/{world['tree'].xuan_ai.pk}/", {"as_of": "2024-12-31"})
    return response.status_code == 200


def enter_commune_values(world, user):
    return services.save_report_values(world["commune_draft"], {"THON": ("12", "")}, actor=user) is not None


def enter_village_values(world, user):
    return services.save_report_values(world["village_draft"], {"CO_5G": ("có", "")}, actor=user) is not None


def submit_commune_report(world, user):
    return services.submit_report(world["commune_draft"], actor=user) is not None


def approve_village_report(world, user):
    return services.approve_report(world["village_submitted"], actor=user) is not None


def approve_commune_report(world, user):
    return services.approve_report(world["commune_submitted"], actor=user) is not None


def add_task_to_province_plan(world, user):
    return (
        services.create_task(actor=user, data={"plan": world["plan"], "title": "Việc mới"}, publish=False) is not None
    )


def report_progress_on_department_task(world, user):
    return (
        services.post_task_update(world["task"], actor=user, progress=50, note="Đã hỗ trợ 100 doanh nghiệp") is not None
    )


def import_commune_values(world, user):
    payload = {"dataValues": [{"dataElement": "THON", "period": "2022", "orgUnit": "04441", "value": "9"}]}
    client = api_client(user)
    with TestCase.captureOnCommitCallbacks(execute=True):  # an import is a job: 202, then the job runs
        response = client.post("/api/v1/datavaluesets/", payload, format="json")
    return response.status_code == 202 and client.get(response["Location"]).json()["status"] == "succeeded"


ACTIONS = {name: globals()[name] for name in ALLOWED}
NOTHING_CHANGED = {
    "view_commune_dashboard": lambda world: True,
    "enter_commune_values": lambda world: DataValue.objects.get(report=world["commune_draft"]).value == "10",
    "enter_village_values": lambda world: DataValue.objects.get(report=world["village_draft"]).value == "false",
    "submit_commune_report": lambda world: Report.objects.get(pk=world["commune_draft"].pk).status == "draft",
    "approve_village_report": lambda world: Report.objects.get(pk=world["village_submitted"].pk).status == "submitted",
    "approve_commune_report": lambda world: Report.objects.get(pk=world["commune_submitted"].pk).status == "submitted",
    "add_task_to_province_plan": lambda world: Task.objects.count() == 1,
    "report_progress_on_department_task": lambda world: not TaskUpdate.objects.exists(),
    "import_commune_values": lambda world: not DataValue.objects.filter(period="2022").exists(),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ALLOWED))
def test_each_role_may_do_exactly_what_it_is_granted(world, role, action):
    try:
        done = ACTIONS[action](world, _user(world, role))
    except PermissionDenied:
        done = False
    assert done == (role in ALLOWED[action])
    if not done:
        assert NOTHING_CHANGED[action](world), f"{role} was refused “{action}” yet something changed"
