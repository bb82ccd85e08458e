"""A unit reports for a period: values typed as Vietnamese write them, checked, submitted,
approved or returned by the unit above, locked once approved; completeness and timeliness."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tinhso.accounts.testing import make_user
from tinhso.plans import completeness, periods, services
from tinhso.plans.choices import ReportStatus, ValueType
from tinhso.plans.models import DataValue, Report, ValidationRule
from tinhso.plans.testing import BEFORE_REFORM, make_data_set, report
from tinhso.units.snapshot import snapshot_on
from tinhso.units.testing import make_unit


@pytest.fixture
def monthly(tree):
    data_set = make_data_set(
        "XA_THANG",
        "month",
        "commune",
        [
            ("HS_TIEPNHAN", "Hồ sơ tiếp nhận"),
            ("HS_TRUCTUYEN", "Hồ sơ trực tuyến"),
            ("GHI_CHU", "Ghi chú", ValueType.TEXT),
        ],
        due_days=5,
    )
    data_set.members.filter(data_element__code="GHI_CHU").update(is_required=False)
    ValidationRule.objects.create(
        data_set=data_set,
        name="Hồ sơ trực tuyến không quá hồ sơ tiếp nhận",
        left="#{HS_TRUCTUYEN}",
        operator="<=",
        right="#{HS_TIEPNHAN}",
    )
    return data_set


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


def test_a_report_opens_with_its_due_date(tree, monthly, officer):
    opened = services.open_report(monthly, tree.xuan_ai, "202411", actor=officer)
    assert (opened.status, opened.due_date) == (ReportStatus.DRAFT, datetime.date(2024, 12, 5))
    assert services.open_report(monthly, tree.xuan_ai, "202411", actor=officer) == opened


@pytest.mark.parametrize(
    ("unit", "period", "message"),
    [
        ("xuan_ai", "2024", "hằng tháng"),
        ("xuan_ai", "2024-11", "không phải mã kỳ báo cáo"),
        ("xuan_ai", "202601", "không tồn tại vào cuối Tháng 1/2026"),
        ("new_xuan_ai", "209901", "chưa bắt đầu"),
    ],
)
def test_wrong_periods_are_refused_in_vietnamese(tree, monthly, unit, period, message):
    admin = make_user("province_admin", tree.yen_bai)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.open_report(monthly, getattr(tree, unit), period, actor=admin)
    assert message in " ".join(refused.value.messages)
    assert not Report.objects.exists()


def test_a_village_cannot_report_the_communes_data_set(tree, monthly, officer):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.open_report(monthly, tree.khe_dua, "202411", actor=officer)
    assert "Thôn Khe Dứa" in refused.value.messages[0]


def test_values_are_read_as_vietnamese_write_them(tree, monthly, officer):
    opened = services.open_report(monthly, tree.xuan_ai, "202411", actor=officer)
    services.save_report_values(
        opened, {"HS_TIEPNHAN": ("1.356", ""), "HS_TRUCTUYEN": ("980", "Có 12 hồ sơ bổ sung")}, actor=officer
    )
    saved = dict(DataValue.objects.values_list("data_element__code", "number"))
    assert saved == {"HS_TIEPNHAN": 1356, "HS_TRUCTUYEN": 980}
    assert DataValue.objects.get(data_element__code="HS_TRUCTUYEN").stored_by == officer


def test_a_bad_value_names_its_field_and_nothing_is_saved(tree, monthly, officer):
    opened = services.open_report(monthly, tree.xuan_ai, "202411", actor=officer)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_report_values(opened, {"HS_TIEPNHAN": ("120", ""), "HS_TRUCTUYEN": ("mười", "")}, actor=officer)
    assert refused.value.message_dict == {"HS_TRUCTUYEN": ["“mười” không phải là số."]}
    assert not DataValue.objects.exists()


def test_submitting_checks_completeness_and_numerator_below_denominator(tree, monthly, officer):
    opened = services.open_report(monthly, tree.xuan_ai, "202411", actor=officer)
    services.save_report_values(opened, {"HS_TRUCTUYEN": ("50", "")}, actor=officer)
    with translation.override("vi"), pytest.raises(ValidationError) as incomplete:
        services.submit_report(opened, actor=officer)
    assert "Hồ sơ tiếp nhận" in incomplete.value.messages[0]
    with translation.override("vi"), pytest.raises(ValidationError) as on_entry:
        services.save_report_values(opened, {"HS_TIEPNHAN": ("40", "")}, actor=officer)
    message = (
        "Hồ sơ trực tuyến không quá hồ sơ tiếp nhận: Hồ sơ trực tuyến (50) phải nhỏ hơn hoặc bằng Hồ sơ tiếp nhận (40)."
    )
    assert on_entry.value.message_dict == {"HS_TRUCTUYEN": [message]}
    assert not DataValue.objects.filter(data_element__code="HS_TIEPNHAN").exists()
    # Values stored before the rule existed are still checked when the report is submitted.
    rule = monthly.rules.get()
    rule.delete()
    services.save_report_values(opened, {"HS_TIEPNHAN": ("40", "")}, actor=officer)
    rule.pk = None
    rule.save()
    with translation.override("vi"), pytest.raises(ValidationError) as inconsistent:
        services.submit_report(opened, actor=officer)
    assert inconsistent.value.messages == [message]
    opened.refresh_from_db()
    assert opened.status == ReportStatus.DRAFT


def test_the_unit_above_approves_and_the_report_is_locked(tree, monthly, officer):
    district = make_user("district_officer", tree.van_yen)
    submitted = report(monthly, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 100, "HS_TRUCTUYEN": 60}, status="submitted")
    with pytest.raises(PermissionDenied):
        services.approve_report(submitted, actor=officer)
    services.approve_report(submitted, actor=district)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by) == (ReportStatus.APPROVED, district)
    with translation.override("vi"), pytest.raises(ValidationError) as locked:
        services.save_report_values(submitted, {"HS_TIEPNHAN": ("999", "")}, actor=officer)
    assert "đã được duyệt" in locked.value.messages[0]
    assert DataValue.objects.get(data_element__code="HS_TIEPNHAN").number == 100


def test_returning_needs_a_reason_and_unlocks(tree, monthly, officer):
    district = make_user("district_officer", tree.van_yen)
    approved = report(monthly, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 100, "HS_TRUCTUYEN": 60})
    with pytest.raises(ValidationError):
        services.return_report(approved, actor=district, reason="  ")
    services.return_report(approved, actor=district, reason="Số hồ sơ chưa khớp một cửa")
    services.save_report_values(approved, {"HS_TIEPNHAN": ("110", "")}, actor=officer)
    approved.refresh_from_db()
    assert (approved.status, approved.return_reason) == (ReportStatus.RETURNED, "Số hồ sơ chưa khớp một cửa")


def test_whoever_submitted_cannot_approve(tree, monthly):
    admin = make_user("province_admin", tree.yen_bai)
    opened = services.open_report(monthly, tree.xuan_ai, "202411", actor=admin)
    services.save_report_values(opened, {"HS_TIEPNHAN": ("10", ""), "HS_TRUCTUYEN": ("5", "")}, actor=admin)
    services.submit_report(opened, actor=admin)
    with pytest.raises(PermissionDenied):
        services.approve_report(opened, actor=admin)


def test_a_commune_officer_approves_the_reports_of_its_villages(tree, officer):
    villages = make_data_set("THON_NAM", "year", "village", [("CO_5G", "Có sóng 5G", ValueType.BOOLEAN)])
    submitted = report(villages, tree.khe_dua, "2024", {"CO_5G": "có"}, status="submitted")
    services.approve_report(submitted, actor=officer)
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.APPROVED
    other = report(villages, tree.dong_tam, "2024", {"CO_5G": "không"}, status="submitted")
    with pytest.raises(PermissionDenied):
        services.approve_report(other, actor=officer)


def test_a_value_far_from_earlier_ones_is_flagged_not_refused(tree, monthly, officer):
    for month, received in (("202407", 100), ("202408", 110), ("202409", 95), ("202410", 105)):
        report(monthly, tree.xuan_ai, month, {"HS_TIEPNHAN": received, "HS_TRUCTUYEN": 50})
    opened = services.open_report(monthly, tree.xuan_ai, "202411", actor=officer)
    result = services.save_report_values(
        opened, {"HS_TIEPNHAN": ("1000", ""), "HS_TRUCTUYEN": ("60", "")}, actor=officer
    )
    assert result.outliers == ["Hồ sơ tiếp nhận"]
    assert DataValue.objects.get(report=opened, data_element__code="HS_TIEPNHAN").is_outlier


def test_160_of_173_communes_reported_92_5_percent_151_on_time(tree, monthly):
    communes = [tree.xuan_ai, tree.yen_hop, tree.khanh_hoa]
    for number in range(170):
        communes.append(
            make_unit(tree.luc_yen, f"09{number:03d}", f"Xã số {number}", "xa", valid_to=tree.yen_bai.valid_to)
        )
    due = datetime.date(2024, 12, 5)
    for index, commune in enumerate(communes):
        status = ReportStatus.APPROVED if index < 150 else ReportStatus.SUBMITTED if index < 160 else ReportStatus.DRAFT
        first = timezone.make_aware(datetime.datetime.combine(due, datetime.time(9))) if index < 160 else None
        if index < 9:
            first += datetime.timedelta(days=3)
        Report.objects.create(
            data_set=monthly, unit=commune, period="202411", due_date=due, status=status, first_submitted_at=first
        )
    result = completeness.completeness(snapshot_on(BEFORE_REFORM), tree.yen_bai.pk, monthly, periods.parse("202411"))
    with translation.override("vi"):
        assert result.summary == "160/173 xã đã báo cáo, 92,5%; 151 đúng hạn"
