"""Every role × the pages of plans: what each person reads (list and detail), which form pages open for
them, and that a form out of reach is refused before it is shown (the shared PageMatrix helper)."""

import itertools

import pytest

from tinhso.core.testing import PageMatrix, assert_statuses, expected_statuses, statuses, web_client
from tinhso.plans import services
from tinhso.plans.choices import ValueType
from tinhso.plans.testing import make_data_set, make_indicator, make_plan, report

from .conftest import A, C, D, L, P, V, X
from .test_permission_matrix import task_data

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)
EVERY_ROLE = (A, X, D, V, C, L, P, "citizen")
READERS_OF_PLANS = {A, X, D, V, C, P}
BOTH = {"list", "detail"}


def months():
    return (f"{year}{month:02d}" for year in range(2020, 2025) for month in range(1, 13))


def link(obj) -> str:
    return f'href="{obj.get_absolute_url()}"'


def test_who_reads_the_reports_of_a_village(tree, users):
    data_set = make_data_set("THON_THANG", "month", "village", [("HO", "Số hộ")])
    periods = months()
    matrix = PageMatrix(
        "/plans/reports/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: report(data_set, tree.khe_dua, next(periods), {"HO": 120}, status="draft"),
        shows=link,
    )
    matrix.check(users, dict.fromkeys((A, X, D, V, C, L), BOTH))


def test_who_reads_the_reports_of_a_commune(tree, users):
    data_set = make_data_set("XA_THANG", "month", "commune", [("HS", "Hồ sơ")])
    periods = months()
    matrix = PageMatrix(
        "/plans/reports/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: report(data_set, tree.xuan_ai, next(periods), {"HS": 12}, status="submitted"),
        shows=link,
    )
    # The team leader of Khe Dứa reads the village's reports, not the commune's.
    matrix.check(users, dict.fromkeys((A, X, D, V, C), BOTH))


def test_a_report_of_another_district_is_read_only_by_the_province(tree, users):
    data_set = make_data_set("XA_THANG", "month", "commune", [("THON", "Số thôn")])
    periods = months()
    matrix = PageMatrix(
        "/plans/reports/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: report(data_set, tree.khanh_hoa, next(periods), {"THON": 7}, status="approved"),
        shows=link,
    )
    matrix.check(users, dict.fromkeys((A, X, D), BOTH))


def test_who_reads_the_tasks_of_a_commune_plan(tree, users, commune_plan, committee):
    matrix = PageMatrix(
        "/plans/tasks/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: services.create_task(actor=None, data=task_data(commune_plan, committee)),
        shows=link,
    )
    matrix.check(users, dict.fromkeys((A, X, D, V, C), BOTH))


@pytest.mark.parametrize(
    ("unit", "readers"),
    [
        ("yen_bai", READERS_OF_PLANS),  # the province's plan is carried out everywhere below
        ("xuan_ai", READERS_OF_PLANS),  # Nà Hẩu carries out Xuân Ái's plan
        ("khanh_hoa", {A, X, D}),  # a commune of the other district
        ("luc_yen", {A, X, D}),
    ],
)
def test_who_reads_a_plan_on_its_page(tree, users, unit, readers):
    matrix = PageMatrix(
        "/plans/plans/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: make_plan(getattr(tree, unit), number=f"{next(_numbers)}/KH-UBND"),
        shows=link,
    )
    matrix.check(users, dict.fromkeys(readers, BOTH))


def test_the_plan_page_and_the_plans_api_agree_for_every_role(tree, users):
    from tinhso.core.testing import api_client

    plans = [
        make_plan(getattr(tree, name), number=f"{name}/KH") for name in ("yen_bai", "van_yen", "xuan_ai", "luc_yen")
    ]
    for role, user in users.items():
        page, api = web_client(user), api_client(user)
        for plan in plans:
            on_page = page.get(plan.get_absolute_url()).status_code == 200
            in_api = api.get(f"/api/v1/plans/{plan.pk}/").status_code == 200
            assert on_page == in_api, f"{role} on {plan.number}: page {on_page}, API {in_api}"


def test_who_reads_the_indicators_and_data_sets(tree, users):
    make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn"), ("CO_5G", "Có 5G", ValueType.BOOLEAN)])
    codes = (f"TL_{number}" for number in itertools.count(1))
    readers = {role: {"list"} for role in (A, X, D, V, C, L, P)}
    indicators = PageMatrix(
        "/plans/indicators/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: make_indicator(next(codes), "#{THON}", name=f"Chỉ tiêu {next(_numbers)}"),
        shows=link,
    )
    # An indicator's own page is a dashboard of the reader's unit: everyone who reads definitions opens it.
    indicators.check(users, dict.fromkeys(readers, BOTH))
    data_sets = PageMatrix(
        "/plans/datasets/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: make_data_set(f"BO_{next(_numbers)}", "year", "commune", [("THON", "Số thôn")]),
        shows=link,
    )
    data_sets.check(users, dict.fromkeys(readers, BOTH))


@pytest.mark.parametrize(
    ("unit", "readers"),
    [
        ("yen_bai", {A, X, D}),
        ("van_yen", {A, X, D, V}),
        ("xuan_ai", {A, X, D, V, C}),
        ("khanh_hoa", {A, X, D}),
    ],
)
def test_who_opens_the_dashboard_of_a_unit(tree, users, unit, readers):
    target = getattr(tree, unit)
    for url in (f"/plans/units/{target.pk}/", f"/plans/units/{target.pk}/export.xlsx"):
        got = statuses(users, url, {"as_of": "2024-12-31", "period": "2024"})
        assert_statuses(got, expected_statuses(users, readers, refused={403, 404}))


# Form pages: who gets the form, who is refused before any form is shown. The services check the unit chosen.
FORMS = {
    "/plans/tasks/add/": {A, X, V, C},
    "/plans/plans/add/": {A, X, V, C},
    "/plans/reports/open/": {A, X, V, C, L},
    "/plans/import/": {A, X, V, C, L},
    "/plans/score/": {A, X},
}


@pytest.mark.parametrize("url", list(FORMS))
def test_a_form_page_opens_only_for_those_who_may_use_it(users, url):
    assert_statuses(statuses(users, url), expected_statuses(users, FORMS[url]))


def test_a_refused_form_post_writes_nothing(tree, users, committee, commune_plan):
    from tinhso.plans.models import Plan, Report, Task

    before = (Plan.objects.count(), Task.objects.count(), Report.objects.count())
    for role in (D, L, P, "citizen"):
        client = web_client(users[role])
        client.post("/plans/plans/add/", {"unit": tree.xuan_ai.pk, "number": "9/KH", "title": "Kế hoạch"})
        client.post("/plans/tasks/add/", {**task_data(commune_plan, committee, ids=True), "publish": "1"})
    assert (Plan.objects.count(), Task.objects.count(), Report.objects.count()) == before


@pytest.mark.parametrize("role", [L, P, "citizen"])
def test_edit_pages_of_a_task_and_a_plan_are_out_of_reach_below(tree, users, committee, commune_plan, role):
    task = services.create_task(actor=None, data=task_data(commune_plan, committee))
    client = web_client(users[role])
    for url in (f"/plans/tasks/{task.pk}/edit/", f"/plans/plans/{commune_plan.pk}/edit/", f"/plans/tasks/{task.pk}/"):
        assert client.get(url).status_code in (403, 404), url
    posted = client.post(f"/plans/tasks/{task.pk}/edit/", {"title": "Đổi tên"})
    assert posted.status_code in (403, 404)
    task.refresh_from_db()
    assert task.title.startswith("Phủ sóng 4G")


def test_nobody_logged_out_reads_anything(tree, commune_plan):
    client = web_client()
    for url in ("/plans/", "/plans/reports/", "/plans/tasks/", f"/plans/plans/{commune_plan.pk}/", "/plans/inbox/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
