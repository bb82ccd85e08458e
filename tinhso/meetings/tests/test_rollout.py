"""The rollout import is all-or-nothing and lists every bad row; only the DX centre (or the province) imports."""

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
