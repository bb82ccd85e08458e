"""Every role (and anonymous) × trace's tree API and its tree pages, with the shared permission matrix
(tinhso.core.testing): a refused write changes no row and writes no change log.

Expected outcomes come from TraceConfig.ready(): the DX centre and department staff read; the district and
the commune also register (add/change); village roles and citizens get nothing — trees belong to the commune.
The API offers list, detail and create only: no role may change or delete a tree through it."""

import datetime
import itertools
from decimal import Decimal

import pytest

from tinhso.accounts.testing import users_by_role
from tinhso.core.context import acting_as
from tinhso.core.testing import READ, ApiMatrix, PageMatrix
from tinhso.trace import services

from .conftest import add_tree

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)
KHANH_HOA = {"latitude": Decimal("22.051234"), "longitude": Decimal("104.501234")}

PLACES = {
    "province_admin": "yen_bai",
    "dx_centre_staff": "yen_bai",
    "department_staff": "yen_bai",
    "district_officer": "van_yen",
    "commune_officer": "xuan_ai",
    "village_team_leader": "khe_dua",
    "party_cell_secretary": "na_hau",
    "citizen": "xuan_ai",
}
READERS = ("province_admin", "dx_centre_staff", "department_staff", "district_officer", "commune_officer")
REGISTRARS = ("province_admin", "district_officer", "commune_officer")


@pytest.fixture
def users(tea):
    people = users_by_role({role: getattr(tea.tree, place) for role, place in PLACES.items()})
    return people | {"anonymous": None}


def a_tree(garden, **where):
    return add_tree(garden, f"MX-{next(_numbers):04d}", **where)


def payload(garden):
    return {"garden": garden.pk, "number": f"MX-N{next(_numbers):04d}", "latitude": "21.620001", "longitude": "104.601"}


def test_trees_in_the_api_are_read_by_the_communes_readers_and_registered_by_its_officers(tea, users):
    from tinhso.trace.models import Tree

    matrix = ApiMatrix(
        "/api/v1/trace/trees/",
        Tree,
        make=lambda: a_tree(tea.garden),
        create=lambda: payload(tea.garden),
        update={"variety": "Shan tuyết", "status": "dead"},
    )
    expected = {role: set(READ) for role in READERS}
    for role in REGISTRARS:
        expected[role].add("create")
    matrix.check(users, expected)


def test_a_tree_of_another_commune_is_out_of_the_commune_officers_reach(tea, users):
    from tinhso.trace.models import Tree

    matrix = ApiMatrix("/api/v1/trace/trees/", Tree, make=lambda: a_tree(tea.other_garden, **KHANH_HOA))
    # Khánh Hòa lies in Lục Yên: the Văn Yên district and the Xuân Ái commune do not see it.
    expected = {role: set(READ) for role in ("province_admin", "dx_centre_staff", "department_staff")}
    matrix.check(users, expected, actions=READ)


def test_the_tree_pages_show_a_tree_to_its_readers_only(tea, users):
    matrix = PageMatrix(
        "/trace/", lambda tree: f"/trace/trees/{tree.pk}/", make=lambda: a_tree(tea.garden), shows=lambda t: t.number
    )
    matrix.check(users, {role: set(READ) for role in READERS})


def gtin(number: int) -> str:
    """A GTIN-13 of its own for each product, with its check digit."""
    body = f"893456{number:06d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str(-total % 10)


def a_product(tea):
    number = next(_numbers)
    with acting_as(None, source="test"):
        return services.create_product(
            actor=None, unit=tea.commune, producer=tea.cooperative, name=f"Trà ma trận {number}", gtin=gtin(number)
        )


def a_batch(tea, product):
    with acting_as(None, source="test"):
        return services.create_batch(
            actor=None, product=product, lot=f"MX-{next(_numbers)}", packed_on=datetime.date(2025, 4, 10)
        )


def test_the_product_pages_show_a_product_to_its_readers_only(tea, users):
    matrix = PageMatrix(
        "/trace/products/",
        lambda product: f"/trace/products/{product.pk}/",
        make=lambda: a_product(tea),
        shows=lambda product: product.name,
    )
    matrix.check(users, {role: set(READ) for role in READERS})


def test_the_batch_pages_show_a_batch_to_its_readers_only(tea, users):
    product = a_product(tea)
    matrix = PageMatrix(
        "/trace/batches/",
        lambda batch: f"/trace/batches/{batch.pk}/",
        make=lambda: a_batch(tea, product),
        shows=lambda batch: batch.lot,
    )
    matrix.check(users, {role: set(READ) for role in READERS})
