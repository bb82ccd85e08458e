import pytest
from django.test import Client

from tinhso.core.context import acting_as
from tinhso.trace.demo import seed_trace
from tinhso.trace.models import Batch, Event, Garden, Product, SensorReading, Tree
from tinhso.units import services as unit_services
from tinhso.units.testing import BEFORE_REFORM, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def suoi_giang(tree):
    unit = make_unit(tree.van_yen, "04657", "Suối Giàng", "xa", valid_to=BEFORE_REFORM)
    with acting_as(None, source="test"):
        unit_services.succeed(unit, tree.new_xuan_ai)
    return unit


def test_the_demo_seeds_suoi_giang_once(suoi_giang):
    seed_trace()
    seed_trace()
    trees = Tree.objects.filter(unit=suoi_giang)
    assert trees.count() == 400 and Garden.objects.filter(unit=suoi_giang).count() == 3
    ages = list(trees.values_list("estimated_age", flat=True))
    altitudes = list(trees.values_list("altitude_m", flat=True))
    assert min(ages) >= 100 and max(ages) >= 300
    assert min(altitudes) >= 1100 and max(altitudes) <= 1400
    assert Event.objects.filter(kind="harvesting").count() >= 1000
    assert SensorReading.objects.exists()
    assert Product.objects.count() == 2 and Batch.objects.count() == 2
    for batch in Batch.objects.all():
        assert Client().get(f"/t/{batch.short_code}").status_code == 200


def test_the_demo_officer_of_the_new_commune_sees_the_old_communes_trees(suoi_giang):
    from tinhso.accounts.models import User
    from tinhso.core.testing import api_client

    seed_trace()
    officer = User.objects.get(username="canbo.suoigiang")
    assert api_client(officer).get("/api/v1/trace/trees/").json()["count"] == 400
