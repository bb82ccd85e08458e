"""Hostile input on every plans endpoint ends in a 4xx with a Vietnamese message — never a server error —
and writes nothing: huge integers, wrong types, broken dates and periods, invisible and bidirectional
characters, deep JSON, unknown choices."""

import datetime

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, web_client
from tinhso.plans import services
from tinhso.plans.models import Task, TaskUpdate
from tinhso.plans.testing import make_data_set, make_indicator, report

from .test_permission_matrix import task_data

HUGE = str(2**70)
NEGATIVE_HUGE = str(-(2**70))


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


@pytest.fixture
def world(tree, commune_plan, committee):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    make_indicator("SO_THON", "#{THON}")
    opened = report(data_set, tree.xuan_ai, "2024", {"THON": 10}, status="draft")
    task = services.create_task(actor=None, data=task_data(commune_plan, committee))
    return {"report": opened, "task": task, "plan": commune_plan, "committee": committee}


LIST_FILTERS = [
    ("/api/v1/reports/", {"data_set": HUGE}),
    ("/api/v1/reports/", {"data_set": NEGATIVE_HUGE}),
    ("/api/v1/reports/", {"data_set": "abc"}),
    ("/api/v1/reports/", {"status": "deleted"}),
    ("/api/v1/tasks/", {"plan": HUGE}),
    ("/api/v1/tasks/", {"plan": "1e3"}),
    ("/api/v1/tasks/", {"kind": "<script>"}),
    ("/api/v1/tasks/", {"status": "x" * 5000}),
    ("/api/v1/indicators/", {"pillar": "economy\u202e"}),
    ("/api/v1/datasets/", {"period_type": "decade"}),
    ("/api/v1/dataelements/", {"value_type": "image"}),
]


@pytest.mark.parametrize(("url", "params"), LIST_FILTERS)
def test_a_filter_that_makes_no_sense_is_a_400_naming_it(tree, world, officer, url, params):
    response = api_client(officer).get(url, params, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400, response.content
    assert set(params) & set(response.json())


@pytest.mark.parametrize(
    "params",
    [
        {"page": HUGE},
        {"page": "-1"},
        {"page": "abc"},
        {"page_size": HUGE},
        {"ordering": "password"},
        {"search": "\x00"},
    ],
)
def test_paging_and_searching_oddities_are_never_a_server_error(tree, world, officer, params):
    for url in ("/api/v1/reports/", "/api/v1/tasks/", "/api/v1/plans/", "/api/v1/indicators/"):
        response = api_client(officer).get(url, params)
        assert response.status_code in (200, 400, 404), (url, params, response.status_code)


@pytest.mark.parametrize(
    "path",
    [f"/api/v1/reports/{HUGE}/", f"/api/v1/tasks/{HUGE}/", f"/api/v1/plans/{HUGE}/", "/api/v1/plans/abc/"]
    + [f"/api/v1/reports/{HUGE}/submit/", f"/api/v1/tasks/{HUGE}/progress/", "/api/v1/indicators/KHONG_CO/"],
)
def test_an_identifier_no_row_can_have_is_a_404(tree, world, officer, path):
    client = api_client(officer)
    response = client.post(path, {}, format="json") if path.endswith(("submit/", "progress/")) else client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "04441", "period": "2024Q9"},
        {"unit": "04441", "period": "x" * 300},
        {"unit": "04441", "period": "2024", "as_of": "2024-02-30"},
        {"unit": "04441", "period": "2024", "as_of": "99999-01-01"},
        {"unit": "04441\x00", "period": "2024"},
        {"unit": "", "period": ""},
        {"period": "2024"},
    ],
)
def test_an_indicator_value_asked_wrongly_is_a_4xx(tree, world, officer, params):
    response = api_client(officer).get("/api/v1/indicators/SO_THON/values/", params, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code in (400, 404), response.content


HOSTILE_TASKS = {
    "right-to-left override in the title": {"title": "Phủ sóng \u202e4G"},
    "zero-width space in the title": {"title": "Phủ\u200b sóng 4G"},
    "control character in the person": {"responsible_person": "Bà Hoa\x07"},
    "negative budget": {"budget_vnd": -1},
    "budget beyond 18 digits": {"budget_vnd": "1" + "0" * 30},
    "budget in words": {"budget_vnd": "năm mươi triệu"},
    "a date that does not exist": {"due_date": "2024-02-30"},
    "a date as a number": {"start_date": 20240401},
    "a plan id too large": {"plan": HUGE},
    "a plan as text": {"plan": "Kế hoạch 12"},
    "an organisation as a list": {"owner_organisation": [1, 2]},
    "an unknown kind": {"kind": "wish"},
    "an unknown budget source": {"budget_source": "lottery"},
    "an unknown indicator": {"indicators": ["<script>alert(1)</script>"]},
    "a title far too long": {"title": "x" * 10_000},
}


@pytest.mark.parametrize("case", list(HOSTILE_TASKS))
def test_a_hostile_task_is_a_400_and_nothing_is_created(tree, world, officer, case):
    data = {**task_data(world["plan"], world["committee"], ids=True), **HOSTILE_TASKS[case]}
    data = {key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in data.items()}
    before = Task.objects.count(), ObjectChange.objects.count()
    response = api_client(officer).post("/api/v1/tasks/", data, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400, response.content
    assert (Task.objects.count(), ObjectChange.objects.count()) == before


@pytest.mark.parametrize(
    "body",
    [b"[]", b'"a task"', b"null", b"{" * 3000, b'{"title": ' + b"[" * 3000 + b"]" * 3000 + b"}", b"\xff\xfe"],
    ids=["a-list", "a-string", "null", "cut", "deep", "not-utf8"],
)
def test_a_task_body_that_is_not_an_object_is_a_400(tree, world, officer, body):
    response = api_client(officer).post("/api/v1/tasks/", body, content_type="application/json")
    assert response.status_code == 400
    assert Task.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"progress": "abc", "note": "x"},
        {"progress": HUGE, "note": "x"},
        {"progress": -1, "note": "x"},
        {"progress": 101, "note": "x"},
        {"progress": 50},
        {"progress": 50, "note": "x", "status": "exploded"},
        {"progress": 50, "note": "Đã xong\u202e"},
    ],
)
def test_hostile_progress_is_a_400_and_the_task_is_unchanged(tree, world, officer, data):
    task = world["task"]
    response = api_client(officer).post(f"/api/v1/tasks/{task.pk}/progress/", data, format="json")
    assert response.status_code == 400, response.content
    task.refresh_from_db()
    assert task.progress == 0 and not TaskUpdate.objects.exists()


@pytest.mark.parametrize("reason", ["\u202eSai số", "Sai\x00", "x" * 100_000])
def test_a_hostile_return_reason_is_a_400_and_the_report_stays_approved(tree, reason):
    data_set = make_data_set("THON_NAM", "year", "village", [("HO", "Số hộ")])
    approved = report(data_set, tree.khe_dua, "2024", {"HO": 120})
    officer = make_user("commune_officer", tree.xuan_ai)
    response = api_client(officer).post(f"/api/v1/reports/{approved.pk}/return/", {"reason": reason}, format="json")
    assert response.status_code == 400
    approved.refresh_from_db()
    assert approved.status == "approved"


# --- Pages ------------------------------------------------------------------------------------------

PAGES = [
    "/plans/?period=2024Q9&as_of=2024-02-30",
    "/plans/?plan=abc&indicator=%3Cscript%3E",
    f"/plans/?plan={HUGE}",
    f"/plans/units/{HUGE}/",
    f"/plans/units/{HUGE}/export.xlsx",
    "/plans/indicators/SO_THON/?unit=abc&period=xyz",
    f"/plans/indicators/SO_THON/?unit={HUGE}",
    "/plans/indicators/KHONG_CO/",
    "/plans/datasets/%00/",
    f"/plans/reports/{HUGE}/",
    f"/plans/reports/?data_set={HUGE}&status=bogus&period=%00",
    f"/plans/reports/?data_set={HUGE}&export=csv",
    "/plans/reports/?export=pdf",
    f"/plans/reports/completeness/?unit={HUGE}&data_set=%3Cx%3E&period=2024-13",
    f"/plans/tasks/?plan={HUGE}&overdue=maybe&kind=wish",
    f"/plans/tasks/{HUGE}/",
    f"/plans/plans/{HUGE}/",
    f"/plans/values/{HUGE}/evidence/",
    f"/plans/evidence/{HUGE}/file/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_asked_for_nonsense_answer_without_a_server_error(tree, world, officer, url):
    response = web_client(officer).get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/plans/reports/open/", {"data_set": HUGE, "unit": HUGE, "period": "2024"}),
        ("/plans/reports/open/", {"data_set": "abc", "unit": "", "period": "\u202e2024"}),
        ("/plans/plans/add/", {"unit": HUGE, "number": "1/KH", "title": "x", "issued_on": "2024-02-30"}),
        ("/plans/tasks/add/", {"plan": HUGE, "title": "\u200b", "budget_vnd": "1e40"}),
        ("/plans/score/", {"criteria_set": HUGE, "period": "2024"}),
    ],
)
def test_a_hostile_form_post_shows_the_form_again_and_writes_nothing(tree, world, url, data):
    admin = make_user("province_admin", tree.yen_bai)
    before = ObjectChange.objects.count()
    response = web_client(admin).post(url, data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code in (200, 400)
    assert ObjectChange.objects.count() == before


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_a_decision_posted_on_a_report_out_of_reach_is_a_404(tree, world, decision):
    outsider = make_user("commune_officer", tree.khanh_hoa)
    response = web_client(outsider).post(f"/plans/reports/{world['report'].pk}/{decision}/", {"reason": "x"})
    assert response.status_code == 404
    world["report"].refresh_from_db()
    assert world["report"].status == "draft"


@pytest.mark.parametrize(
    "url",
    ["/api/v1/indicators/?search=%00", "/api/v1/datasets/%00/", "/plans/datasets/%00/", "/plans/reports/?q=a%00b"],
)
def test_a_nul_character_in_the_address_is_a_400_on_every_database(tree, world, officer, url):
    """PostgreSQL cannot compare a text with NUL: such a request is refused before any query."""
    response = (api_client if url.startswith("/api/") else web_client)(officer).get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
