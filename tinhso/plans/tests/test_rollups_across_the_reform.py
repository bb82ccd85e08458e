"""Dashboards' totals across the 2025 reform: whatever the villages and communes report and whichever reports
are approved, returned or approved again, every unit's roll-up equals the sum of the approved values below it —
under the tree before the reform (Yên Bái, its districts) and after it (Lào Cai, the merged Xuân Ái) alike —
and a rebuild from scratch finds what the approvals kept."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.plans import periods, rollups, services
from tinhso.plans.figures import Ask, Calculator
from tinhso.plans.models import DataValue, Report, RollupValue
from tinhso.plans.testing import AFTER_REFORM, BEFORE_REFORM, make_data_set, make_indicator, report
from tinhso.units.snapshot import forget_snapshots, snapshot_on

VILLAGES = ("khe_dua", "na_hau", "dong_tam", "khuoi_vai")
COMMUNES = ("xuan_ai", "yen_hop", "khanh_hoa")


@pytest.fixture
def sets(tree):
    villages = make_data_set("THON_NAM", "year", "village", [("HO_CAPQUANG", "Hộ có cáp quang")])
    communes = make_data_set("XA_NAM", "year", "commune", [("DIEM_WIFI", "Điểm wifi công cộng")])
    fibre = make_indicator("HO_CAPQUANG_TONG", "#{HO_CAPQUANG}", decimals=0)
    wifi = make_indicator("DIEM_WIFI_TONG", "#{DIEM_WIFI}", decimals=0)
    return villages, communes, fibre, wifi


def total(unit, indicator, day, period="2024") -> Decimal:
    forget_snapshots()
    [figure] = Calculator(snapshot_on(day)).compute([Ask(unit.pk, indicator, periods.parse(period))])
    return figure.numerator if figure.has_data else Decimal(0)


def kept() -> list:
    return sorted(RollupValue.objects.values_list("unit_id", "data_element_id", "period", "total", "count"))


def clear() -> None:
    RollupValue.objects.all().delete()
    DataValue.objects.all().delete()
    Report.objects.all().delete()


entries = st.fixed_dictionaries(
    {
        "villages": st.lists(st.integers(min_value=0, max_value=500), min_size=4, max_size=4),
        "communes": st.lists(st.integers(min_value=0, max_value=90), min_size=3, max_size=3),
        "approved": st.lists(st.booleans(), min_size=7, max_size=7),
        "returned": st.lists(st.booleans(), min_size=7, max_size=7),
    }
)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=entries)
def test_every_roll_up_is_the_sum_of_the_approved_values_below_before_and_after_the_reform(tree, sets, data):
    clear()
    villages, communes, fibre, wifi = sets
    counted = {}
    for index, (name, households) in enumerate(zip(VILLAGES, data["villages"], strict=True)):
        status = "approved" if data["approved"][index] else "submitted"
        made = report(villages, getattr(tree, name), "2024", {"HO_CAPQUANG": households}, status=status)
        if status == "approved" and data["returned"][index]:
            services.return_report(made, actor=None, reason="Kiểm tra lại")
        counted[name] = households if status == "approved" and not data["returned"][index] else 0
    for offset, (name, hotspots) in enumerate(zip(COMMUNES, data["communes"], strict=True)):
        index = len(VILLAGES) + offset
        status = "approved" if data["approved"][index] else "draft"
        made = report(communes, getattr(tree, name), "2024", {"DIEM_WIFI": hotspots}, status=status)
        if status == "approved" and data["returned"][index]:
            services.return_report(made, actor=None, reason="Kiểm tra lại")
        counted[name] = hotspots if status == "approved" and not data["returned"][index] else 0

    fibre_all = sum(counted[name] for name in VILLAGES)
    wifi_all = sum(counted[name] for name in COMMUNES)
    # Before the reform: Yên Bái, its two districts and the old communes.
    assert total(tree.yen_bai, fibre, BEFORE_REFORM) == fibre_all
    assert total(tree.van_yen, fibre, BEFORE_REFORM) == counted["khe_dua"] + counted["na_hau"] + counted["dong_tam"]
    assert total(tree.luc_yen, fibre, BEFORE_REFORM) == counted["khuoi_vai"]
    assert total(tree.xuan_ai, fibre, BEFORE_REFORM) == counted["khe_dua"] + counted["na_hau"]
    assert total(tree.yen_bai, wifi, BEFORE_REFORM) == wifi_all
    assert total(tree.van_yen, wifi, BEFORE_REFORM) == counted["xuan_ai"] + counted["yen_hop"]
    # After it: Lào Cai holds everything, the merged Xuân Ái holds the old Xuân Ái and Yên Hợp.
    assert total(tree.lao_cai, fibre, AFTER_REFORM) == fibre_all
    assert total(tree.lao_cai, wifi, AFTER_REFORM) == wifi_all
    assert total(tree.new_xuan_ai, wifi, AFTER_REFORM) == counted["xuan_ai"] + counted["yen_hop"]
    assert total(tree.new_xuan_ai, fibre, AFTER_REFORM) == fibre_all - counted["khuoi_vai"]
    assert total(tree.new_khanh_hoa, wifi, AFTER_REFORM) == counted["khanh_hoa"]
    # What the approvals kept is what a rebuild finds.
    before = kept()
    rollups.rebuild()
    assert kept() == before


def test_values_reported_after_the_reform_roll_back_under_the_old_structure(tree, sets):
    villages, communes, fibre, wifi = sets
    report(villages, tree.new_khe_dua, "2025", {"HO_CAPQUANG": 90})
    report(villages, tree.khe_dua, "2024", {"HO_CAPQUANG": 60})
    report(communes, tree.new_xuan_ai, "2025", {"DIEM_WIFI": 12})
    assert total(tree.new_xuan_ai, fibre, AFTER_REFORM, "2025") == 90
    assert total(tree.lao_cai, wifi, AFTER_REFORM, "2025") == 12
    assert total(tree.new_xuan_ai, fibre, AFTER_REFORM, "2024") == 60
    assert total(tree.yen_bai, fibre, BEFORE_REFORM, "2024") == 60


def test_returning_after_the_reform_takes_the_value_out_of_both_structures(tree, sets):
    villages, _communes, fibre, _wifi = sets
    approved = report(villages, tree.na_hau, "2024", {"HO_CAPQUANG": 70})
    report(villages, tree.dong_tam, "2024", {"HO_CAPQUANG": 30})
    assert total(tree.lao_cai, fibre, AFTER_REFORM) == 100
    district = make_user("district_officer", tree.van_yen)
    services.return_report(approved, actor=district, reason="Số hộ chưa đúng")
    assert total(tree.lao_cai, fibre, AFTER_REFORM) == 30
    assert total(tree.yen_bai, fibre, BEFORE_REFORM) == 30
    services.submit_report(approved, actor=make_user("village_team_leader", tree.na_hau))
    services.approve_report(approved, actor=district)
    assert total(tree.new_xuan_ai, fibre, AFTER_REFORM) == 100


def test_a_submitted_report_counts_nowhere_until_approved(tree, sets):
    villages, _communes, fibre, _wifi = sets
    submitted = report(villages, tree.khe_dua, "2024", {"HO_CAPQUANG": 45}, status="submitted")
    assert not RollupValue.objects.exists()
    assert total(tree.lao_cai, fibre, AFTER_REFORM) == 0
    services.approve_report(submitted, actor=make_user("commune_officer", tree.xuan_ai))
    assert total(tree.lao_cai, fibre, AFTER_REFORM) == 45
    assert set(RollupValue.objects.values_list("unit_id", flat=True)) == {
        tree.xuan_ai.pk,
        tree.van_yen.pk,
        tree.yen_bai.pk,
    }


def test_the_province_dashboard_shows_the_same_total_before_and_after_the_reform(tree, sets):
    villages, _communes, fibre, _wifi = sets
    for name, households in zip(VILLAGES, (120, 80, 150, 60), strict=True):
        report(villages, getattr(tree, name), "2024", {"HO_CAPQUANG": households})
    admin = make_user("province_admin", tree.yen_bai)
    successor_admin = make_user("province_admin", tree.lao_cai)
    params = {"period": "2024", "indicator": "HO_CAPQUANG_TONG"}
    before = web_client(admin).get(
        f"/plans/units/{tree.yen_bai.pk}/", {**params, "as_of": "2024-12-31"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    after = web_client(successor_admin).get(
        f"/plans/units/{tree.lao_cai.pk}/", {**params, "as_of": "2025-09-01"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert before.status_code == after.status_code == 200
    assert "410" in before.content.decode() and "410" in after.content.decode()


def test_the_monthly_flows_of_a_merged_commune_sum_into_its_year(tree):
    monthly = make_data_set("XA_THANG", "month", "commune", [("HS_TIEPNHAN", "Hồ sơ tiếp nhận")])
    received = make_indicator("HS_NAM", "#{HS_TIEPNHAN}", decimals=0)
    for month in range(1, 13):
        report(monthly, tree.xuan_ai, f"2024{month:02d}", {"HS_TIEPNHAN": 10})
        report(monthly, tree.yen_hop, f"2024{month:02d}", {"HS_TIEPNHAN": month})
    assert total(tree.new_xuan_ai, received, AFTER_REFORM) == 120 + 78
    assert total(tree.van_yen, received, BEFORE_REFORM) == 198
    assert total(tree.van_yen, received, BEFORE_REFORM, "2024Q1") == 30 + 6
