"""Periods in words on the pages people read (“Tháng 11/2024”, “Quý 1/2024”, “Năm 2025”), not codes
(202411, 2024Q1); exports keep the DHIS2 code, which sorts and imports again."""

from decimal import Decimal

import pytest
from django.utils import translation

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.plans.models import Target
from tinhso.plans.templatetags.plans import period_words
from tinhso.plans.testing import make_data_set, make_indicator, make_plan, report


@pytest.mark.parametrize(
    ("code", "vietnamese", "english"),
    [
        ("202411", "Tháng 11/2024", "Month 11/2024"),
        ("2024Q1", "Quý 1/2024", "Quarter 1/2024"),
        ("2024S2", "6 tháng lần 2/2024", "Half 2/2024"),
        ("2025", "Năm 2025", "Year 2025"),
        ("2024-13", "2024-13", "2024-13"),
    ],
)
def test_a_period_code_reads_as_words_in_both_languages(code, vietnamese, english):
    with translation.override("vi"):
        assert period_words(code) == vietnamese
    with translation.override("en"):
        assert period_words(code) == english


def test_the_report_list_says_the_month_and_the_quarter_in_words(tree):
    monthly = make_data_set("XA_THANG", "month", "commune", [("HS", "Hồ sơ")])
    quarterly = make_data_set("XA_QUY", "quarter", "commune", [("DIEM", "Điểm wifi")])
    report(monthly, tree.xuan_ai, "202411", {"HS": 12}, status="draft")
    report(quarterly, tree.xuan_ai, "2024Q1", {"DIEM": 3}, status="draft")
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    page = client.get("/plans/reports/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tháng 11/2024" in page and "Quý 1/2024" in page
    assert ">202411<" not in page and ">2024Q1<" not in page
    exported = client.get("/plans/reports/", {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="vi")
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    assert "202411" in content.decode("utf-8-sig") and "Tháng 11/2024" not in content.decode("utf-8-sig")


def test_a_plans_targets_say_by_when_in_words(tree):
    make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    indicator = make_indicator("SO_THON", "#{THON}", name="Số thôn có wifi")
    plan = make_plan(tree.yen_bai)
    Target.objects.create(plan=plan, indicator=indicator, unit=tree.yen_bai, period="2025", value=Decimal(100))
    page = web_client(make_user("province_admin", tree.yen_bai)).get(plan.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    assert "<td>Năm 2025</td>" in page.content.decode()
