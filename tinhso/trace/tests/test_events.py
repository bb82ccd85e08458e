import pytest

from tinhso.core.testing import api_client
from tinhso.trace.models import Event

pytestmark = pytest.mark.django_db


def document(*events):
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "epcisBody": {"eventList": list(events)},
    }


def harvest(tree, kg=3.2, **extra):
    return {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "https://ref.gs1.org/cbv/BizStep-harvesting",
        "eventTime": "2025-04-02T07:30:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": [tree.link],
        "quantityList": [{"epcClass": tree.link, "quantity": kg, "uom": "KGM"}],
        "tinhso:performedBy": "Sùng A Vàng",
        **extra,
    }


def test_an_officer_records_a_harvest_as_an_epcis_document(tea):
    response = api_client(tea.officer).post("/api/v1/trace/events/", document(harvest(tea.tree1)), format="json")
    assert response.status_code == 201, response.json()
    event = Event.objects.get()
    assert (event.kind, float(event.quantity_kg), event.performed_by) == ("harvesting", 3.2, "Sùng A Vàng")
    assert event.recorded_by == tea.officer


def test_a_document_with_one_bad_event_records_none(tea):
    bad = harvest(tea.tree1, eventTime="2025-04-02")
    foreign = harvest(tea.other_tree)
    response = api_client(tea.officer).post(
        "/api/v1/trace/events/", document(harvest(tea.tree1), bad, foreign), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"eventList[1].eventTime", "eventList[2].epcList"}
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        [],
        {"type": "EPCISDocument"},
        {"type": "EPCISDocument", "epcisBody": {"eventList": "x"}},
        {"type": "EPCISDocument", "epcisBody": {"eventList": [{"type": "AggregationEvent"}]}},
    ],
)
def test_hostile_documents_are_refused(tea, payload):
    response = api_client(tea.officer).post("/api/v1/trace/events/", payload, format="json")
    assert response.status_code == 400
    assert Event.objects.count() == 0


def test_events_export_as_epcis_json_ld(tea):
    api_client(tea.officer).post("/api/v1/trace/events/", document(harvest(tea.tree1)), format="json")
    response = api_client(tea.officer).get(f"/api/v1/trace/events/?tree={tea.tree1.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["type"] == "EPCISDocument" and "epcis-context.jsonld" in data["@context"][0]
    [event] = data["epcisBody"]["eventList"]
    assert event["epcList"] == [tea.tree1.link] and event["quantityList"][0]["uom"] == "KGM"


def test_a_citizen_may_not_record_events(tea):
    response = api_client(tea.citizen).post("/api/v1/trace/events/", document(harvest(tea.tree1)), format="json")
    assert response.status_code == 403
    assert Event.objects.count() == 0


def events_csv(lines):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "Số hiệu cây,Loại,Ngày,Sản lượng (kg),Người thực hiện\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("nhat-ky.csv", text.encode())


def test_care_and_harvests_are_imported_from_csv(tea):
    lines = ['SG-0001,Thu hái,2/4/2025,"3,5",Sùng A Vàng', "SG-0001,Pruning,15/1/2025,,Tổ kỹ thuật"]
    response = api_client(tea.officer).post(
        "/api/v1/trace/events/import/", {"file": events_csv(lines)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert sorted(Event.objects.values_list("kind", flat=True)) == ["harvesting", "pruning"]


def test_an_events_csv_with_bad_rows_records_nothing(tea):
    lines = ["SG-0001,Thu hái,2/4/2025,3,A", "KH-0001,Thu hái,2/4/2025,3,B", "SG-0001,Nhảy múa,x,-2,C"]
    response = api_client(tea.officer).post(
        "/api/v1/trace/events/import/", {"file": events_csv(lines)}, format="multipart"
    )
    assert response.status_code == 400
    assert {(e["row"], e["column"]) for e in response.json()["errors"]} == {
        (3, "tree"),
        (4, "kind"),
        (4, "date"),
        (4, "quantity_kg"),
    }
    assert Event.objects.count() == 0
