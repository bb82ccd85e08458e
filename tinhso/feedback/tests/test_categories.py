"""Categories per unit (a commune's own category is offered only inside the commune) and categories whose
reports are not published (seen by the office and the reporter only; the citizen is told when filing)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import Message
from tinhso.core.testing import api_client, web_client
from tinhso.feedback.choices import Level
from tinhso.feedback.models import Report, ServiceCategory

from .conftest import KHE_DUA, file_report

pytestmark = pytest.mark.django_db
PRIVATE_NOTICE = "Phản ánh thuộc loại này không được công khai"


@pytest.fixture
def own(world):
    """Xuân Ái's own category: the commune's staff behaviour (góp ý cán bộ xã), not public."""
    with acting_as(None, source="test"):
        return ServiceCategory.objects.create(
            unit=world.tree.new_xuan_ai, code="gop-y-can-bo", name="Góp ý cán bộ xã", level=Level.COMMUNE
        )


def offered(client, path="/open311/v2/services.json", **params):
    return {row["service_code"] for row in client.get(path, params).json()}


def test_a_commune_s_own_category_is_offered_only_inside_the_commune(world, own):
    inside = web_client(world.citizen).get("/feedback/new/").content.decode()
    assert "Góp ý cán bộ xã" in inside
    outsider = make_user("citizen", world.tree.new_khanh_hoa)
    assert "Góp ý cán bộ xã" not in web_client(outsider).get("/feedback/new/").content.decode()
    with pytest.raises(ValidationError) as refused:
        file_report(world, actor=outsider, service=own, place=world.tree.new_khanh_hoa)
    assert "service" in refused.value.message_dict and not Report.objects.exists()
    assert file_report(world, service=own).routed_to == world.xuan_ai_committee


def test_the_api_refuses_a_category_of_another_commune(world, own):
    outsider = make_user("citizen", world.tree.new_khanh_hoa)
    body = {"service": own.code, "place": world.tree.new_khanh_hoa.pk, "description": "Góp ý."}
    response = api_client(outsider).post("/api/v1/feedback/", body, format="json", HTTP_IDEMPOTENCY_KEY="c1")
    assert response.status_code == 400 and "service" in response.json() and not Report.objects.exists()


def test_open311_lists_the_services_of_the_place_asked_for(world, own):
    client = api_client()
    province = {"duong-hu-hong", "cau-cong", "noi-bo"}
    assert offered(client) == province
    assert offered(client, jurisdiction_id=world.tree.new_khe_dua.pk) == province | {"gop-y-can-bo"}
    assert offered(client, jurisdiction_id=world.tree.new_khanh_hoa.pk) == province
    assert offered(client, lat=str(KHE_DUA[0]), long=str(KHE_DUA[1])) == province | {"gop-y-can-bo"}
    xml = client.get("/open311/v2/services.xml", {"address_id": world.tree.new_xuan_ai.pk}).content.decode()
    assert "<service_code>gop-y-can-bo</service_code>" in xml
    for params in ({"jurisdiction_id": "99999999999999999999"}, {"jurisdiction_id": "x"}, {"lat": "abc", "long": "1"}):
        response = client.get("/open311/v2/services.json", params)
        assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_open311_refuses_a_post_of_a_category_not_offered_at_the_place(world, own):
    key = Token.objects.create(user=world.citizen).key
    data = {"api_key": key, "service_code": own.code, "address_id": world.tree.new_khanh_hoa.pk, "description": "x"}
    response = api_client().post("/open311/v2/requests.json", data)
    assert response.status_code == 400 and response.json()[0]["description"].startswith("service:")


def test_a_report_of_a_category_not_published_stays_off_every_public_door(world, django_capture_on_commit_callbacks):
    report = file_report(world, service=world.internal, latitude=KHE_DUA[0], longitude=KHE_DUA[1])
    published = file_report(world, description="Đường sạt, công khai.")
    cache.clear()
    client = web_client()
    listing = client.get("/phan-anh/").content.decode()
    assert f'data-report="{published.pk}"' in listing and f'data-report="{report.pk}"' not in listing
    assert client.get(f"/phan-anh/{report.pk}/").status_code == 404
    ids = [row["service_request_id"] for row in client.get("/open311/v2/requests.json").json()]
    assert ids == [str(published.pk)]
    assert client.get(f"/open311/v2/requests/{report.pk}.json").status_code == 404
    assert client.get(f"/open311/v2/tokens/{report.token}.json").status_code == 404
    assert "1 phản ánh đang chờ có vị trí" in client.get("/phan-anh/ban-do/").content.decode()
    assert "2 phản ánh đang chờ có vị trí" in web_client(world.officer).get("/feedback/map/").content.decode()
    office = web_client(world.officer).get(f"/feedback/{report.pk}/").content.decode()
    assert "Đường vào thôn bị sạt" in office and PRIVATE_NOTICE in office
    assert f"/feedback/{report.pk}/" in web_client(world.officer).get("/feedback/inbox/").content.decode()


def test_the_citizen_is_told_on_filing_that_the_report_stays_private(world):
    client = web_client(world.citizen)
    form = client.get("/feedback/new/").content.decode()
    assert "Nội bộ (không công khai)" in form
    data = {
        "service": world.internal.pk,
        "place": world.tree.new_khe_dua.pk,
        "description": "Cán bộ thôn thu tiền sai quy định.",
        "idempotency_key": "q1",
    }
    page = client.post("/feedback/new/", data, follow=True).content.decode()
    assert PRIVATE_NOTICE in page
    assert PRIVATE_NOTICE in Message.objects.get(recipient=world.citizen).body
    key = Token.objects.create(user=world.citizen).key
    answer = api_client().post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "noi-bo", "address_id": world.tree.new_khe_dua.pk, "description": "Khác"},
    )
    assert answer.status_code == 201 and PRIVATE_NOTICE in answer.json()[0]["service_notice"]
    mine = api_client(world.citizen).get("/api/v1/feedback/?mine=true").json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert {row["is_published"] for row in rows} == {False}


@pytest.fixture
def merged(world):
    """A category of Yên Hợp, a commune that merged into Xuân Ái in the 2025 reform."""
    with acting_as(None, source="test"):
        return ServiceCategory.objects.create(
            unit=world.tree.yen_hop, code="cho-yen-hop", name="Chợ Yên Hợp", level=Level.COMMUNE
        )


def test_a_category_of_a_merged_commune_is_offered_in_the_commune_it_became_part_of(world, merged):
    inside = web_client(world.citizen).get("/feedback/new/").content.decode()
    assert "Chợ Yên Hợp" in inside
    outsider = make_user("citizen", world.tree.new_khanh_hoa)
    assert "Chợ Yên Hợp" not in web_client(outsider).get("/feedback/new/").content.decode()
    client = api_client()
    province = {"duong-hu-hong", "cau-cong", "noi-bo"}
    assert offered(client) == province
    assert offered(client, jurisdiction_id=world.tree.new_xuan_ai.pk) == province | {"cho-yen-hop"}
    assert offered(client, jurisdiction_id=world.tree.new_khe_dua.pk) == province | {"cho-yen-hop"}
    assert offered(client, lat=str(KHE_DUA[0]), long=str(KHE_DUA[1])) == province | {"cho-yen-hop"}
    assert offered(client, jurisdiction_id=world.tree.new_khanh_hoa.pk) == province
    body = {"service": merged.code, "place": world.tree.new_khe_dua.pk, "description": "Chợ ngập nước."}
    response = api_client(world.citizen).post("/api/v1/feedback/", body, format="json", HTTP_IDEMPOTENCY_KEY="m1")
    assert response.status_code == 201
    assert Report.objects.get().routed_to == world.xuan_ai_committee
    body = {**body, "place": world.tree.new_khanh_hoa.pk}
    response = api_client(outsider).post("/api/v1/feedback/", body, format="json", HTTP_IDEMPOTENCY_KEY="m2")
    assert response.status_code == 400 and Report.objects.count() == 1


def test_a_category_of_the_province_before_the_reform_is_offered_in_the_province_of_today(world):
    with acting_as(None, source="test"):
        ServiceCategory.objects.create(unit=world.tree.yen_bai, code="cu", name="Loại cũ", level=Level.COMMUNE)
    assert "cu" in offered(api_client())
    assert "cu" in offered(api_client(), jurisdiction_id=world.tree.new_khanh_hoa.pk)


def test_an_inactive_category_is_offered_nowhere(world):
    with acting_as(None, source="test"):
        ServiceCategory.objects.filter(pk=world.road.pk).update(is_active=False)
    assert "duong-hu-hong" not in offered(api_client(), jurisdiction_id=world.tree.new_khe_dua.pk)
    assert "Đường hư hỏng" not in web_client(world.citizen).get("/feedback/new/").content.decode()
    world.road.refresh_from_db()
    with pytest.raises(ValidationError):
        file_report(world)
