"""The categories page: a commune officer keeps their commune's own categories (list, add, edit with the
Open311 attributes as a small form, deactivate), the DX centre the province's; scope by `restrict`; hostile
input answers 4xx and writes nothing; the admin checks the attribute definition's shape too."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, web_client
from tinhso.feedback.choices import Level
from tinhso.feedback.models import Report, ServiceCategory

from .conftest import file_report

pytestmark = pytest.mark.django_db

ROLES = {
    "province_admin": 200,
    "dx_centre_staff": 200,
    "department_staff": 403,
    "district_officer": 200,
    "commune_officer": 200,
    "village_team_leader": 403,
    "party_cell_secretary": 403,
    "citizen": 403,
}


@pytest.fixture
def own(world):
    with acting_as(None, source="test"):
        return {
            "xuan_ai": ServiceCategory.objects.create(
                unit=world.tree.new_xuan_ai, code="gop-y", name="Góp ý cán bộ xã", level=Level.COMMUNE
            ),
            "yen_hop": ServiceCategory.objects.create(
                unit=world.tree.yen_hop, code="cho-yen-hop", name="Chợ Yên Hợp", level=Level.COMMUNE
            ),
            "khanh_hoa": ServiceCategory.objects.create(
                unit=world.tree.new_khanh_hoa, code="kh", name="Riêng Khánh Hòa", level=Level.COMMUNE
            ),
        }


def form_data(world, **fields) -> dict:
    data = {
        "unit": world.tree.new_xuan_ai.pk,
        "code": "nuoc-sach",
        "name": "Nước sạch",
        "description": "",
        "group": "",
        "deadline_days": "7",
        "order": "50",
        "is_public": "on",
        "attributes-TOTAL_FORMS": "1",
        "attributes-INITIAL_FORMS": "0",
        "attributes-0-code": "muc_do",
        "attributes-0-datatype": "singlevaluelist",
        "attributes-0-required": "on",
        "attributes-0-description": "Mất nước bao lâu?",
        "attributes-0-values": "mot_ngay: Một ngày\nnhieu_ngay: Nhiều ngày",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_categories_page(world, role):
    unit = world.tree.new_xuan_ai if role in ("commune_officer", "village_team_leader") else world.tree.lao_cai
    client = web_client(make_user(role, unit))
    assert client.get("/feedback/categories/").status_code == ROLES[role]
    assert client.get("/feedback/categories/new/").status_code == ROLES[role]
    inbox = client.get("/feedback/inbox/")
    if inbox.status_code == 200:
        assert ("/feedback/categories/" in inbox.content.decode()) == (ROLES[role] == 200)


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    assert web_client().get("/feedback/categories/").status_code in (302, 403)


def test_a_commune_officer_sees_the_commune_s_own_categories_and_those_of_the_commune_merged_into_it(world, own):
    page = web_client(world.officer).get("/feedback/categories/").content.decode()
    assert 'data-category="gop-y"' in page and 'data-category="cho-yen-hop"' in page
    assert 'data-category="kh"' not in page and 'data-category="duong-hu-hong"' not in page


def test_a_commune_officer_adds_a_category_with_a_list_question(world):
    client = web_client(world.officer)
    response = client.post("/feedback/categories/new/", form_data(world))
    assert response.status_code == 302
    category = ServiceCategory.objects.get(code="nuoc-sach")
    assert category.unit == world.tree.new_xuan_ai and category.level == Level.COMMUNE
    assert category.attributes == [
        {
            "variable": True,
            "code": "muc_do",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "",
            "order": 1,
            "description": "Mất nước bao lâu?",
            "values": [{"key": "mot_ngay", "name": "Một ngày"}, {"key": "nhieu_ngay", "name": "Nhiều ngày"}],
        }
    ]
    change = ObjectChange.objects.filter(object_id=category.pk, object_type__model="servicecategory").get()
    assert change.user == world.officer and change.action == "create"
    services_here = api_client().get("/open311/v2/services.json", {"jurisdiction_id": world.tree.new_khe_dua.pk})
    assert "nuoc-sach" in {row["service_code"] for row in services_here.json()}
    definition = api_client().get("/open311/v2/services/nuoc-sach.json").json()
    assert definition["attributes"][0]["values"][1] == {"key": "nhieu_ngay", "name": "Nhiều ngày"}


def test_an_officer_edits_the_question_and_removes_it(world, own):
    client = web_client(world.officer)
    data = form_data(world, code="gop-y", name="Góp ý cán bộ")
    assert client.post(f"/feedback/categories/{own['xuan_ai'].pk}/", data).status_code == 302
    own["xuan_ai"].refresh_from_db()
    assert own["xuan_ai"].name == "Góp ý cán bộ" and own["xuan_ai"].attributes[0]["code"] == "muc_do"
    page = client.get(f"/feedback/categories/{own['xuan_ai'].pk}/").content.decode()
    assert "mot_ngay: Một ngày" in page
    data = form_data(world, code="gop-y", **{"attributes-INITIAL_FORMS": "1", "attributes-0-DELETE": "on"})
    assert client.post(f"/feedback/categories/{own['xuan_ai'].pk}/", data).status_code == 302
    own["xuan_ai"].refresh_from_db()
    assert own["xuan_ai"].attributes == []


HOSTILE = [
    {"attributes-0-datatype": "image"},
    {"attributes-0-values": ""},
    {"attributes-0-datatype": "string"},  # values on a string
    {"attributes-0-values": "a: A\na: B"},
    {"attributes-0-values": "khóa lạ: X"},
    {"attributes-0-code": "có dấu cách"},
    {"attributes-0-description": ""},
    {"attributes-0-description": "x" * 300},
    {"attributes-TOTAL_FORMS": "500"},
    {"deadline_days": "0"},
    {"code": "duong-hu-hong"},
    {"code": ""},
    {"unit": "999999"},
]


@pytest.mark.parametrize("fields", HOSTILE)
def test_hostile_input_is_refused_and_nothing_is_written(world, fields):
    response = web_client(world.officer).post("/feedback/categories/new/", form_data(world, **fields))
    assert response.status_code == 400
    assert not ServiceCategory.objects.filter(code="nuoc-sach").exists()
    assert ServiceCategory.objects.count() == 3


def test_a_duplicate_code_in_two_rows_is_refused(world):
    data = form_data(
        world,
        **{
            "attributes-TOTAL_FORMS": "2",
            "attributes-1-code": "muc_do",
            "attributes-1-datatype": "text",
            "attributes-1-description": "Ghi chú",
        },
    )
    response = web_client(world.officer).post("/feedback/categories/new/", data)
    assert response.status_code == 400 and "muc_do" in response.content.decode()
    assert not ServiceCategory.objects.filter(code="nuoc-sach").exists()


def test_an_officer_cannot_reach_another_commune_s_or_the_province_s_categories(world, own):
    client = web_client(world.officer)
    for category in (own["khanh_hoa"], world.road):
        before = ServiceCategory.objects.values().get(pk=category.pk)
        assert client.get(f"/feedback/categories/{category.pk}/").status_code == 404
        assert (
            client.post(f"/feedback/categories/{category.pk}/", form_data(world, code=category.code)).status_code == 404
        )
        assert client.post(f"/feedback/categories/{category.pk}/active/", {"active": "0"}).status_code == 404
        assert ServiceCategory.objects.values().get(pk=category.pk) == before
    # Nor add one on another commune or on the province, nor move its own there.
    for unit in (world.tree.new_khanh_hoa, world.tree.lao_cai):
        assert client.post("/feedback/categories/new/", form_data(world, unit=unit.pk)).status_code == 400
        moved = form_data(world, unit=unit.pk, code="gop-y")
        assert client.post(f"/feedback/categories/{own['xuan_ai'].pk}/", moved).status_code == 400
    assert not ServiceCategory.objects.filter(code="nuoc-sach").exists()
    assert ServiceCategory.objects.get(pk=own["xuan_ai"].pk).unit == world.tree.new_xuan_ai


def test_deactivating_a_category_keeps_its_reports_and_offers_it_nowhere(world, own):
    report = file_report(world, service=own["yen_hop"])
    client = web_client(world.officer)
    page = client.get("/feedback/categories/").content.decode()
    assert "Xóa" not in page and "/delete/" not in page
    assert client.get(f"/feedback/categories/{own['yen_hop'].pk}/active/").status_code == 405
    assert client.post(f"/feedback/categories/{own['yen_hop'].pk}/active/", {"active": "0"}).status_code == 302
    own["yen_hop"].refresh_from_db()
    assert not own["yen_hop"].is_active and Report.objects.filter(pk=report.pk, service=own["yen_hop"]).exists()
    assert "Chợ Yên Hợp" not in web_client(world.citizen).get("/feedback/new/").content.decode()
    assert client.get(f"/feedback/{report.pk}/").status_code == 200
    changes = ObjectChange.objects.filter(object_id=own["yen_hop"].pk, object_type__model="servicecategory")
    change = changes.get(action="update")
    assert change.prechange_data["is_active"] is True and change.postchange_data["is_active"] is False
    assert client.post(f"/feedback/categories/{own['yen_hop'].pk}/active/", {"active": "1"}).status_code == 302
    assert ServiceCategory.objects.get(pk=own["yen_hop"].pk).is_active


def test_a_category_of_the_merged_commune_is_edited_keeping_its_unit(world, own):
    data = form_data(world, unit=world.tree.yen_hop.pk, code="cho-yen-hop", name="Chợ Yên Hợp cũ")
    response = web_client(world.officer).post(f"/feedback/categories/{own['yen_hop'].pk}/", data)
    assert response.status_code == 302
    own["yen_hop"].refresh_from_db()
    assert own["yen_hop"].name == "Chợ Yên Hợp cũ" and own["yen_hop"].unit == world.tree.yen_hop
    # The old unit is no choice for a new category.
    assert (
        web_client(world.officer)
        .post("/feedback/categories/new/", form_data(world, unit=world.tree.yen_hop.pk))
        .status_code
        == 400
    )


def test_the_admin_checks_the_attribute_definition_s_shape(world):
    staff = make_user("dx_centre_staff", world.tree.lao_cai, is_staff=True)
    client = web_client(staff)
    data = {
        "unit": world.tree.lao_cai.pk,
        "code": "moi",
        "name": "Mới",
        "level": Level.COMMUNE,
        "deadline_days": "10",
        "order": "50",
        "is_public": "on",
        "is_active": "on",
        "attributes": '[{"code": "a", "datatype": "singlevaluelist", "description": "Hỏi"}]',
    }
    response = client.post("/admin/feedback/servicecategory/add/", data)
    assert response.status_code == 200 and "1-50" in response.content.decode()
    assert not ServiceCategory.objects.filter(code="moi").exists()
    data["attributes"] = '[{"code": "a", "datatype": "string", "description": "Hỏi"}]'
    assert client.post("/admin/feedback/servicecategory/add/", data).status_code == 302
    assert ServiceCategory.objects.get(code="moi").attributes[0]["required"] is False
