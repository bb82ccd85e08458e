"""Demo data of the teams module (seed_demo part "teams"). Idempotent: does nothing once teams exist."""

import datetime
import random

from django.utils import timezone

from tinhso.core.changelog import log_bulk_create
from tinhso.units.models import Unit
from tinhso.units.snapshot import snapshot_on

from ..continuity import follow_unit_ends
from ..models import Activity, Evidence, Member, Person, Team
from .activities import ActivityMaker, evidence_for
from .catalogue import seed_activity_types
from .evaluation import seed_criteria_sets, seed_scores
from .registry import (
    OLD_TEAMS_END,
    Roster,
    churn,
    founding_date,
    staff_new_commune_team,
    staff_old_commune_team,
    staff_village_team,
    team_for,
)

TREE_START = datetime.date(2020, 1, 1)
REFORM = datetime.date(2025, 7, 1)


def seed_teams(stdout=None) -> None:
    types = seed_activity_types()
    seed_criteria_sets()
    yen_bai = Unit.objects.filter(code="15", valid_from=TREE_START).first()
    if yen_bai is not None and not Team.objects.exists():
        _seed_registry_and_activities(yen_bai, types)
    if yen_bai is not None:
        seed_scores(demo_period())


def demo_period() -> str:
    """The year most of the demo's twelve months of activities fall in."""
    return str((timezone.localdate() - datetime.timedelta(days=60)).year)


def _seed_registry_and_activities(yen_bai, types) -> None:
    rng = random.Random(4)
    roster = Roster(rng)
    village_teams, district_of = _yen_bai_teams(yen_bai, roster, rng)
    new_teams = _teams_after_reform(roster, rng, district_of)
    today = timezone.localdate()
    churn(roster, district_of, (datetime.date(2023, 1, 1), today - datetime.timedelta(days=30)))
    _write(roster)
    follow_unit_ends()  # teams of the communes merged on 1/12/2024 end with them
    _write_activities(village_teams, new_teams, types, rng, today)


def _yen_bai_teams(yen_bai, roster: Roster, rng) -> tuple[list[Team], dict]:
    communes = (
        Unit.objects.within(yen_bai)
        .filter(level="commune", valid_from=TREE_START)
        .select_related("parent")
        .order_by("code")
    )
    villages = Unit.objects.within(yen_bai).filter(level="village", valid_from=TREE_START).order_by("code")
    by_commune: dict[int, list[Unit]] = {}
    for village in villages:
        by_commune.setdefault(village.parent_id, []).append(village)
    village_teams, district_of = [], {}
    for commune in communes:
        signer = _chairman_of(commune)
        teams_here = []
        for village in by_commune.get(commune.pk, []):
            team = team_for(village, founding_date(rng, datetime.date(2021, 9, 1), 240), signer, rng)
            district_of[id(team)] = commune.parent.code
            staff_village_team(roster, team, commune.parent.code)
            teams_here.append(team)
        team = team_for(
            commune, founding_date(rng, datetime.date(2021, 8, 15), 120), signer, rng, ended_on=OLD_TEAMS_END
        )
        district_of[id(team)] = commune.parent.code
        staff_old_commune_team(roster, team, commune.parent.code, teams_here)
        roster.commune_teams[commune.pk] = team
        village_teams += teams_here
    return village_teams, district_of


def _teams_after_reform(roster: Roster, rng, district_of: dict) -> list[Team]:
    province = Unit.objects.filter(code="15", valid_from=REFORM).first()
    if province is None:
        return []
    teams = []
    for commune in (
        Unit.objects.within(province).filter(level="commune").prefetch_related("predecessor_links").order_by("code")
    ):
        links = sorted(commune.predecessor_links.all(), key=lambda link: (not link.is_primary, link.pk))
        before = [
            roster.commune_teams[link.predecessor_id] for link in links if link.predecessor_id in roster.commune_teams
        ]
        signer = _chairman_of(commune)
        team = team_for(commune, founding_date(rng, datetime.date(2025, 7, 15), 75), signer, rng)
        district = district_of.get(id(before[0]), "") if before else ""
        district_of[id(team)] = district
        staff_new_commune_team(roster, team, before, district)
        teams.append(team)
    return teams


def _chairman_of(commune: Unit) -> str:
    return f"Chủ tịch UBND {commune.name[:1].lower()}{commune.name[1:]}"


def _write(roster: Roster) -> None:
    teams = list({id(member.team): member.team for member in roster.members}.values())
    log_bulk_create(Team.objects.bulk_create(teams, batch_size=1000))
    paths = {}
    for member in roster.members:
        paths.setdefault(id(member.person), [member.team.unit.path])
    for person in roster.people:
        person.known_unit_paths = paths.get(id(person), [])
    log_bulk_create(Person.objects.bulk_create(roster.people, batch_size=1000))
    log_bulk_create(Member.objects.bulk_create(roster.members, batch_size=1000))


def _write_activities(village_teams, commune_teams, types, rng, today) -> None:
    window = (today - datetime.timedelta(days=365), today - datetime.timedelta(days=1))
    carried = _versions_after_reform()
    maker, activities = ActivityMaker(rng, types, window), []
    for team in village_teams:
        activities += maker.year_of(team, [carried[team.unit_id]] if team.unit_id in carried else [])
    villages_of = _villages_by_commune()
    for team in commune_teams:
        activities += maker.year_of(team, villages_of.get(team.unit_id, []))
    log_bulk_create(Activity.objects.bulk_create(activities, batch_size=1000))
    log_bulk_create(Evidence.objects.bulk_create(evidence_for(activities, rng), batch_size=1000))


def _versions_after_reform() -> dict[int, Unit]:
    """Village id (any earlier version) → its version from the reform on, following successions."""
    current = {unit.pk: unit for unit in Unit.objects.filter(level="village", valid_from=REFORM)}
    structure = snapshot_on(REFORM)
    mapping = {}
    for unit_id in structure.units:
        place = structure.representative(unit_id)
        if place is not None and place.id in current:
            mapping[unit_id] = current[place.id]
    return mapping


def _villages_by_commune() -> dict[int, list[Unit]]:
    grouped: dict[int, list[Unit]] = {}
    for village in Unit.objects.filter(level="village", valid_from=REFORM):
        grouped.setdefault(village.parent_id, []).append(village)
    return grouped
