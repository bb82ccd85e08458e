"""The rollout import is all-or-nothing and lists every bad row; only the DX centre (or the province) imports."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.testing import make_user
from tinhso.core.testing import database_state, web_client
from tinhso.meetings.models import CellRollout, PartyOrganisation


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("trien-khai.csv", text.encode(), content_type="text/csv")


HEADER = "Mã đảng bộ,Mã chi bộ,Tên chi bộ,Xã phường,Loại,Đã triển khai,Số đảng viên,Số tài khoản\n"


def test_one_bad_row_and_nothing_is_imported(tree):
    PartyOrganisation.objects.create(unit=tree.lao_cai, code="DB-XA", name="Đảng bộ xã")
    centre = make_user("dx_centre_staff", tree.lao_cai, username="ttcds")
    client = web_client(centre)
    before = database_state(CellRollout)
    bad = HEADER + "DB-XA,01,Chi bộ Khe Dứa,Xuân Ái,trực thuộc,x,20,18\nDB-ZZ,02,Chi bộ Nà Hẩu,Xuân Ái,cơ sở,,15,20\n"
    response = client.post("/meetings/rollout/import/", {"file": _csv(bad)}, follow=True)
    text = response.content.decode()
    assert "Không có đảng bộ nào mang mã này" in text and "Số tài khoản nhiều hơn số đảng viên" in text
    assert database_state(CellRollout) == before
    good = HEADER + "DB-XA,01,Chi bộ Khe Dứa,Xuân Ái,trực thuộc,x,20,18\nDB-XA,02,Chi bộ Nà Hẩu,Xuân Ái,cơ sở,,15,0\n"
    response = client.post("/meetings/rollout/import/", {"file": _csv(good)}, follow=True)
    assert CellRollout.objects.count() == 2 and CellRollout.objects.filter(deployed=True).count() == 1
    assert "50,0" in client.get("/meetings/rollout/").content.decode()


def test_an_officer_without_the_import_permission_cannot_import(tree):
    PartyOrganisation.objects.create(unit=tree.lao_cai, code="DB-XA", name="Đảng bộ xã")
    citizen = make_user("citizen", tree.new_xuan_ai, username="dan")
    response = web_client(citizen).post("/meetings/rollout/import/", {"file": _csv(HEADER)})
    assert response.status_code == 404
    assert web_client(citizen).get("/meetings/rollout/").status_code == 404
    assert not CellRollout.objects.exists()


def _cells(tree):
    organisation = PartyOrganisation.objects.create(unit=tree.lao_cai, code="DB-VY", name="Đảng bộ Văn Yên")
    rows = [
        # recorded on the old communes (before the reform) and on the merged one (after)
        ("01", tree.xuan_ai, True, 20, 18),
        ("02", tree.yen_hop, True, 30, 15),
        ("03", tree.new_xuan_ai, False, 10, 0),
        ("04", tree.new_khanh_hoa, True, 12, 12),
        ("05", None, False, 7, 0),
    ]
    for code, unit, deployed, members, accounts in rows:
        CellRollout.objects.create(
            organisation=organisation,
            code=code,
            name=f"Chi bộ {code}",
            unit=unit,
            deployed=deployed,
            members=members,
            accounts=accounts,
        )
    return organisation


def test_drill_down_by_commune_before_and_after_the_reform_adds_up(tree):
    from tinhso.meetings import rollout

    _cells(tree)
    centre = make_user("dx_centre_staff", tree.lao_cai, username="ttcds")
    after = rollout.dashboard(centre, "DB-VY", datetime.date(2025, 7, 1))
    before = rollout.dashboard(centre, "DB-VY", rollout.BEFORE_REFORM)
    by_label = {
        day: {row["label"]: (row["cells"], row["members"]) for row in d["communes"]}
        for day, d in (("after", after), ("before", before))
    }
    # after: Xuân Ái holds the old Xuân Ái and Yên Hợp cells and its own
    assert by_label["after"] == {"Xã Xuân Ái": (3, 60), "Xã Khánh Hòa": (1, 12), "—": (1, 7)}
    # before: the merged commune's cell goes back to the old Xuân Ái (the primary predecessor)
    assert by_label["before"] == {"Xã Xuân Ái": (2, 30), "Xã Yên Hợp": (1, 30), "Xã Khánh Hòa": (1, 12), "—": (1, 7)}
    for dashboard in (after, before):
        for figure in ("cells", "deployed", "members", "accounts"):
            assert sum(row[figure] for row in dashboard["communes"]) == dashboard["selected_total"][figure]
        assert dashboard["selected_total"]["cells"] == 5 and dashboard["selected_total"]["members"] == 79


def test_the_page_offers_the_structure_date_and_refuses_a_bad_one(tree):
    _cells(tree)
    client = web_client(make_user("dx_centre_staff", tree.lao_cai, username="ttcds"))
    page = client.get("/meetings/rollout/?organisation=DB-VY&day=2025-06-30").content.decode()
    assert "Yên Hợp" in page and "30/6/2025" in page and "Trước" in page
    page = client.get("/meetings/rollout/?organisation=DB-VY&day=2025-07-01").content.decode()
    assert "Yên Hợp" not in page and 'data-selected-total="cells">3/5<' in page
    for bad in ("hôm-qua", "2025-02-30", "0001-01-01", "9999-12-31", "\x00"):
        assert client.get("/meetings/rollout/", {"organisation": "DB-VY", "day": bad}).status_code == 400, bad
