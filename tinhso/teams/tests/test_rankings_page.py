"""The rankings page and its export: equal totals share a rank, an officer sees the true provincial rank
of their own teams only, and a wrong filter is named rather than ignored."""

import csv
import datetime
import io

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.teams import services

from .conftest import criterion, make_index, record


@pytest.fixture
def scored(world):
    index = make_index("village", world.tree.yen_bai)
    criterion(index, "1", "activities", steps=[(3, 10), (1, 4)])
    for day in (3, 4, 5):
        record(world.khe_dua, datetime.date(2024, 3, day), key=f"k{day}")
    record(world.na_hau, datetime.date(2024, 4, 1), key="n")
    record(world.dong_tam, datetime.date(2024, 4, 2), key="d")
    services.evaluate_teams("village", "2024", actor=None)
    return world


def ranking(client, **params) -> dict[str, str]:
    response = client.get(
        "/teams/rankings/", {"level": "village", "period": "2024", "as_of": "2024-12-31", "export": "csv", **params}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[1]: row[0] for row in rows[1:]}


def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped(scored):
    admin = web_client(make_user("province_admin", scored.tree.yen_bai))
    assert ranking(admin) == {
        "Tổ Chuyển đổi số cộng đồng thôn Khe Dứa": "1",
        "Tổ Chuyển đổi số cộng đồng bản Nà Hẩu": "2",
        "Tổ Chuyển đổi số cộng đồng thôn Đồng Tâm": "2",
        "Tổ Chuyển đổi số cộng đồng bản Khuổi Vai": "4",
    }


def test_a_commune_officer_sees_the_provincial_rank_of_their_own_teams_only(scored):
    officer = web_client(make_user("commune_officer", scored.tree.khanh_hoa))
    assert ranking(officer) == {"Tổ Chuyển đổi số cộng đồng bản Khuổi Vai": "4"}
    page = officer.get("/teams/rankings/", {"level": "village", "period": "2024", "as_of": "2024-12-31"})
    assert "4/4" in page.content.decode()


def test_ranked_within_communes_each_commune_starts_at_one(scored):
    admin = web_client(make_user("province_admin", scored.tree.yen_bai))
    assert ranking(admin, group="commune") == {
        "Tổ Chuyển đổi số cộng đồng thôn Khe Dứa": "1",
        "Tổ Chuyển đổi số cộng đồng bản Nà Hẩu": "2",
        "Tổ Chuyển đổi số cộng đồng thôn Đồng Tâm": "1",
        "Tổ Chuyển đổi số cộng đồng bản Khuổi Vai": "1",
    }


def test_within_a_commune_lists_its_teams_with_their_provincial_ranks(scored):
    admin = web_client(make_user("province_admin", scored.tree.yen_bai))
    assert ranking(admin, within="04441") == {
        "Tổ Chuyển đổi số cộng đồng thôn Khe Dứa": "1",
        "Tổ Chuyển đổi số cộng đồng bản Nà Hẩu": "2",
    }


def test_an_unknown_code_is_named_and_nothing_is_ranked_in_its_place(scored):
    admin = web_client(make_user("province_admin", scored.tree.yen_bai))
    page = admin.get("/teams/rankings/", {"level": "village", "period": "2024", "within": "ZZZ", "as_of": "2024-12-31"})
    assert "Không có đơn vị hành chính nào mang mã này theo cơ cấu của ngày đã chọn." in page.content.decode()
    assert ranking(admin, within="ZZZ") == {}


def test_without_scores_the_page_says_so(world):
    admin = web_client(make_user("province_admin", world.tree.yen_bai))
    page = admin.get("/teams/rankings/", {"level": "commune"}).content.decode()
    assert "Chưa có kết quả chấm điểm cho kỳ này." in page
