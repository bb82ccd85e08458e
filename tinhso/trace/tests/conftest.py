"""A tea world on the test tree: the old commune Xuân Ái (until 30/6/2025) is our Suối Giàng; after the
reform it belongs to the new Xuân Ái. A cooperative, a garden with trees at known exact points."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.trace import services
from tinhso.units.models import Unit

CENTRE = (Decimal("21.622185"), Decimal("104.600491"))
EXACT = (Decimal("21.617349"), Decimal("104.606873"))


def add_tree(garden, number, latitude=EXACT[0], longitude=EXACT[1], **fields):
    with acting_as(None, source="test"):
        return services.create_tree(
            actor=None, garden=garden, number=number, latitude=latitude, longitude=longitude, **fields
        )


@pytest.fixture
def tea(tree):
    Unit.objects.filter(pk__in=[tree.xuan_ai.pk, tree.new_xuan_ai.pk]).update(latitude=CENTRE[0], longitude=CENTRE[1])
    Unit.objects.filter(pk=tree.khanh_hoa.pk).update(latitude=Decimal("22.05"), longitude=Decimal("104.50"))
    tree.xuan_ai.refresh_from_db()
    w = SimpleNamespace(tree=tree, commune=tree.xuan_ai)
    with acting_as(None, source="test"):
        w.cooperative = services.create_producer(actor=None, unit=tree.xuan_ai, name="HTX Chè Suối Giàng")
        w.garden = services.create_garden(actor=None, unit=tree.xuan_ai, producer=w.cooperative, name="Vườn Pang Cáng")
        w.other_cooperative = services.create_producer(actor=None, unit=tree.khanh_hoa, name="HTX Khánh Hòa")
        w.other_garden = services.create_garden(
            actor=None, unit=tree.khanh_hoa, producer=w.other_cooperative, name="Vườn Khánh Hòa"
        )
    w.tree1 = add_tree(
        w.garden,
        "SG-0001",
        estimated_age=300,
        age_method="girth",
        girth_cm=Decimal("182.5"),
        altitude_m=1250,
        story_vi="Cây chè của cụ Giàng A Chu.",
        story_en="The tea tree of old Giàng A Chu.",
    )
    w.other_tree = add_tree(w.other_garden, "KH-0001", latitude=Decimal("22.051234"), longitude=Decimal("104.501234"))
    w.admin = make_user("province_admin", tree.yen_bai)
    w.officer = make_user("commune_officer", tree.xuan_ai)
    w.new_officer = make_user("commune_officer", tree.new_xuan_ai)
    w.village_head = make_user("village_team_leader", tree.khe_dua)
    w.citizen = make_user("citizen", tree.xuan_ai)
    w.other_officer = make_user("commune_officer", tree.khanh_hoa)
    w.day = datetime.date(2025, 4, 1)
    return w
