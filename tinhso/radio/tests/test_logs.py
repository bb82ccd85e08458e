"""The play log and the monthly broadcasting report: what each cluster played, stopped, and failed,
seen only by the people of its units, exported to CSV, Excel and a Decree-30 report."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from tinhso.core.context import acting_as
from tinhso.core.testing import web_client
from tinhso.radio import services
from tinhso.radio.models import SpeakerCluster
from tinhso.radio.schedule import VIETNAM

MONTH = datetime.datetime(2026, 10, 5, 6, 0, tzinfo=VIETNAM)


def event(cluster, kind, item, at, **extra):
    payload = {"event": kind, "item": item, "at": at.isoformat(), **extra}
    return services.record_event(cluster.device_id, payload, now=at)


def a_morning_of_broadcasting(radio):
    """Khe Dứa 1: an emergency (31 s), a normal bulletin pre-empted after 10 s, replayed and cancelled after
    20 s, then a failed download. Khánh Hòa: one normal play (60 s)."""
    at = MONTH
    event(radio.khe_dua_1, "play", "b901-r1", at, level="emergency", repetition=1)
    event(radio.khe_dua_1, "stop", "b901-r1", at + datetime.timedelta(seconds=31), reason="finished")
    event(radio.khe_dua_1, "play", "b902-r1", at + datetime.timedelta(minutes=5), level="normal", repetition=1)
    event(radio.khe_dua_1, "stop", "b902-r1", at + datetime.timedelta(minutes=5, seconds=10), reason="preempted")
    event(radio.khe_dua_1, "play", "b902-r1", at + datetime.timedelta(minutes=6), level="normal", repetition=1)
    event(radio.khe_dua_1, "stop", "b902-r1", at + datetime.timedelta(minutes=6, seconds=20), reason="cancelled")
    event(radio.khe_dua_1, "download", "b903-r1", at + datetime.timedelta(minutes=7), detail="checksum mismatch")
    event(radio.khanh_hoa, "play", "b904-r1", at, level="normal", repetition=1)
    event(radio.khanh_hoa, "stop", "b904-r1", at + datetime.timedelta(seconds=60), reason="finished")


def test_a_commune_officer_sees_only_the_log_of_their_communes_clusters(radio):
    a_morning_of_broadcasting(radio)

    page = web_client(radio.officer).get(reverse("radio:log_list")).text

    assert "Cụm loa Khe Dứa 1" in page
    assert "Cụm loa Khánh Hòa" not in page


def test_the_province_sees_every_cluster(radio):
    a_morning_of_broadcasting(radio)

    page = web_client(radio.centre).get(reverse("radio:log_list")).text

    assert "Cụm loa Khe Dứa 1" in page
    assert "Cụm loa Khánh Hòa" in page


def test_a_citizen_sees_no_log(radio):
    a_morning_of_broadcasting(radio)

    response = web_client(radio.citizen).get(reverse("radio:log_list"))

    assert len(response.context["table"].data) == 0
    assert "Cụm loa Khe Dứa 1" not in response.text


def test_the_log_filters_by_reason_and_by_unit(radio):
    a_morning_of_broadcasting(radio)
    client = web_client(radio.centre)

    cancelled = client.get(reverse("radio:log_list"), {"reason": "cancelled"}).context["table"].data
    in_khanh_hoa = client.get(reverse("radio:log_list"), {"within": "04300"}).context["table"].data

    assert [(row.item, row.reason) for row in cancelled] == [("b902-r1", "cancelled")]
    assert {row.cluster.name for row in in_khanh_hoa} == {"Cụm loa Khánh Hòa"}


def test_the_log_of_one_bulletin(radio):
    bulletin = services.send_now(
        actor=radio.officer,
        title="Tiếp sóng thời sự",
        kind="relay",
        stream_url="http://radio.example.vn/vov1",
        expires_at=MONTH + datetime.timedelta(days=400),
        targets=[radio.tree.new_khe_dua],
    )
    a_morning_of_broadcasting(radio)
    event(radio.khe_dua_1, "play", f"b{bulletin.pk}-r1", MONTH, level="relay")

    rows = web_client(radio.officer).get(reverse("radio:log_list"), {"bulletin": bulletin.pk}).context["table"].data

    assert [(row.bulletin, row.event) for row in rows] == [(bulletin, "play")]


def test_the_log_exports_to_csv_with_times_and_reasons(radio):
    a_morning_of_broadcasting(radio)

    response = web_client(radio.officer).get(reverse("radio:log_list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 1 + 7
    assert any("5/10/2026 06:06:20" in row and "Cụm loa Khe Dứa 1" in row for row in rows)
    assert all("Cụm loa Khánh Hòa" not in row for row in rows)


def test_the_log_page_does_not_query_once_per_row(radio, django_assert_max_num_queries):
    a_morning_of_broadcasting(radio)
    client = web_client(radio.centre)
    client.get(reverse("radio:log_list"))

    with django_assert_max_num_queries(8):
        client.get(reverse("radio:log_list"))


def report(client, commune="04441", month="2026-10", **extra):
    return client.get(reverse("radio:report"), {"commune": commune, "month": month, **extra})


def test_the_monthly_report_counts_plays_minutes_cancellations_and_failures(radio):
    a_morning_of_broadcasting(radio)

    lines = {line.label: line for line in report(web_client(radio.officer)).context["report"].lines}
    khe_dua = lines["Cụm loa Khe Dứa 1"]

    assert khe_dua.plays["emergency"] == 1
    assert khe_dua.plays["normal"] == 2
    assert khe_dua.seconds == 31 + 10 + 20
    assert (khe_dua.preempted, khe_dua.cancelled, khe_dua.failures) == (1, 1, 1)
    assert lines["Cụm loa Khe Dứa 2"].total_plays == 0
    assert "Cụm loa Khánh Hòa" not in lines


def test_the_report_includes_the_clusters_of_communes_merged_into_this_one(radio):
    """A cluster of Đồng Tâm (Yên Hợp, merged into Xuân Ái on 1/7/2025) is part of Xuân Ái's history."""
    with acting_as(None, source="test"):
        old = SpeakerCluster.objects.create(name="Cụm loa Đồng Tâm", unit=radio.tree.dong_tam)
    event(old, "play", "b909-r1", MONTH, level="normal", repetition=1)

    lines = {line.label: line for line in report(web_client(radio.officer)).context["report"].lines}

    assert lines["Cụm loa Đồng Tâm"].plays["normal"] == 1
    assert "Cụm loa Khánh Hòa" not in lines


def test_the_report_of_another_month_is_empty(radio):
    a_morning_of_broadcasting(radio)

    shown = report(web_client(radio.officer), month="2026-11").context["report"]

    assert shown.total.total_plays == 0


def test_an_officer_cannot_report_on_another_commune(radio):
    a_morning_of_broadcasting(radio)

    response = report(web_client(radio.officer), commune="04300")

    assert response.context["report"] is None
    assert "Cụm loa Khánh Hòa" not in response.text


def test_a_bad_month_is_refused_clearly(radio):
    response = report(web_client(radio.officer), month="tháng mười")

    assert response.context["report"] is None
    assert response.context["form"].errors["month"]


def test_the_report_downloads_as_excel(radio):
    a_morning_of_broadcasting(radio)

    response = report(web_client(radio.officer), format="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]

    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-truyen-thanh-04441-202610.xlsx"'
    khe_dua = next(row for row in rows if row[0] == "Cụm loa Khe Dứa 1")
    assert khe_dua[2:] == [1, 0, 0, 2, 0, 1.0, 1, 1, 1]


def test_the_excel_figures_start_right_under_the_frozen_header(radio):
    a_morning_of_broadcasting(radio)

    sheet = load_workbook(io.BytesIO(report(web_client(radio.officer), format="xlsx").content)).active

    assert sheet["A4"].font.b and sheet.freeze_panes == "A5"
    assert sheet["A5"].value and not sheet["A5"].font.b
    assert sheet.cell(sheet.max_row, 1).value == "Tổng cộng" and sheet.cell(sheet.max_row, 1).font.b


def test_the_report_downloads_as_a_decree_30_pdf(radio):
    a_morning_of_broadcasting(radio)

    response = report(web_client(radio.officer), format="pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_log_cannot_be_reached_without_logging_in(radio):
    response = web_client().get(reverse("radio:log_list"))

    assert response.status_code == 302
    assert "login" in response["Location"]
