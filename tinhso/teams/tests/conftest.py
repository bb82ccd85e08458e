"""A small world of teams on the test tree (tinhso.units.testing.build_unit_tree): village teams in
Khe Dứa, Nà Hẩu (Xuân Ái), Đồng Tâm (Yên Hợp) and Khuổi Vai (Khánh Hòa), Xuân Ái's commune team
until the 2025 reform, and the new Xuân Ái's commune team after it."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tinhso.core.context import acting_as
from tinhso.scoring.models import CriteriaSet, Criterion
from tinhso.teams import services
from tinhso.teams.models import ActivityType

FOUNDED = datetime.date(2022, 3, 1)
PERSON = {"gender": "male", "ethnicity": "01", "birth_year": 1985, "skills": ""}


def make_team(unit, founded_on=FOUNDED, **extra):
    with acting_as(None, source="test"):
        return services.create_team(
            actor=None,
            unit=unit,
            decision_number="12/QĐ-UBND",
            founded_on=founded_on,
            decision_signer="Chủ tịch UBND xã",
            **extra,
        )


def add_member(team, name, phone=None, role="member", joined_on=None, **person):
    with acting_as(None, source="test"):
        return services.add_member(
            actor=None,
            team=team,
            person_fields={**PERSON, "full_name": name, "phone": phone, **person},
            role=role,
            joined_on=joined_on or team.founded_on,
        )


def record(team, day, actor=None, key="", activity_type=None, **fields):
    activity_type = activity_type or ActivityType.objects.get(code="vneid")
    with acting_as(actor, source="test"):
        return services.record_activity(
            actor=actor,
            team=team,
            activity_type=activity_type,
            date=day,
            idempotency_key=key,
            **{"people_reached": 10, "households_reached": 5, **fields},
        )


def make_index(level, unit, first_period="2024", verifying_level="commune"):
    """An empty criteria set for teams of `level` (fill it with `criterion`)."""
    return CriteriaSet.objects.create(
        code=f"{level}-{first_period}",
        name=f"Bộ chỉ số Tổ CĐS {level}",
        subject_kind=f"teams.{level}_team",
        unit=unit,
        first_period=first_period,
        verifying_level=verifying_level,
    )


def criterion(criteria_set, code, key, rule="stepped", points=10, steps=(), **extra):
    return Criterion.objects.create(
        criteria_set=criteria_set,
        code=code,
        name=f"Tiêu chí {code}",
        max_points=Decimal(points),
        rule=rule,
        source="computed" if key else "manual",
        source_key=key,
        thresholds=[{"at_least": floor, "points": given} for floor, given in steps],
        **extra,
    )


@pytest.fixture
def world(tree):
    w = SimpleNamespace(tree=tree)
    w.vneid = ActivityType.objects.create(code="vneid", name="Hướng dẫn kích hoạt VNeID mức 2", order=1)
    w.door = ActivityType.objects.create(code="go-cua", name="Tuyên truyền đến từng hộ", order=2)
    w.khe_dua = make_team(tree.khe_dua)
    w.na_hau = make_team(tree.na_hau)
    w.dong_tam = make_team(tree.dong_tam)
    w.khuoi_vai = make_team(tree.khuoi_vai)
    w.xuan_ai = make_team(tree.xuan_ai, founded_on=datetime.date(2022, 1, 10), ended_on=datetime.date(2025, 6, 30))
    w.new_xuan_ai = make_team(tree.new_xuan_ai, founded_on=datetime.date(2025, 8, 1))
    w.leader = add_member(w.khe_dua, "Giàng A Páo", "0912345678", role="leader", ethnicity="08")
    add_member(w.khe_dua, "Lò Thị Ún", "0987654321", gender="female", ethnicity="03")
    add_member(w.xuan_ai, "Giàng A Páo", "0912345678", role="deputy", ethnicity="08")
    add_member(w.na_hau, "Triệu Văn Quẩy", role="leader", ethnicity="09")
    add_member(w.dong_tam, "Nguyễn Thị Hoa", gender="female", role="leader")
    return w
