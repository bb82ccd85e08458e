"""What a reader finds in the exported lists: the place each team serves on the structure date, members
counted on that day, people's gender and ethnic group in words, a year of birth as a year, evidence counts —
and what the evidence check accepts by a file's first bytes."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.teams.evidence import sniff

from .conftest import record
from .test_activities import photo


@pytest.fixture
def admin(world):
    return web_client(make_user("province_admin", world.tree.lao_cai))


def exported(client, url, **params) -> list[dict]:
    response = client.get(url, {"export": "csv", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_team_export_names_the_place_served_on_the_structure_date_and_its_members(world, admin):
    rows = {row["Tổ"]: row for row in exported(admin, "/teams/registry/", as_of="2026-01-15")}
    khe_dua = rows["Tổ Chuyển đổi số cộng đồng thôn Khe Dứa"]
    assert (khe_dua["Địa bàn"], khe_dua["Thành viên"]) == ("Thôn Khe Dứa", "2")
    assert "Tổ Chuyển đổi số cộng đồng xã Xuân Ái" in rows  # the new commune's team
    assert len(rows) == 5  # the old Xuân Ái commune team ended on 30/6/2025


def test_before_the_reform_the_export_lists_the_old_commune_team(world, admin):
    old = web_client(make_user("province_admin", world.tree.yen_bai))
    rows = exported(old, "/teams/registry/", as_of="2024-06-01", level="commune")
    assert [(row["Tổ"], row["Địa bàn"], row["Thành viên"]) for row in rows] == [
        ("Tổ Chuyển đổi số cộng đồng xã Xuân Ái", "Xã Xuân Ái", "1")
    ]


def test_the_member_export_reads_gender_ethnic_group_and_year_in_words(world, admin):
    rows = {row["Họ và tên"]: row for row in exported(admin, "/teams/members/", as_of="2026-01-15")}
    un = rows["Lò Thị Ún"]
    assert (un["Giới tính"], un["Dân tộc"], un["Điện thoại"]) == ("Nữ", "Thái", "0987654321")
    assert rows["Giàng A Páo"]["Năm sinh"] == "1985"
    assert rows["Giàng A Páo"]["Dân tộc"] == "H'Mông"


def test_the_member_search_finds_a_name_without_accents_and_a_phone(world, admin):
    by_name = exported(admin, "/teams/members/", as_of="2026-01-15", q="lo thi un")
    by_phone = exported(admin, "/teams/members/", as_of="2026-01-15", q="0987654321")
    assert [row["Họ và tên"] for row in by_name] == [row["Họ và tên"] for row in by_phone] == ["Lò Thị Ún"]


def test_the_activity_export_counts_evidence_per_activity(world, admin):
    record(world.khe_dua, datetime.date(2026, 1, 3), key="a", files=[photo("1.png"), photo("2.png")])
    record(world.khe_dua, datetime.date(2026, 1, 4), key="b")
    response = admin.get("/teams/activities/", {"export": "xlsx", "as_of": "2026-01-15"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    evidence = header.index("Minh chứng")
    assert sorted(row[evidence] for row in rows) == [0, 2]


def test_a_commune_officers_export_holds_only_their_teams(world):
    officer = web_client(make_user("commune_officer", world.tree.khanh_hoa))
    rows = exported(officer, "/teams/registry/", as_of="2024-06-01")
    assert [row["Tổ"] for row in rows] == ["Tổ Chuyển đổi số cộng đồng bản Khuổi Vai"]


WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"
ZIP = b"PK\x03\x04" + b"\x00" * 12


@pytest.mark.parametrize(
    "head, name, expected",
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 12, "anh.png", "image/jpeg"),  # the bytes decide, not the name
        (WEBP, "anh", "image/webp"),
        (HEIC, "IMG_0001.HEIC", "image/heic"),
        (b"%PDF-1.7" + b"\x00" * 8, "bien-ban.pdf", "application/pdf"),
        (ZIP, "Bao-cao.DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (ZIP, "danh-sach.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ZIP, "nen.zip", None),
        (b"MZ\x90\x00" + b"\x00" * 12, "anh.jpg", None),
    ],
)
def test_evidence_is_recognised_by_its_first_bytes(head, name, expected):
    assert sniff(head, name) == expected
