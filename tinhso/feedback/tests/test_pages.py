"""Pages: filing on a phone, my reports, the office's inbox and actions, statistics and Excel, the home card,
the public list and page; who sees what."""

import io
import re

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user, users_by_role
from tinhso.core.testing import PageMatrix, database_state, web_client
from tinhso.feedback.models import Report

from .conftest import file_report, photo_file

pytestmark = pytest.mark.django_db


def test_a_citizen_files_a_report_from_the_form(world):
    client = web_client(world.citizen)
    form = client.get("/feedback/new/")
    assert form.status_code == 200 and "Khe Dứa" in form.content.decode()
    data = {
        "service": world.road.pk,
        "place": world.tree.new_khe_dua.pk,
        "description": "Cột điện nghiêng sát đường.",
        "idempotency_key": "form-1",
        "photos": [photo_file()],
    }
    sent = client.post("/feedback/new/", data)
    report = Report.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/feedback/{report.pk}/"
    client.post("/feedback/new/", data)  # the same form sent twice (a resend on a slow line)
    assert Report.objects.count() == 1 and report.photos.count() == 1
    assert f"#{report.pk}" in client.get("/feedback/mine/").content.decode()


def test_the_form_says_what_is_wrong_in_vietnamese_and_writes_nothing(world):
    client = web_client(world.citizen)
    response = client.post(
        "/feedback/new/",
        {"service": world.road.pk, "description": "Không có vị trí", "address": "Cầu Khe Dứa", "idempotency_key": "k"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Report.objects.exists()
    place = re.search(r'<div class="field">(?:(?!<div class="field">).)*?name="place".*?</div>', page, re.S).group(0)
    assert "Hãy chọn thôn, xã hoặc ghim vị trí" in place  # next to the field it is about
    assert "Không có vị trí</textarea>" in page and 'value="Cầu Khe Dứa"' in page  # what was typed is kept
    too_long = client.post(
        "/feedback/new/",
        {
            "service": world.road.pk,
            "place": world.tree.new_khe_dua.pk,
            "description": "x" * 4001,
            "idempotency_key": "k",
        },
    )
    assert too_long.status_code == 400 and not Report.objects.exists()


def test_the_office_answers_from_the_report_page_and_the_reporter_rates(world, report):
    officer = web_client(world.officer)
    assert f"#{report.pk}" in officer.get("/feedback/inbox/").content.decode()
    officer.post(f"/feedback/{report.pk}/answer/", {"answer": "Xã đã khắc phục."})
    report.refresh_from_db()
    assert report.status == "answered"
    citizen = web_client(world.citizen)
    page = citizen.get(f"/feedback/{report.pk}/").content.decode()
    assert "Xã đã khắc phục." in page
    citizen.post(f"/feedback/{report.pk}/rate/", {"rating": "5"})
    report.refresh_from_db()
    assert report.rating == 5


def test_an_officer_of_another_commune_neither_sees_nor_answers(world, report):
    client = web_client(world.other_officer)
    before = database_state(Report)
    assert client.get(f"/feedback/{report.pk}/").status_code == 404
    assert client.post(f"/feedback/{report.pk}/answer/", {"answer": "X"}).status_code == 404
    assert database_state(Report) == before


def test_a_refused_action_shows_a_vietnamese_message_and_changes_nothing(world, report):
    client = web_client(world.department)  # sees the report (province scope) but is not the commune's office
    before = database_state(Report)
    response = client.post(f"/feedback/{report.pk}/answer/", {"answer": "X"})
    assert response.status_code == 403 and "cơ quan khác xử lý" in response.content.decode()
    assert database_state(Report) == before


def test_an_empty_answer_comes_back_with_the_error_at_the_answer_and_nothing_written(world, report):
    client = web_client(world.officer)
    before = database_state(Report)
    response = client.post(f"/feedback/{report.pk}/answer/", {"answer": "   "})
    assert response.status_code == 400 and database_state(Report) == before
    answer_form = response.content.decode().split(f'action="/feedback/{report.pk}/answer/"')[1].split("</form>")[0]
    assert "errorlist" in answer_form
    closed = client.post(f"/feedback/{report.pk}/close/", {"reason": "Trùng."})
    assert closed.status_code == 302  # the office may close it: the refusals above left it open
    late = client.post(f"/feedback/{report.pk}/answer/", {"answer": "Đã khắc phục xong."})
    assert late.status_code == 400 and "Phản ánh này đã được trả lời hoặc đã đóng." in late.content.decode()


def test_statistics_and_their_excel_file(world, report):
    from tinhso.feedback import services

    services.answer_report(report, actor=world.officer, answer="Đã xử lý.")
    services.rate_report(report, actor=world.citizen, rating=4)
    client = web_client(world.officer)
    page = client.get("/feedback/statistics/")
    assert page.status_code == 200 and "UBND xã Xuân Ái" in page.content.decode()
    excel = client.get("/feedback/statistics/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(excel.content))["Theo cơ quan"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "UBND xã Xuân Ái"]
    assert rows[0][1:3] == (1, 1) and rows[0][3] == 100 and rows[0][6] == 4
    assert web_client(world.citizen).get("/feedback/statistics/").status_code == 403


def test_statistics_per_commune_follow_the_structure_of_the_chosen_day(world, report):
    """A report recorded on a village of Yên Hợp (merged into Xuân Ái in 2025) counts under Xuân Ái in
    today's structure, and under Yên Hợp of Văn Yên district when the page is asked for a day before."""
    from .conftest import file_report

    old = file_report(world, description="Mương nội đồng bị vỡ.")
    Report.objects.filter(pk=old.pk).update(place=world.tree.dong_tam)
    client = web_client(world.admin)
    year = report.submitted_at.year

    def row(html, name):
        found = re.search(rf'<th scope="row">{re.escape(name)}</th><td>(\d+)</td>', html)
        return int(found.group(1)) if found else None

    today = client.get("/feedback/statistics/", {"year": year}).content.decode()
    assert row(today, "Xã Xuân Ái") == 2 and row(today, "Xã Yên Hợp (Huyện Văn Yên)") is None
    before = client.get("/feedback/statistics/", {"year": year, "as_of": "2025-06-01"}).content.decode()
    assert row(before, "Xã Xuân Ái (Huyện Văn Yên)") == 1 and row(before, "Xã Yên Hợp (Huyện Văn Yên)") == 1
    excel = client.get("/feedback/statistics/", {"year": year, "as_of": "2025-06-01", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(excel.content)).worksheets[0]
    assert ("Xã Yên Hợp (Huyện Văn Yên)", 1) in [row[:2] for row in sheet.iter_rows(values_only=True)]


def test_the_monthly_report_is_a_decree_30_pdf_of_the_commune(world, report):
    import datetime

    from tinhso.feedback import statistics

    month = report.submitted_at.month
    client = web_client(world.officer)
    page = client.get("/feedback/statistics/", {"year": report.submitted_at.year, "month": month})
    assert 'data-testid="report-pdf"' in page.content.decode()
    pdf = client.get("/feedback/statistics/", {"year": report.submitted_at.year, "month": month, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    first = report.submitted_at.date().replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    result = statistics.figures(world.officer, first, last)
    document = statistics.report_document(result, world.tree.new_xuan_ai)
    assert document.kind == "BÁO CÁO" and document.issuer.name.startswith("ỦY BAN NHÂN DÂN")
    assert "tiếp nhận 1 phản ánh" in document.body_html and "UBND xã Xuân Ái" in document.body_html


def test_the_map_shows_officers_the_exact_points_and_the_public_only_counted_cells(world, report):
    """Two open reports 20 m apart: the office's map draws two points with their numbers; the public map
    one cell counting two, without the numbers."""
    from decimal import Decimal

    from .conftest import file_report

    file_report(world, latitude=report.latitude + Decimal("0.0002"), longitude=report.longitude)
    office = web_client(world.officer).get("/feedback/map/").content.decode()
    assert office.count("<circle") == 2 and f">#{report.pk} " in office
    public = web_client().get("/phan-anh/ban-do/").content.decode()
    assert public.count("<circle") == 1 and "<title>2</title>" in public and f">#{report.pk} " not in public
    assert "cdn" not in public.lower() and "tile" not in public.lower()
    assert web_client(world.citizen).get("/feedback/map/").status_code == 403


def test_the_home_card_shows_an_officer_what_waits_and_what_is_overdue(world, report):
    Report.objects.filter(pk=report.pk).update(deadline=world.today.replace(year=world.today.year - 1))
    page = web_client(world.officer).get("/").content.decode()
    assert 'data-figure="waiting">1<' in page and 'data-figure="overdue">1<' in page
    assert "Gửi phản ánh" in web_client(world.citizen).get("/").content.decode()


def test_page_matrix(world):
    users = users_by_role(
        {
            "province_admin": world.tree.lao_cai,
            "department_staff": world.tree.lao_cai,
            "commune_officer": world.tree.new_xuan_ai,
            "village_team_leader": world.tree.new_khe_dua,
            "citizen": world.tree.new_khe_dua,
        }
    )
    users["other_commune_officer"] = make_user("commune_officer", world.tree.new_khanh_hoa)
    matrix = PageMatrix(
        "/feedback/inbox/",
        lambda report: f"/feedback/{report.pk}/",
        make=lambda: file_report(world, actor=world.neighbour),
        shows=lambda report: f'data-report="{report.pk}"',
    )
    office = {"list", "detail"}
    matrix.check(users, {"province_admin": office, "department_staff": office, "commune_officer": office})


def test_the_public_list_and_page_show_no_name_or_phone(world, report):
    listing = web_client().get("/phan-anh/").content.decode()
    assert f'data-report="{report.pk}"' in listing and "Hà Thị Mai" not in listing
    page = web_client().get(f"/phan-anh/{report.pk}/").content.decode()
    assert "Đường vào thôn" in page and "Hà Thị Mai" not in page and "912000008" not in page
    Report.objects.filter(pk=report.pk).update(is_public=False)
    assert web_client().get(f"/phan-anh/{report.pk}/").status_code == 404


def test_the_public_list_pages_by_older_and_newer_links_without_missing_or_repeating_a_report(world, report):
    """Seek pagination: every report appears once walking "older" to the end and back by "newer", even when
    several were sent in the same microsecond; the links are plain addresses (bookmarkable)."""
    import copy
    import re

    from django.core.cache import cache

    from .conftest import days_ago

    rows = []
    for index in range(69):
        clone = copy.copy(report)
        clone.pk = clone.id = None
        clone.idempotency_key, clone.token = None, f"t{index}"
        clone.submitted_at = days_ago(10) if index < 12 else days_ago(index)  # twelve ties
        rows.append(clone)
    Report.objects.bulk_create(rows)
    cache.clear()
    expected = list(Report.objects.order_by("-submitted_at", "-id").values_list("pk", flat=True))
    client, seen, address, pages = web_client(), [], "/phan-anh/", []

    def listed(html):
        return [int(pk) for pk in re.findall(r'data-report="(\d+)"', html)]

    while address:
        html = client.get(address).content.decode()
        assert "70 phản ánh" in html
        pages.append(address)
        seen += listed(html)
        found = re.search(r'href="([^"]+)" rel="next"', html)
        address = "/phan-anh/" + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == expected and len(pages) == 3
    back = re.search(r'href="([^"]+)" rel="prev"', client.get(pages[2]).content.decode()).group(1)
    assert listed(client.get("/phan-anh/" + back.replace("&amp;", "&")).content.decode()) == expected[30:60]
    assert listed(client.get("/phan-anh/?older=rubbish").content.decode()) == expected[:30]
