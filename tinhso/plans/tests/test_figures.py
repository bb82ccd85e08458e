"""Indicator values roll up the tree of the chosen day, before or after the 2025 reform,
from approved values only, and come out as published."""

from decimal import Decimal

import pytest
from django.utils import translation

from tinhso.plans import periods, rollups
from tinhso.plans.choices import DisplayFormat, IndicatorKind, ReportStatus, Rounding, ValueType
from tinhso.plans.figures import Ask, Calculator
from tinhso.plans.models import RollupValue
from tinhso.plans.testing import AFTER_REFORM, BEFORE_REFORM, make_data_set, make_indicator, report
from tinhso.units.snapshot import snapshot_on
from tinhso.units.testing import make_unit


@pytest.fixture
def broadband(tree):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON_BANGRONG", "Thôn có băng rộng"), ("THON", "Thôn")])
    indicator = make_indicator("TL_BANGRONG", "#{THON_BANGRONG}", "#{THON}")
    return data_set, indicator


def figure(unit, indicator, period, day):
    structure = snapshot_on(day)
    [result] = Calculator(structure).compute([Ask(unit.pk, indicator, periods.parse(period))])
    return result


def test_1340_of_1356_villages_with_broadband_reads_98_8_percent_for_the_province(tree, broadband):
    data_set, indicator = broadband
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 700, "THON": 710})
    report(data_set, tree.yen_hop, "2024", {"THON_BANGRONG": 400, "THON": 400})
    report(data_set, tree.khanh_hoa, "2024", {"THON_BANGRONG": 240, "THON": 246})
    result = figure(tree.yen_bai, indicator, "2024", BEFORE_REFORM)
    assert (result.numerator, result.denominator) == (1340, 1356)
    with translation.override("vi"):
        assert result.display == "98,8%"


def test_only_approved_reports_count(tree, broadband):
    data_set, indicator = broadband
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 7, "THON": 10})
    report(data_set, tree.yen_hop, "2024", {"THON_BANGRONG": 1, "THON": 10}, status=ReportStatus.SUBMITTED)
    report(data_set, tree.khanh_hoa, "2024", {"THON_BANGRONG": 2, "THON": 10}, status=ReportStatus.RETURNED)
    result = figure(tree.yen_bai, indicator, "2024", BEFORE_REFORM)
    assert (result.numerator, result.denominator) == (7, 10)


def test_figures_of_old_communes_roll_up_under_the_new_structure(tree, broadband):
    data_set, indicator = broadband
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    report(data_set, tree.yen_hop, "2024", {"THON_BANGRONG": 5, "THON": 10})
    report(data_set, tree.khanh_hoa, "2024", {"THON_BANGRONG": 1, "THON": 10})
    merged = figure(tree.new_xuan_ai, indicator, "2024", AFTER_REFORM)
    assert (merged.numerator, merged.denominator) == (14, 20)
    province = figure(tree.lao_cai, indicator, "2024", AFTER_REFORM)
    assert (province.numerator, province.denominator) == (15, 30)
    before = figure(tree.xuan_ai, indicator, "2024", BEFORE_REFORM)
    assert (before.numerator, before.denominator) == (9, 10)


def test_village_values_reach_the_new_village_and_commune(tree):
    data_set = make_data_set("THON_NAM", "year", "village", [("CO_5G", "Có sóng 5G", ValueType.BOOLEAN)])
    indicator = make_indicator("SO_THON_5G", "#{CO_5G}", decimals=0)
    report(data_set, tree.khe_dua, "2024", {"CO_5G": "true"})
    report(data_set, tree.na_hau, "2024", {"CO_5G": "false"})
    report(data_set, tree.dong_tam, "2024", {"CO_5G": "true"})
    assert figure(tree.new_khe_dua, indicator, "2024", AFTER_REFORM).value == 1
    assert figure(tree.new_xuan_ai, indicator, "2024", AFTER_REFORM).value == 2
    assert figure(tree.van_yen, indicator, "2024", BEFORE_REFORM).value == 2


def test_5g_in_4_of_9_districts(tree):
    for number in range(7):
        district = make_unit(tree.yen_bai, f"20{number}", f"Huyện {number}", "huyen", valid_to=tree.yen_bai.valid_to)
        commune = make_unit(district, f"0990{number}", f"Xã {number}", "xa", valid_to=tree.yen_bai.valid_to)
        if number < 2:
            make_unit(commune, f"0990{number}-01", f"Thôn {number}", "thon")
    data_set = make_data_set("THON_NAM", "year", "village", [("CO_5G", "Có sóng 5G", ValueType.BOOLEAN)])
    indicator = make_indicator(
        "HUYEN_5G",
        "#{CO_5G}",
        kind=IndicatorKind.UNIT_COUNT,
        count_level="district",
        display_format=DisplayFormat.FRACTION,
    )
    from tinhso.units.models import Unit

    for code, has_5g in (("04441-01", True), ("04300-01", True), ("09900-01", True), ("09901-01", True)):
        village = Unit.objects.filter(code=code).order_by("valid_from").first()
        report(data_set, village, "2024", {"CO_5G": "true" if has_5g else "false"})
    report(data_set, tree.dong_tam, "2024", {"CO_5G": "false"})
    result = figure(tree.yen_bai, indicator, "2024", BEFORE_REFORM)
    assert result.display == "4/9"
    assert figure(tree.lao_cai, indicator, "2024", AFTER_REFORM).display == "4/9"


def test_monthly_flows_sum_into_the_year_and_stocks_take_the_last_month(tree):
    data_set = make_data_set(
        "XA_THANG",
        "month",
        "commune",
        [("HS_TRUCTUYEN", "Hồ sơ trực tuyến"), ("CAN_BO", "Cán bộ", ValueType.INTEGER, "last")],
    )
    flows = make_indicator("HS", "#{HS_TRUCTUYEN}", decimals=0)
    stock = make_indicator("CB", "#{CAN_BO}", decimals=0)
    for month, dossiers, staff in (("202401", 10, 20), ("202402", 5, 21), ("202406", 7, 23)):
        report(data_set, tree.xuan_ai, month, {"HS_TRUCTUYEN": dossiers, "CAN_BO": staff})
    assert figure(tree.xuan_ai, flows, "2024", BEFORE_REFORM).value == 22
    assert figure(tree.xuan_ai, stock, "2024", BEFORE_REFORM).value == 23
    assert figure(tree.xuan_ai, stock, "2024Q1", BEFORE_REFORM).value == 21


def test_returning_an_approved_report_takes_its_values_out_at_once(tree, broadband):
    from tinhso.plans import services

    data_set, indicator = broadband
    approved = report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    assert figure(tree.yen_bai, indicator, "2024", BEFORE_REFORM).numerator == 9
    services.return_report(approved, actor=None, reason="Thiếu minh chứng")
    assert figure(tree.yen_bai, indicator, "2024", BEFORE_REFORM).has_data is False
    assert not RollupValue.objects.exists()


def test_rebuilding_roll_ups_gives_what_approvals_kept(tree, broadband):
    data_set, _indicator = broadband
    village_set = make_data_set("THON_NAM", "year", "village", [("CO_5G", "Có sóng 5G", ValueType.BOOLEAN)])
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    report(data_set, tree.khanh_hoa, "2024", {"THON_BANGRONG": 4, "THON": 6})
    report(village_set, tree.khe_dua, "2024", {"CO_5G": "true"})
    report(village_set, tree.new_khe_dua, "2025", {"CO_5G": "true"})
    kept = sorted(RollupValue.objects.values_list("unit_id", "data_element_id", "period", "total", "count"))
    rollups.rebuild()
    assert sorted(RollupValue.objects.values_list("unit_id", "data_element_id", "period", "total", "count")) == kept
    assert len(kept) == 3 + 3 + 2 + 1 + 1 + 1  # Yên Bái, Văn Yên, Lục Yên, old and new Xuân Ái, Lào Cai


def test_truncated_display_of_16_of_22(tree):
    data_set = make_data_set("TINH_NAM", "year", "province", [("MT_DAT", "Mục tiêu đạt"), ("MT", "Mục tiêu")])
    indicator = make_indicator("TL_MT", "#{MT_DAT}", "#{MT}", decimals=0, rounding=Rounding.TRUNCATE)
    report(data_set, tree.yen_bai, "2024", {"MT_DAT": 16, "MT": 22})
    result = figure(tree.yen_bai, indicator, "2024", BEFORE_REFORM)
    assert result.display == "72%" and result.shown_value == Decimal(72)
