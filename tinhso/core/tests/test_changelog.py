import uuid

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, web_client
from tinhso.units import services
from tinhso.units.models import Organisation


def changes_of(obj):
    return ObjectChange.objects.filter(object_id=obj.pk, object_type__model=obj._meta.model_name).order_by("id")


def test_create_update_and_delete_are_recorded_with_who_and_before_after(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    with acting_as(officer, source="test"):
        school = services.create_organisation(
            actor=officer, data={"name": "Trường Mầm non Xuân Ái", "kind": "school", "unit": tree.xuan_ai}
        )
        services.update_organisation(school, actor=officer, data={"phone": "02163888888"})
    admin = make_user("province_admin", tree.yen_bai)
    with acting_as(admin, source="test"):
        services.delete_organisation(Organisation.objects.get(pk=school.pk), actor=admin)
    created, updated, deleted = changes_of(school)
    assert [c.action for c in (created, updated, deleted)] == ["create", "update", "delete"]
    assert created.user == officer and deleted.user == admin
    assert updated.prechange_data["phone"] == "" and updated.postchange_data["phone"] == "02163888888"
    assert deleted.postchange_data is None and deleted.prechange_data["name"] == "Trường Mầm non Xuân Ái"
    assert created.unit_path == tree.xuan_ai.path


def test_a_save_that_changes_nothing_writes_no_entry(tree):
    before = changes_of(tree.na_hau).count()
    tree.na_hau.save()
    assert changes_of(tree.na_hau).count() == before


def test_the_request_id_ties_an_entry_to_the_web_request(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    request_id = uuid.uuid4()
    response = api_client(officer).patch(
        f"/api/v1/units/{tree.na_hau.pk}/", {"households": 99}, HTTP_X_REQUEST_ID=str(request_id)
    )
    assert response["X-Request-ID"] == str(request_id)
    entry = changes_of(tree.na_hau).last()
    assert (entry.request_id, entry.source, entry.user) == (request_id, "api", officer)


def test_the_history_shows_on_the_unit_page(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    api_client(officer).patch(f"/api/v1/units/{tree.na_hau.pk}/", {"households": 99})
    page = web_client(officer).get(f"/units/{tree.na_hau.pk}/").content.decode()
    assert "Lịch sử thay đổi" in page and "Cập nhật" in page and "99" in page


def test_people_only_see_changes_of_their_own_units(tree):
    with acting_as(None):
        services.update_unit(tree.dong_tam, actor=None, changes={"households": 7})
    officer = make_user("commune_officer", tree.xuan_ai)
    response = api_client(officer).get("/api/v1/changes/", {"object_type": "units.unit", "object_id": tree.dong_tam.pk})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_an_unknown_object_type_is_a_clear_400(tree):
    response = api_client(make_user("province_admin", tree.yen_bai)).get(
        "/api/v1/changes/", {"object_type": "khong.co"}
    )
    assert response.status_code == 400
    assert "khong.co" in str(response.json())


def test_no_uploaded_file_is_served_by_its_path(tree, settings, tmp_path):
    """Files are served by the views of the objects that own them, after a scope check; never by path."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "bien-ban.pdf").write_bytes(b"%PDF-1.4")
    assert web_client().get("/media/bien-ban.pdf").status_code == 404
    assert web_client(make_user("province_admin", tree.yen_bai)).get("/media/bien-ban.pdf").status_code == 404
    assert web_client(make_user("citizen", tree.xuan_ai)).get("/media/../settings.py").status_code in (400, 404)


def test_a_new_unit_is_logged_on_its_own_path_and_its_commune_reads_the_entry(tree):
    """The path of a new unit is known only once it has a key; its "create" entry used to keep an empty path,
    so the commune that added the village could not find the entry in its change log."""
    officer = make_user("commune_officer", tree.xuan_ai)
    with acting_as(officer, source="test"):
        village = services.create_unit(
            actor=officer,
            parent=tree.xuan_ai,
            code="04441-09",
            short_name="Khe Cọ",
            unit_type="thon",
            valid_from=tree.xuan_ai.valid_from,
        )
    [created] = changes_of(village).filter(action="create")
    assert created.unit_path == village.path == f"{tree.xuan_ai.path}{village.pk}/"
    assert ObjectChange.objects.restrict(officer, "view").filter(pk=created.pk).exists()
    outsider = make_user("commune_officer", tree.khanh_hoa)
    assert not ObjectChange.objects.restrict(outsider, "view").filter(pk=created.pk).exists()


def test_a_new_province_is_logged_on_its_own_path(tree):
    with acting_as(None, source="test"):
        province = services.create_unit(
            actor=None, parent=None, code="99", short_name="Thử", unit_type="tinh", valid_from=tree.yen_bai.valid_from
        )
    [created] = changes_of(province).filter(action="create")
    assert created.unit_path == province.path == f"/{province.pk}/"


def test_the_history_reads_in_labels_local_time_and_names_not_raw_codes(tree):
    """What an officer reads on an object's page: field and choice labels, the related object's name, Có/Không,
    times at +07:00 as 8:30 2/11/2024 — and no line whose two sides read the same."""
    officer = make_user("commune_officer", tree.xuan_ai)
    with acting_as(officer, source="test"):
        committee = services.create_organisation(
            actor=officer, data={"name": "UBND xã Xuân Ái", "kind": "peoples_committee", "unit": tree.xuan_ai}
        )
        school = services.create_organisation(
            actor=officer, data={"name": "Trường Tiểu học Xuân Ái", "kind": "school", "unit": tree.xuan_ai}
        )
        services.update_organisation(school, actor=officer, data={"kind": "health", "is_active": False})
        services.update_organisation(school, actor=officer, data={"parent": committee})
    page = web_client(officer).get(f"/units/organisations/{school.pk}/").content.decode()
    history = page[page.index("Lịch sử thay đổi") :]
    assert "Loại: <del>Trường học</del> → <ins>Trạm y tế, bệnh viện</ins>" in history
    assert "Kích hoạt: <del>Có</del> → <ins>Không</ins>" in history
    assert "Tổ chức cấp trên: <del>—</del> → <ins>UBND xã Xuân Ái</ins>" in history
    assert "health" not in history and "is_active" not in history and "parent_id" not in history


def test_a_logged_change_reads_in_local_time_and_drops_sides_that_read_the_same(tree):
    from django.contrib.contenttypes.models import ContentType

    change = ObjectChange(
        action="update",
        object_type=ContentType.objects.get_by_natural_key("radio", "bulletin"),
        object_id=1,
        request_id=uuid.uuid4(),
        prechange_data={"status": "draft", "send_at": "2024-11-02T01:30:00Z", "title": None, "expires_at": None},
        postchange_data={"status": "on_air", "send_at": "2024-11-01T17:05:00Z", "title": "", "expires_at": None},
    )
    assert change.changed_fields() == [
        ("Phát lúc", "08:30 2/11/2024", "00:05 2/11/2024"),
        ("Trạng thái", "Bản nháp", "Đang phát"),
    ]


def test_a_bulk_creation_is_logged_as_one_save_at_a_time_would_log_it(tree):
    """log_bulk_create writes without building a model instance per entry, and works out the users' unit paths
    for the whole batch in one query: each entry still reads as the entry of a save."""
    from tinhso.accounts.models import User
    from tinhso.core.changelog import log_bulk_create
    from tinhso.core.models.base import to_json_value

    officer = make_user("commune_officer", tree.xuan_ai, full_name="Lò Văn Cán")
    newcomers = User.objects.bulk_create([User(username="moi.1", full_name="Người mới"), User(username="moi.2")])
    school = Organisation.objects.create(name="Trường Mầm non Khe Cọ", kind="school", unit=tree.xuan_ai)
    admin = make_user("province_admin", tree.yen_bai)
    with acting_as(admin, source="test"):
        log_bulk_create([newcomers[0], officer, school, newcomers[1]])
    entries = list(ObjectChange.objects.filter(user=admin).order_by("id"))
    assert [(e.object_id, e.object_repr, e.unit_path) for e in entries] == [
        (newcomers[0].pk, "Người mới", ""),
        (officer.pk, "Lò Văn Cán", tree.xuan_ai.path),
        (school.pk, str(school), tree.xuan_ai.path),
        (newcomers[1].pk, "moi.2", ""),
    ]
    first = entries[0]
    assert (first.action, first.source, first.user_name) == ("create", "test", admin.username)
    assert first.prechange_data is None
    assert first.postchange_data == to_json_value(newcomers[0].change_log_snapshot())
    assert "password" not in first.postchange_data and first.postchange_data["username"] == "moi.1"
    assert len({(e.time, e.request_id) for e in entries}) == 1
