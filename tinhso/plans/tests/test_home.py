"""The home page tells a commune officer which reports and tasks are due, and a province officer what waits for them."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.plans.choices import PeriodType, ReportStatus, TaskStatus
from tinhso.plans.models import Report, Task
from tinhso.plans.testing import make_data_set, make_plan
from tinhso.units.models import Unit
from tinhso.units.testing import REFORM


def figure(page: str, name: str) -> int:
    return int(re.search(rf'data-figure="{name}">(\d+)<', page).group(1))


def home(user) -> str:
    return web_client(user).get(reverse("core:home")).content.decode()


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def a_report(data_set, unit, period, due_in, status=ReportStatus.DRAFT):
    return Report.objects.create(data_set=data_set, unit=unit, period=period, due_date=in_days(due_in), status=status)


def a_task(plan, title, due_in, status=TaskStatus.IN_PROGRESS):
    return Task.objects.create(plan=plan, unit=plan.unit, title=title, due_date=in_days(due_in), status=status)


def test_a_commune_officer_sees_reports_due_returned_and_waiting_and_tasks_due(tree):
    communes = make_data_set("XA", PeriodType.MONTHLY, "commune", [("A", "Chỉ tiêu A")])
    villages = make_data_set("THON", PeriodType.MONTHLY, "village", [("B", "Chỉ tiêu B")])
    na_hau = Unit.objects.get(code="04441-02", valid_from=REFORM)
    a_report(communes, tree.new_xuan_ai, "202610", due_in=3)
    a_report(communes, tree.new_xuan_ai, "202609", due_in=-20)
    a_report(communes, tree.new_xuan_ai, "202608", due_in=12, status=ReportStatus.RETURNED)
    a_report(communes, tree.new_xuan_ai, "202607", due_in=-50, status=ReportStatus.APPROVED)
    a_report(villages, tree.new_khe_dua, "202610", due_in=2, status=ReportStatus.SUBMITTED)
    a_report(villages, na_hau, "202609", due_in=-5)
    a_report(communes, tree.new_khanh_hoa, "202610", due_in=1)  # another commune: not theirs
    plan = make_plan(tree.new_xuan_ai, year=timezone.localdate().year)
    a_task(plan, "Phủ sóng 4G thôn Nà Hẩu", due_in=4)
    a_task(plan, "Lắp camera an ninh", due_in=-3)
    a_task(plan, "Đã xong", due_in=-3, status=TaskStatus.COMPLETED)

    page = home(make_user("commune_officer", tree.new_xuan_ai))

    assert figure(page, "reports_due") == 1  # the commune's October report; Khe Dứa's is already submitted
    assert figure(page, "reports_late") == 2  # the commune's September and Nà Hẩu's
    assert figure(page, "reports_returned") == 1
    assert figure(page, "waiting_approval") == 1
    assert figure(page, "units_late") == 1
    assert figure(page, "tasks_due") == 1
    assert figure(page, "tasks_late") == 1
    assert "Khánh Hòa" not in page


def test_a_province_officer_sees_the_reports_waiting_and_the_units_late(tree):
    communes = make_data_set("XA", PeriodType.MONTHLY, "commune", [("A", "Chỉ tiêu A")])
    a_report(communes, tree.new_xuan_ai, "202610", due_in=-2, status=ReportStatus.SUBMITTED)
    a_report(communes, tree.new_khanh_hoa, "202610", due_in=-2)
    a_report(communes, tree.new_khanh_hoa, "202609", due_in=-32)

    page = home(make_user("dx_centre_staff", tree.lao_cai))

    assert figure(page, "waiting_approval") == 1
    assert figure(page, "units_late") == 1
    assert reverse("plans:dashboard") in page


def test_with_nothing_due_the_card_says_so(tree):
    page = home(make_user("commune_officer", tree.new_xuan_ai))

    assert figure(page, "reports_due") == 0
    assert "Không có báo cáo nào đến hạn" in page


def test_a_citizen_gets_no_reports_card(tree):
    assert 'id="home-plans-title"' not in home(make_user("citizen", tree.new_xuan_ai, include_descendants=False))


def test_the_home_page_costs_the_same_queries_for_3_or_30_reports(tree, django_assert_max_num_queries):
    communes = make_data_set("XA", PeriodType.MONTHLY, "commune", [("A", "Chỉ tiêu A")])
    for month in range(1, 13):
        a_report(communes, tree.new_xuan_ai, f"2025{month:02}", due_in=month - 6)
    client = web_client(make_user("commune_officer", tree.new_xuan_ai))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("core:home")).status_code == 200


def test_a_district_or_province_officer_reads_the_headline_indicators_on_the_home_page(tree):
    """The first indicators of the unit's plan with their figure, target and whether it is met."""
    from decimal import Decimal

    from tinhso.plans.models import Target
    from tinhso.plans.testing import make_indicator, report

    data_set = make_data_set("XA_NAM", "year", "commune", [("THON_BANGRONG", "Thôn có băng rộng"), ("THON", "Số thôn")])
    indicator = make_indicator("TL_BANGRONG", "#{THON_BANGRONG}", "#{THON}", name="Tỷ lệ thôn có Internet băng rộng")
    plan = make_plan(tree.yen_bai)
    Target.objects.create(plan=plan, indicator=indicator, unit=tree.yen_bai, period="2024", value=Decimal(98))
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})

    page = home(make_user("province_admin", tree.yen_bai))

    headline = page[page.index('class="items headline"') :]
    assert 'data-indicator="TL_BANGRONG"' in headline and "Tỷ lệ thôn có Internet băng rộng" in headline
    assert "90,0%" in headline and "≥ 98%" in headline
    assert 'class="items headline"' not in home(make_user("commune_officer", tree.new_xuan_ai))
