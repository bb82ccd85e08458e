"""The fixed API names: data elements, data sets and indicators (paginated, searchable by name) and
an indicator's value for a unit and period."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.plans.choices import DisplayFormat, IndicatorKind, ValueType
from tinhso.plans.testing import make_data_set, make_indicator, report


@pytest.fixture
def definitions(tree):
    data_set = make_data_set(
        "XA_NAM", "year", "commune", [("THON_BANGRONG", "Thôn có Internet băng rộng cố định"), ("THON", "Số thôn")]
    )
    villages = make_data_set("THON_NAM", "year", "village", [("CO_5G", "Thôn có sóng 5G", ValueType.BOOLEAN)])
    ratio = make_indicator("TL_BANGRONG", "#{THON_BANGRONG}", "#{THON}", name="Tỷ lệ thôn có Internet băng rộng")
    count = make_indicator(
        "HUYEN_5G",
        "#{CO_5G}",
        name="Số huyện có sóng 5G",
        kind=IndicatorKind.UNIT_COUNT,
        count_level="district",
        display_format=DisplayFormat.FRACTION,
    )
    return data_set, villages, ratio, count


@pytest.fixture
def client(tree):
    return api_client(make_user("district_officer", tree.van_yen))


@pytest.mark.parametrize("resource", ["dataelements", "datasets", "indicators"])
def test_definitions_are_listed_with_code_and_name(client, definitions, resource):
    response = client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert all({"code", "name"} <= set(row) for row in body["results"])


def test_search_matches_names_with_or_without_vietnamese_marks(client, definitions):
    with_marks = client.get("/api/v1/dataelements/", {"search": "băng rộng"}).json()["results"]
    without = client.get("/api/v1/dataelements/", {"search": "bang rong"}).json()["results"]
    assert [row["code"] for row in with_marks] == [row["code"] for row in without] == ["THON_BANGRONG"]
    assert client.get("/api/v1/indicators/", {"search": "5G"}).json()["count"] == 1


def test_one_definition_by_code(client, definitions):
    response = client.get("/api/v1/datasets/XA_NAM/")
    assert response.json()["data_elements"] == ["THON_BANGRONG", "THON"]
    assert client.get("/api/v1/indicators/HUYEN_5G/").json()["display_format"] == "fraction"


def test_the_value_of_an_indicator_for_a_unit_and_period(client, definitions, tree):
    data_set, _villages, _ratio, _count = definitions
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 1340, "THON": 1356})
    response = client.get(
        "/api/v1/indicators/TL_BANGRONG/values/", {"unit": "136", "period": "2024"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["numerator"], body["denominator"], body["display"]) == ("1340.000000", "1356.000000", "98,8%")
    assert body["value"].startswith("98.82")
    assert body["unit"] == {"code": "136", "name": "Huyện Văn Yên"}


def test_the_value_of_a_merged_commune_after_the_reform(client, definitions, tree):
    data_set = definitions[0]
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    report(data_set, tree.yen_hop, "2024", {"THON_BANGRONG": 1, "THON": 10})
    admin = api_client(make_user("province_admin", tree.lao_cai))
    body = admin.get(
        "/api/v1/indicators/TL_BANGRONG/values/", {"unit": "04441", "period": "2024", "as_of": "2025-09-01"}
    ).json()
    assert (body["numerator"], body["denominator"]) == ("10.000000", "20.000000")


def test_a_wrong_period_is_a_400_and_a_unit_outside_scope_a_404(client, definitions):
    bad = client.get(
        "/api/v1/indicators/TL_BANGRONG/values/", {"unit": "136", "period": "2024-13"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert bad.status_code == 400 and "2024-13" in bad.json()["period"][0]
    outside = client.get("/api/v1/indicators/TL_BANGRONG/values/", {"unit": "135", "period": "2024"})
    assert outside.status_code == 404


def test_citizens_do_not_read_definitions(tree, definitions):
    assert api_client(make_user("citizen", tree.xuan_ai)).get("/api/v1/indicators/").status_code == 403


def test_reports_can_be_submitted_and_approved_through_the_api(tree, definitions):
    data_set = definitions[0]
    officer, district = make_user("commune_officer", tree.xuan_ai), make_user("district_officer", tree.van_yen)
    draft = report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 5, "THON": 8}, status="draft")
    assert api_client(officer).post(f"/api/v1/reports/{draft.pk}/submit/").json()["status"] == "submitted"
    refused = api_client(officer).post(f"/api/v1/reports/{draft.pk}/approve/")
    assert refused.status_code == 403
    assert api_client(district).post(f"/api/v1/reports/{draft.pk}/approve/").json()["status"] == "approved"
    returned = api_client(district).post(f"/api/v1/reports/{draft.pk}/return/", {"reason": "Sai số thôn"})
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "Sai số thôn"


def test_the_dx_centre_maintains_definitions_in_the_admin_and_bad_formulas_are_refused(tree, definitions):
    staff = make_user("dx_centre_staff", tree.yen_bai, is_staff=True)
    client = web_client(staff)
    for page in ("dataelement", "dataset", "indicator", "plan"):
        assert client.get(f"/admin/plans/{page}/").status_code == 200
    response = client.post(
        "/admin/plans/indicator/add/",
        {
            "code": "TL_MOI",
            "name": "Chỉ tiêu mới",
            "pillar": "society",
            "kind": "ratio",
            "numerator": "#{KHONG_CO}",
            "denominator": "#{THON}",
            "factor": "100",
            "condition_operator": ">",
            "condition_value": "0",
            "direction": "higher",
            "display_format": "percent",
            "decimals": "1",
            "rounding": "round",
            "order": "0",
            "is_active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert "KHONG_CO" in response.content.decode()
    from tinhso.plans.models import Indicator

    assert not Indicator.objects.filter(code="TL_MOI").exists()
