"""A commune People's Committee on the test tree: the chairman (head), a deputy who manages the officer,
the officer, a personnel officer, and a body of another commune; the Decree 335 rules in force."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.units.models import Organisation
from tinhso.work import services
from tinhso.work.defaults import decree_335_rules
from tinhso.work.models import ConversionFactor, Product, StaffMember

MARCH = datetime.date(2026, 3, 2)


def staff(organisation, role_unit, name, *, manager=None, role="commune_officer", **flags):
    user = make_user(role, role_unit, username=name, full_name=name.title())
    return StaffMember.objects.create(user=user, organisation=organisation, manager=manager, title=name, **flags)


@pytest.fixture
def world(tree):
    w = SimpleNamespace(tree=tree)
    w.committee = Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.xuan_ai)
    w.other_body = Organisation.objects.create(name="UBND xã Khánh Hòa", kind="peoples_committee", unit=tree.khanh_hoa)
    w.chairman = staff(w.committee, tree.xuan_ai, "chutich", is_head=True)
    w.deputy = staff(w.committee, tree.xuan_ai, "phochutich", manager=w.chairman)
    w.officer = staff(w.committee, tree.xuan_ai, "canbo", manager=w.deputy)
    w.colleague = staff(w.committee, tree.xuan_ai, "dongnghiep", manager=w.deputy)
    w.personnel = staff(w.committee, tree.xuan_ai, "tochuc", manager=w.chairman, is_personnel_officer=True)
    w.stranger = staff(w.other_body, tree.khanh_hoa, "nguoila", is_head=True)
    w.report = Product.objects.create(organisation=w.committee, code="BC", name="Báo cáo", measure="báo cáo")
    ConversionFactor.objects.create(product=w.report, effective_from=datetime.date(2026, 1, 1), factor=Decimal("1.5"))
    w.rules = decree_335_rules(tree.yen_bai)
    return w


def assign(world, assignee=None, *, actor=None, due=datetime.date(2026, 3, 20), quantity=2, **extra):
    with acting_as(None, source="test"):
        return services.create_item(
            actor=actor or world.chairman.user,
            assignee=(assignee or world.officer).user,
            title=extra.pop("title", "Báo cáo chuyển đổi số tháng 3"),
            assigned_on=extra.pop("assigned_on", MARCH),
            due_date=due,
            product=extra.pop("product", world.report),
            quantity=quantity,
            **extra,
        )


def finish(world, item, *, quality="good", submitted=None, accepted=None, by=None):
    services.submit(item, actor=item.assignee, day=submitted or item.due_date)
    return services.accept(
        item, actor=by or world.chairman.user, quality=quality, day=accepted or submitted or item.due_date
    )
