"""The coverage dashboard: communes and villages with a team, members, recent work — under the
structure of the chosen day, drilling down, at a fixed cost in queries."""

import datetime

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.teams.coverage import Coverage, default_root
from tinhso.units.snapshot import snapshot_on

from .conftest import record


def coverage(user, day, code=None):
    structure = snapshot_on(day)
    root = structure.by_code(code) if code else default_root(user, structure)
    return Coverage(user, structure, root).compute()


def test_before_the_reform_the_province_counts_its_communes_and_villages(world):
    admin = make_user("province_admin", world.tree.yen_bai)
    total, rows = coverage(admin, datetime.date(2024, 6, 1))
    assert total.place.name == "Tỉnh Yên Bái"
    assert (total.communes_covered, total.communes) == (1, 3)  # only Xuân Ái had a commune team
    assert (total.villages_covered, total.villages) == (4, 4)
    assert total.members == 4  # Giàng A Páo sits on two teams and counts once
    assert [row.place.name for row in rows] == ["Huyện Lục Yên", "Huyện Văn Yên"]


def test_after_the_reform_the_same_teams_count_under_the_new_communes(world):
    admin = make_user("province_admin", world.tree.lao_cai)
    total, rows = coverage(admin, datetime.date(2026, 1, 15))
    assert total.place.name == "Tỉnh Lào Cai"
    assert (total.communes_covered, total.communes) == (1, 2)
    assert (total.villages_covered, total.villages) == (4, 4)
    assert {row.place.name: (row.villages_covered, row.villages) for row in rows} == {
        "Xã Xuân Ái": (3, 3),
        "Xã Khánh Hòa": (1, 1),
    }


def test_drilling_down_to_a_commune_lists_its_villages_with_recent_work(world):
    record(world.khe_dua, datetime.date(2026, 1, 10), key="x", people_reached=25)
    admin = make_user("province_admin", world.tree.lao_cai)
    total, rows = coverage(admin, datetime.date(2026, 1, 15), code="04441")
    by_name = {row.place.name: row for row in rows}
    assert set(by_name) == {"Thôn Khe Dứa", "Bản Nà Hẩu", "Thôn Đồng Tâm"}
    assert (by_name["Thôn Khe Dứa"].activities, by_name["Thôn Khe Dứa"].people_reached) == (1, 25)


def test_a_commune_officer_sees_only_their_own_villages(world):
    officer = make_user("commune_officer", world.tree.xuan_ai)
    total, rows = coverage(officer, datetime.date(2024, 6, 1))
    assert (total.villages_covered, total.villages) == (2, 2)


def test_the_dashboard_page_costs_the_same_queries_however_many_teams(world, django_assert_max_num_queries):
    client = web_client(make_user("province_admin", world.tree.lao_cai))
    client.get("/teams/")
    with django_assert_max_num_queries(12):
        page = client.get("/teams/?within=04441")
    assert page.status_code == 200
    assert "3/3" in page.content.decode()


def test_an_unknown_unit_code_is_a_404(world):
    client = web_client(make_user("province_admin", world.tree.lao_cai))
    assert client.get("/teams/?within=99999").status_code == 404
