"""A small radio world on the test tree (tinhso.units.testing.build_unit_tree), as it is today (after the
2025 reform): clusters in the village Khe Dứa and the commune Xuân Ái, one in Khánh Hòa; people with
each role."""

from types import SimpleNamespace

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.radio import services


def make_cluster(unit, name):
    with acting_as(None, source="test"):
        cluster, password = services.create_cluster(actor=None, unit=unit, name=name)
    cluster.password = password
    return cluster


@pytest.fixture
def radio(tree):
    w = SimpleNamespace(tree=tree)
    w.khe_dua_1 = make_cluster(tree.new_khe_dua, "Cụm loa Khe Dứa 1")
    w.khe_dua_2 = make_cluster(tree.new_khe_dua, "Cụm loa Khe Dứa 2")
    w.xuan_ai_centre = make_cluster(tree.new_xuan_ai, "Cụm loa trung tâm xã Xuân Ái")
    w.khanh_hoa = make_cluster(tree.new_khanh_hoa, "Cụm loa Khánh Hòa")
    w.admin = make_user("province_admin", tree.lao_cai)
    w.centre = make_user("dx_centre_staff", tree.lao_cai)
    w.officer = make_user("commune_officer", tree.new_xuan_ai)
    w.village_head = make_user("village_team_leader", tree.new_khe_dua)
    w.citizen = make_user("citizen", tree.new_xuan_ai)
    return w
