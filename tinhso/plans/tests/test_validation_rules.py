"""Validation rules declared as data on a data set (DHIS2 style): “online” above “received”, or more fibre
households than the village has, are refused on entry and on import with a Vietnamese message naming both
sides and their values; warnings are shown and let the report go; the page shows the officer's entries back."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.plans import services
from tinhso.plans.choices import ReportStatus, RuleImportance, ValueType
from tinhso.plans.exchange import Row
from tinhso.plans.models import DataValue, Report, ValidationRule
from tinhso.plans.testing import make_data_set, report

ONLINE_ABOVE_RECEIVED = (
    "Hồ sơ trực tuyến không vượt quá hồ sơ tiếp nhận: "
    "Hồ sơ trực tuyến (150) phải nhỏ hơn hoặc bằng Hồ sơ tiếp nhận (120)."
)
FIBRE_ABOVE_HOUSEHOLDS = (
    "Số hộ có cáp quang không vượt quá số hộ của thôn: "
    "Hộ có cáp quang (500) phải nhỏ hơn hoặc bằng số hộ của Thôn Khe Dứa (120)."
)


@pytest.fixture
def dossiers(tree):
    data_set = make_data_set(
        "XA_THANG",
        "month",
        "commune",
        [("HS_TIEPNHAN", "Hồ sơ tiếp nhận"), ("HS_TRUCTUYEN", "Hồ sơ trực tuyến"), ("HS_DUNGHAN", "Hồ sơ đúng hạn")],
    )
    data_set.members.filter(data_element__code="HS_DUNGHAN").update(is_required=False)
    ValidationRule.objects.create(
        data_set=data_set,
        name="Trực tuyến ≤ tiếp nhận",
        message="Hồ sơ trực tuyến không vượt quá hồ sơ tiếp nhận",
        left="#{HS_TRUCTUYEN}",
        operator="<=",
        right="#{HS_TIEPNHAN}",
    )
    ValidationRule.objects.create(
        data_set=data_set,
        name="Đúng hạn thường trên một nửa",
        left="#{HS_DUNGHAN} * 2",
        operator=">=",
        right="#{HS_TIEPNHAN}",
        importance=RuleImportance.WARNING,
    )
    return data_set


@pytest.fixture
def fibre(tree):
    data_set = make_data_set("THON_NAM", "year", "village", [("HO_CAPQUANG", "Hộ có cáp quang")])
    ValidationRule.objects.create(
        data_set=data_set,
        name="Cáp quang ≤ số hộ",
        message="Số hộ có cáp quang không vượt quá số hộ của thôn",
        left="#{HO_CAPQUANG}",
        operator="<=",
        right="U{households}",
    )
    return data_set


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


def stored(opened) -> dict:
    return dict(DataValue.objects.filter(report=opened).values_list("data_element__code", "value"))


def test_online_above_received_is_refused_on_entry_naming_both_fields(tree, dossiers, officer):
    opened = report(dossiers, tree.xuan_ai, "202411", {}, status="draft")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_report_values(opened, {"HS_TIEPNHAN": ("120", ""), "HS_TRUCTUYEN": ("150", "")}, actor=officer)
    assert refused.value.message_dict == {"HS_TRUCTUYEN": [ONLINE_ABOVE_RECEIVED]}
    assert stored(opened) == {}


def test_lowering_received_below_a_stored_online_value_is_refused_too(tree, dossiers, officer):
    opened = report(dossiers, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 200, "HS_TRUCTUYEN": 150}, status="draft")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_report_values(opened, {"HS_TIEPNHAN": ("120", "")}, actor=officer)
    assert refused.value.message_dict == {"HS_TRUCTUYEN": [ONLINE_ABOVE_RECEIVED]}
    assert stored(opened) == {"HS_TIEPNHAN": "200", "HS_TRUCTUYEN": "150"}


@pytest.mark.parametrize(
    ("received", "online", "accepted"),
    [("120", "120", True), ("120", "119", True), ("120", "121", False), ("0", "0", True), ("0", "1", False)],
)
def test_the_boundary_of_at_most(tree, dossiers, officer, received, online, accepted):
    opened = report(dossiers, tree.xuan_ai, "202411", {}, status="draft")
    entries = {"HS_TIEPNHAN": (received, ""), "HS_TRUCTUYEN": (online, "")}
    if accepted:
        services.save_report_values(opened, entries, actor=officer)
        assert stored(opened) == {"HS_TIEPNHAN": received, "HS_TRUCTUYEN": online}
    else:
        with pytest.raises(ValidationError):
            services.save_report_values(opened, entries, actor=officer)
        assert stored(opened) == {}


def test_a_rule_waits_while_one_of_its_values_is_empty(tree, dossiers, officer):
    opened = report(dossiers, tree.xuan_ai, "202411", {}, status="draft")
    result = services.save_report_values(opened, {"HS_TRUCTUYEN": ("150", "")}, actor=officer)
    assert result.saved == 1 and result.warnings == []


def test_a_warning_is_said_and_the_values_are_kept_and_submitted(tree, dossiers, officer):
    opened = report(dossiers, tree.xuan_ai, "202411", {}, status="draft")
    with translation.override("vi"):
        result = services.save_report_values(
            opened, {"HS_TIEPNHAN": ("120", ""), "HS_TRUCTUYEN": ("100", ""), "HS_DUNGHAN": ("40", "")}, actor=officer
        )
    assert result.warnings == [
        "Đúng hạn thường trên một nửa: Hồ sơ đúng hạn * 2 (80) phải lớn hơn hoặc bằng Hồ sơ tiếp nhận (120)."
    ]
    assert stored(opened) == {"HS_TIEPNHAN": "120", "HS_TRUCTUYEN": "100", "HS_DUNGHAN": "40"}
    services.submit_report(opened, actor=officer)
    assert Report.objects.get(pk=opened.pk).status == ReportStatus.SUBMITTED


def test_more_fibre_households_than_the_village_has_is_refused(tree, fibre):
    leader = make_user("village_team_leader", tree.khe_dua)
    opened = report(fibre, tree.khe_dua, "2024", {}, status="draft")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_report_values(opened, {"HO_CAPQUANG": ("500", "")}, actor=leader)
    assert refused.value.message_dict == {"HO_CAPQUANG": [FIBRE_ABOVE_HOUSEHOLDS]}
    services.save_report_values(opened, {"HO_CAPQUANG": ("110", "")}, actor=leader)
    assert stored(opened) == {"HO_CAPQUANG": "110"}


def test_a_village_without_a_recorded_household_count_is_not_judged(tree, fibre):
    from tinhso.units import services as units

    with translation.override("vi"):
        units.update_unit(tree.na_hau, actor=None, changes={"households": None})
    leader = make_user("village_team_leader", tree.na_hau)
    opened = report(fibre, tree.na_hau, "2024", {}, status="draft")
    services.save_report_values(opened, {"HO_CAPQUANG": ("500", "")}, actor=leader)
    assert stored(opened) == {"HO_CAPQUANG": "500"}


def test_the_report_page_shows_the_rule_on_the_field_and_keeps_what_was_typed(tree, dossiers, officer):
    opened = report(dossiers, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 80}, status="draft")
    response = web_client(officer).post(
        opened.get_absolute_url(),
        {"value_HS_TIEPNHAN": "120", "value_HS_TRUCTUYEN": "150", "save": "1"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hồ sơ trực tuyến (150) phải nhỏ hơn hoặc bằng Hồ sơ tiếp nhận (120)" in page
    assert 'value="150"' in page
    assert stored(opened) == {"HS_TIEPNHAN": "120", "HS_TRUCTUYEN": "80"}


def test_the_report_page_shows_a_warning_after_saving(tree, dossiers, officer):
    opened = report(dossiers, tree.xuan_ai, "202411", {}, status="draft")
    client = web_client(officer)
    response = client.post(
        opened.get_absolute_url(),
        {"value_HS_TIEPNHAN": "120", "value_HS_TRUCTUYEN": "100", "value_HS_DUNGHAN": "40", "save": "1"},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    page = response.content.decode()
    assert "Hồ sơ đúng hạn * 2 (80) phải lớn hơn hoặc bằng Hồ sơ tiếp nhận (120)" in page
    assert "Vui lòng kiểm tra lại" in page
    assert stored(opened) == {"HS_TIEPNHAN": "120", "HS_TRUCTUYEN": "100", "HS_DUNGHAN": "40"}


def import_rows(*specs) -> list[Row]:
    return [
        Row(number=number, data_element=element, period=period, org_unit=unit, value=value)
        for number, (element, period, unit, value) in enumerate(specs, start=1)
    ]


def test_an_import_breaking_a_rule_writes_nothing_and_names_the_row(tree, dossiers):
    district = make_user("district_officer", tree.van_yen)
    rows = import_rows(
        ("HS_TIEPNHAN", "202411", "04426", "50"),
        ("HS_TRUCTUYEN", "202411", "04426", "40"),
        ("HS_TIEPNHAN", "202411", "04441", "120"),
        ("HS_TRUCTUYEN", "202411", "04441", "150"),
    )
    with translation.override("vi"):
        summary = services.import_data_values(rows, actor=district)
    assert summary.status == "ERROR"
    assert [(conflict.row, conflict.object, conflict.message) for conflict in summary.conflicts] == [
        (4, "HS_TRUCTUYEN", ONLINE_ABOVE_RECEIVED)
    ]
    assert not DataValue.objects.exists() and not Report.objects.exists()


def test_without_atomic_only_the_report_breaking_a_rule_is_left_out(tree, dossiers):
    district = make_user("district_officer", tree.van_yen)
    rows = import_rows(
        ("HS_TIEPNHAN", "202411", "04426", "50"),
        ("HS_TRUCTUYEN", "202411", "04426", "40"),
        ("HS_TIEPNHAN", "202411", "04441", "120"),
        ("HS_TRUCTUYEN", "202411", "04441", "150"),
    )
    summary = services.import_data_values(rows, actor=district, atomic=False)
    assert summary.status == "WARNING"
    assert summary.counts == {"imported": 2, "updated": 0, "ignored": 2, "deleted": 0}
    assert set(DataValue.objects.values_list("unit__code", flat=True)) == {"04426"}


def test_an_import_is_judged_with_the_values_the_report_already_holds(tree, dossiers):
    report(dossiers, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120}, status="draft")
    district = make_user("district_officer", tree.van_yen)
    refused = services.import_data_values(import_rows(("HS_TRUCTUYEN", "202411", "04441", "150")), actor=district)
    assert refused.status == "ERROR" and refused.conflicts[0].row == 1
    accepted = services.import_data_values(import_rows(("HS_TRUCTUYEN", "202411", "04441", "90")), actor=district)
    assert accepted.status == "SUCCESS"
    assert DataValue.objects.get(data_element__code="HS_TRUCTUYEN").value == "90"


def test_a_warning_does_not_stop_an_import(tree, dossiers):
    district = make_user("district_officer", tree.van_yen)
    rows = import_rows(
        ("HS_TIEPNHAN", "202411", "04441", "120"),
        ("HS_TRUCTUYEN", "202411", "04441", "100"),
        ("HS_DUNGHAN", "202411", "04441", "10"),
    )
    assert services.import_data_values(rows, actor=district).status == "SUCCESS"
    assert DataValue.objects.count() == 3


@pytest.mark.parametrize(
    ("left", "right", "field"),
    [
        ("#{KHONG_CO}", "#{HS_TIEPNHAN}", "left"),
        ("#{HS_TRUCTUYEN}", "U{dientich}", "right"),
        ("#{HS_TRUCTUYEN} +", "1", "left"),
    ],
)
def test_a_rule_with_an_unknown_code_or_a_broken_formula_is_refused_when_declared(tree, dossiers, left, right, field):
    admin = make_user("province_admin", tree.yen_bai)
    rule = ValidationRule(data_set=dossiers, name="Sai", left=left, operator="<=", right=right)
    with pytest.raises(ValidationError) as refused:
        services.save_data_set_part(rule, actor=admin)
    assert field in refused.value.message_dict
    assert dossiers.rules.count() == 2


def test_an_indicator_cannot_use_a_units_own_figure(tree, dossiers):
    from tinhso.plans.testing import make_indicator

    indicator = make_indicator("TL_CAPQUANG", "#{HS_TIEPNHAN}", "U{households}")
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert "households" in refused.value.message_dict["denominator"][0]


def test_the_data_set_page_lists_its_rules_with_their_importance(tree, dossiers, officer):
    page = web_client(officer).get("/plans/datasets/XA_THANG/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Trực tuyến ≤ tiếp nhận" in page and "Chặn" in page and "Cảnh báo" in page


@pytest.mark.parametrize("value_type", [ValueType.BOOLEAN, ValueType.TEXT])
def test_rules_over_yes_no_and_text_values(tree, value_type):
    data_set = make_data_set(
        "XA_NAM", "year", "commune", [("CO_WIFI", "Có wifi", value_type), ("DIEM_WIFI", "Điểm wifi")]
    )
    ValidationRule.objects.create(
        data_set=data_set, name="Có điểm thì có wifi", left="#{DIEM_WIFI}", operator="<=", right="#{CO_WIFI} * 1000"
    )
    officer = make_user("commune_officer", tree.xuan_ai)
    opened = report(data_set, tree.xuan_ai, "2024", {}, status="draft")
    entries = {"CO_WIFI": ("không" if value_type == ValueType.BOOLEAN else "chưa có", ""), "DIEM_WIFI": ("3", "")}
    if value_type == ValueType.BOOLEAN:  # "no" is 0: three hotspots in a commune without wifi is refused
        with pytest.raises(ValidationError):
            services.save_report_values(opened, entries, actor=officer)
    else:  # a text has no number: the rule is not judged
        services.save_report_values(opened, entries, actor=officer)
        assert stored(opened)["DIEM_WIFI"] == "3"
