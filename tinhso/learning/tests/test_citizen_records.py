"""Who in the commune is a digital citizen and why: the officer's list (tier, points, village, certificate,
filters, pages, Excel), a resident's criteria with their evidence source and date, the counts before and after
the 2025 reform, and who may see what."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import PageMatrix, web_client
from tinhso.learning import citizens
from tinhso.learning.models import DigitalCitizenProfile
from tinhso.scoring.models import Criterion, Evaluation
from tinhso.units.models import Unit

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db


def resident(unit, name, *, identity=False, services=0, cashless=False):
    user = make_user("citizen", unit, full_name=name)
    DigitalCitizenProfile.objects.create(
        user=user, unit=unit, has_electronic_identity=identity, online_services=services, pays_cashless=cashless
    )
    return user


def listed(page: str) -> str:
    """The residents' table of the page (not the counts above it nor the certificates below it)."""
    return page[page.index('id="residents"') : page.index('id="certificates"')]


@pytest.fixture
def scored(tree, officer):
    """Xuân Ái's residents scored for 2026: an active one (with a certificate), a basic one, one not yet."""
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident(tree.new_khe_dua, "Hà Thị Mai", identity=True, services=3, cashless=True)  # 300 + contests below
    resident(tree.new_khe_dua, "Lò Văn Páo", identity=True)  # 150
    resident(tree.new_khe_dua, "Đặng Văn Chưa")  # 0
    resident(tree.new_khanh_hoa, "Người Khánh Hòa", identity=True)
    mai = DigitalCitizenProfile.objects.get(user__full_name="Hà Thị Mai").user
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai)
    client = web_client(mai)
    client.post(f"/learning/contests/{contest.pk}/start/")
    attempt = contest.attempts.get()
    client.post(f"/learning/attempts/{attempt.pk}/", {**{f"q-{q['id']}": "0" for q in attempt.questions}, "finish": ""})
    year = str(datetime.date.today().year)
    evaluations = citizens.recognise(tree.new_xuan_ai, year, actor=officer)
    citizens.recognise(tree.new_khanh_hoa, year, actor=make_user("commune_officer", tree.new_khanh_hoa))
    active = next(e for e in evaluations if e.subject_label == "Hà Thị Mai")
    citizens.issue_certificate(active, actor=officer, day=datetime.date.today())
    return {e.subject_label: e for e in evaluations} | {"year": year}


def test_the_officer_sees_who_is_a_digital_citizen_with_tier_points_village_and_certificate(scored, officer):
    page = web_client(officer).get(f"/learning/citizens/?year={scored['year']}").content.decode()
    residents = listed(page)
    assert residents.index("Hà Thị Mai") < residents.index("Lò Văn Páo") < residents.index("Đặng Văn Chưa")
    assert "Tích cực" in residents and "Cơ bản" in residents and "Chưa đạt" in residents
    assert ">450<" in residents and ">150<" in residents  # points of 500
    assert "Khe Dứa" in residents and "Xuân Ái" in residents
    assert "/learning/certificates/" in residents  # the active resident's certificate
    assert "Người Khánh Hòa" not in page  # another commune


def test_the_list_filters_by_village_tier_and_name(scored, officer, tree):
    client, year = web_client(officer), scored["year"]

    def names(query):
        page = client.get(f"/learning/citizens/?year={year}&{query}").content.decode()
        return {name for name in ("Hà Thị Mai", "Lò Văn Páo", "Đặng Văn Chưa") if name in listed(page)}

    assert names("tier=active") == {"Hà Thị Mai"}
    assert names("tier=basic") == {"Lò Văn Páo"}
    assert names("tier=none") == {"Đặng Văn Chưa"}
    assert names("q=Páo") == {"Lò Văn Páo"}
    assert names("within=04441-01") == {"Hà Thị Mai", "Lò Văn Páo", "Đặng Văn Chưa"}
    assert names("within=04441-02") == set()  # Nà Hẩu: nobody scored there


@pytest.mark.parametrize("query", ["within=99999", "within=%25s", "tier=vip", "q=" + "x" * 300, "q=a%00b"])
def test_a_bad_filter_is_a_vietnamese_400_with_an_empty_list(scored, officer, query):
    response = web_client(officer).get(f"/learning/citizens/?{query}")
    assert response.status_code == 400
    page = response.content.decode()  # a NUL is refused before the view, by the site's own 400 page
    assert "Hà Thị Mai" not in (listed(page) if 'id="residents"' in page else page)


def test_an_unknown_village_code_is_named_in_vietnamese(scored, officer):
    page = web_client(officer).get("/learning/citizens/?within=99999").content.decode()
    assert "Không có đơn vị hành chính nào mang mã 99999 vào ngày" in page


def test_the_list_is_paginated_and_its_query_count_does_not_grow_with_the_residents(
    tree, officer, django_assert_max_num_queries
):
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    for number in range(60):
        resident(tree.new_khe_dua, f"Cư dân {number:02d}", identity=True)
    citizens.recognise(tree.new_xuan_ai, "2026", actor=officer)
    client = web_client(officer)
    client.get("/learning/citizens/?year=2026")  # warm the session and the unit snapshot
    with django_assert_max_num_queries(20):
        first = client.get("/learning/citizens/?year=2026").content.decode()
    assert "1 / 3" in first and "60 người dân" in first and listed(first).count("Cư dân") == 25
    last = client.get("/learning/citizens/?year=2026&page=3").content.decode()
    assert "3 / 3" in last and listed(last).count("Cư dân") == 10
    assert client.get("/learning/citizens/?year=2026&page=999999999999999999999").status_code == 200


def test_why_shows_every_criterion_with_points_value_evidence_source_and_date(scored, officer):
    mai = scored["Hà Thị Mai"]
    page = web_client(officer).get(f"/learning/citizens/{mai.pk}/").content.decode()
    assert "Tích cực" in page and "450 / 500" in page
    assert "Tiêu chí công nhận công dân số (CONG-DAN-SO), áp dụng từ 1/1/2025" in page
    criteria = page[page.index('id="criteria"') :]
    assert "Có tài khoản định danh điện tử VNeID mức 2" in criteria and "<strong>150</strong> / 150" in criteria
    assert "Tài khoản định danh điện tử VNeID (hồ sơ công dân số do xã xác nhận)" in criteria
    assert "Cổng Dịch vụ công quốc gia" in criteria and "Cuộc thi trực tuyến trên Tỉnh Số" in criteria
    assert "3 ≥ 3 → 100/100 điểm" in criteria  # the value judged on, as the engine explains it
    assert "Có" in criteria
    assert datetime.date.today().strftime("%-d/%-m/%Y") in criteria  # when the evidence was recorded
    assert "/learning/certificates/" in page


def test_why_records_when_the_evidence_was_recorded_at_its_source(scored):
    evaluation = scored["Hà Thị Mai"]
    profile = DigitalCitizenProfile.objects.get(user_id=evaluation.subject_id)
    recorded = {s.criterion.source_key: s.recorded_at for s in evaluation.scores.select_related("criterion")}
    assert recorded["identity"] == profile.updated_at
    assert recorded["contests"] is not None and recorded["best_percent"] is not None


def test_why_under_the_2027_rules_names_that_version_and_the_basic_course(tree, officer):
    first = citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    citizens.add_basic_course_criterion(first, actor=None, first_period="2027")
    resident(tree.new_khe_dua, "Cư dân 2027", identity=True)
    (evaluation,) = citizens.recognise(tree.new_xuan_ai, "2027", actor=officer)
    (earlier,) = citizens.recognise(tree.new_xuan_ai, "2026", actor=officer)
    page = web_client(officer).get(f"/learning/citizens/{evaluation.pk}/").content.decode()
    assert "áp dụng từ 1/1/2027" in page and "Hoàn thành khóa học kỹ năng số cơ bản" in page
    assert "Khóa học kỹ năng số cơ bản trên Tỉnh Số" in page
    old = web_client(officer).get(f"/learning/citizens/{earlier.pk}/").content.decode()
    assert "áp dụng từ 1/1/2025 đến 31/12/2026" in old and "Hoàn thành khóa học" not in old


def test_a_resident_recognised_before_the_reform_is_listed_under_todays_village_and_counted_both_ways(tree, officer):
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident(tree.new_khe_dua, "Đồng Tâm trước sắp xếp", identity=True)
    (evaluation,) = citizens.recognise(tree.new_xuan_ai, "2025", actor=officer)
    Evaluation.objects.filter(pk=evaluation.pk).update(unit=tree.dong_tam)  # Đồng Tâm of old Yên Hợp, 2025
    client = web_client(officer)
    today = client.get("/learning/citizens/?year=2025").content.decode()
    assert "Đồng Tâm" in listed(today) and "Xuân Ái" in listed(today)  # today's village and commune
    counts = today[today.index('id="counts"') : today.index('id="residents"')]
    assert "Đồng Tâm" in counts and "Yên Hợp" not in counts
    before = client.get("/learning/citizens/?year=2025&as_of=2025-06-30").content.decode()
    counts = before[before.index('id="counts"') : before.index('id="residents"')]
    assert "Đồng Tâm" in counts and "Yên Hợp" in counts  # the village under its commune of before 1/7/2025
    assert "trước sắp xếp" in before
    why = client.get(f"/learning/citizens/{evaluation.pk}/").content.decode()
    assert "Đồng Tâm" in why


def test_the_excel_list_has_vietnamese_headers_and_every_criterions_points(scored, officer):
    response = web_client(officer).get(f"/learning/citizens/?year={scored['year']}&export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[:6] == ("STT", "Họ và tên", "Thôn", "Xã", "Mức", "Điểm (trên 500)")
    assert "1. Có tài khoản định danh điện tử VNeID mức 2" in header and header[-1] == "Giấy chứng nhận"
    by_name = {row[1]: row for row in rows[3:]}
    assert set(by_name) == {"Hà Thị Mai", "Lò Văn Páo", "Đặng Văn Chưa"}
    mai = by_name["Hà Thị Mai"]
    assert mai[4] == "Tích cực" and mai[5] == 450 and mai[6] == 150 and mai[-1]
    tiered = web_client(officer).get(f"/learning/citizens/?year={scored['year']}&tier=basic&export=xlsx")
    assert [row[1] for row in list(load_workbook(BytesIO(tiered.content)).active.iter_rows(values_only=True))[3:]] == [
        "Lò Văn Páo"
    ]


def test_another_communes_officer_exports_none_of_these_residents(scored, tree):
    other = make_user("commune_officer", tree.new_khanh_hoa)
    response = web_client(other).get(f"/learning/citizens/?year={scored['year']}&export=xlsx")
    names = [row[1] for row in list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[3:]]
    assert names == ["Người Khánh Hòa"]


def test_the_evidence_sources_are_data_filled_for_rules_made_before_they_existed(tree):
    from importlib import import_module

    from django.apps import apps

    rules = citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    assert rules.criteria.get(source_key="cashless").evidence_source.startswith("Thanh toán không dùng tiền mặt")
    rules.criteria.update(evidence_source="")
    import_module("tinhso.learning.migrations.0009_citizen_evidence_sources").fill(apps, None)
    assert not Criterion.objects.filter(criteria_set=rules, evidence_source="").exists()
    rules.criteria.filter(source_key="identity").update(evidence_source="Sở Công an tỉnh")
    import_module("tinhso.learning.migrations.0009_citizen_evidence_sources").fill(apps, None)
    assert rules.criteria.get(source_key="identity").evidence_source == "Sở Công an tỉnh"  # a province's wording stays


def test_residents_scores_are_no_longer_on_the_scoring_pages(scored, tree):
    reader = make_user("village_team_leader", tree.new_khe_dua)  # reads criteria and scores, not residents
    mai = scored["Hà Thị Mai"]
    assert web_client(reader).get(f"/scoring/evaluations/{mai.pk}/").status_code == 404
    assert "Hà Thị Mai" not in web_client(reader).get("/scoring/evaluations/").content.decode()


# Who may see whom -----------------------------------------------------------------------------------------------

PLACES = {
    "province_admin": "lao_cai",
    "dx_centre_staff": "lao_cai",
    "department_staff": "lao_cai",
    "district_officer": "van_yen",
    "commune_officer": "new_xuan_ai",
    "other_commune_officer": "new_khanh_hoa",
    "village_team_leader": "new_khe_dua",
    "party_cell_secretary": "new_khe_dua",
    "citizen": "new_khe_dua",
}


def test_who_may_see_the_list_and_a_residents_why(tree, officer):
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    year = str(datetime.date.today().year)
    users = {role: make_user(role.replace("other_", ""), getattr(tree, place)) for role, place in PLACES.items()} | {
        "anonymous": None
    }
    names = iter(range(100))

    def make():
        name = f"Cư dân ma trận {next(names)}"
        resident(tree.new_khe_dua, name, identity=True)
        citizens.recognise(tree.new_xuan_ai, year, actor=officer)
        return Evaluation.objects.get(subject_label=name)

    matrix = PageMatrix(
        f"/learning/citizens/?year={year}",
        lambda evaluation: f"/learning/citizens/{evaluation.pk}/",
        make=make,
        shows=lambda evaluation: evaluation.subject_label,
    )
    both = {"list", "detail"}
    matrix.check(
        users,
        {"province_admin": both, "dx_centre_staff": both, "district_officer": both, "commune_officer": both},
    )


def test_a_citizen_sees_his_own_why_and_nobody_elses(scored, tree):
    mai = scored["Hà Thị Mai"]
    own = web_client(mai.subject)
    page = own.get(f"/learning/citizens/{mai.pk}/")
    assert page.status_code == 200 and "450 / 500" in page.content.decode()
    assert "Quay lại danh sách" not in page.content.decode()
    assert own.get(f"/learning/citizens/{scored['Lò Văn Páo'].pk}/").status_code == 404
    assert own.get("/learning/citizens/").status_code == 403
    assert own.get("/learning/citizens/?export=xlsx").status_code == 403


def test_another_communes_officer_sees_an_empty_list_and_404_for_a_resident(scored, tree):
    other = web_client(make_user("commune_officer", tree.new_khanh_hoa))
    page = other.get(f"/learning/citizens/?year={scored['year']}").content.decode()
    assert "Hà Thị Mai" not in page and "Người Khánh Hòa" in page
    assert other.get(f"/learning/citizens/{scored['Hà Thị Mai'].pk}/").status_code == 404


def test_the_counts_of_old_units_need_no_unit_of_the_user_before_the_reform(tree, officer):
    """The new commune's officer reads its villages as they stood on 30/6/2025 (covered across the reform)."""
    villages = Unit.objects.restrict(officer, "view").filter(level="village").valid_on(datetime.date(2025, 6, 30))
    names = " ".join(village.name for village in villages)
    assert "Khe Dứa" in names and "Đồng Tâm" in names


def test_a_resident_finds_his_own_result_from_the_contests_page(scored, tree):
    mai = scored["Hà Thị Mai"]
    client = web_client(mai.subject)
    assert "/learning/citizens/mine/" in client.get("/learning/").content.decode()
    assert client.get("/learning/citizens/mine/")["Location"] == f"/learning/citizens/{mai.pk}/"
    nobody = web_client(make_user("citizen", tree.new_khe_dua)).get("/learning/citizens/mine/")
    assert nobody.status_code == 200 and "chưa đánh giá" in nobody.content.decode()
