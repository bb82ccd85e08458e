"""Demo teams and their members: a team in every commune and village of Yên Bái from 2021–2022,
commune teams set up again in every commune of Lào Cai after the 2025 reform, and people whose
names, ethnic groups and phones look like the province's."""

import datetime
import random
from dataclasses import dataclass, field

from tinhso.core.text import fold

from ..choices import MemberRole
from ..models import Member, Person, Team
from ..services import default_team_name
from .names import ethnicity_for, full_name, phone_numbers, skills_of

OLD_TEAMS_END = datetime.date(2025, 6, 30)
VILLAGE_TEAM_SIZES = ([5, 6, 7, 8, 9, 10], [8, 14, 22, 24, 18, 14])


@dataclass
class Roster:
    """People and places on teams, built in memory and written with a few bulk inserts."""

    rng: random.Random
    people: list[Person] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    leaders: dict[int, Person] = field(default_factory=dict)
    crew: dict[int, list[Person]] = field(default_factory=dict)
    commune_teams: dict[int, Team] = field(default_factory=dict)

    def __post_init__(self):
        self.phones = phone_numbers(self.rng)

    def new_person(self, district_code: str) -> Person:
        rng = self.rng
        gender = "male" if rng.random() < 0.62 else "female"
        ethnicity = ethnicity_for(district_code, rng)
        name = full_name(ethnicity, gender, rng)
        person = Person(
            full_name=name,
            search_name=fold(name),
            gender=gender,
            ethnicity=ethnicity,
            phone=next(self.phones) if rng.random() < 0.86 else None,
            birth_year=rng.randint(1963, 2004),
            skills=skills_of(rng),
        )
        self.people.append(person)
        return person

    def enrol(self, team: Team, person: Person, role: str, joined_on: datetime.date, left_on=None) -> None:
        self.members.append(Member(team=team, person=person, role=role, joined_on=joined_on, left_on=left_on))
        self.crew.setdefault(id(team), []).append(person)
        if role == MemberRole.LEADER:
            self.leaders[id(team)] = person


def founding_date(rng: random.Random, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(days))


def team_for(unit, founded_on: datetime.date, signer: str, rng: random.Random, ended_on=None) -> Team:
    name = default_team_name(unit)
    return Team(
        unit=unit,
        level=unit.level,
        name=name,
        search_name=fold(name),
        decision_number=f"{rng.randint(12, 260)}/QĐ-UBND",
        founded_on=founded_on,
        decision_signer=signer,
        ended_on=ended_on,
    )


def roles_for(size: int) -> list[str]:
    deputies = 1 if size < 8 else 2
    return [MemberRole.LEADER] + [MemberRole.DEPUTY] * deputies + [MemberRole.MEMBER] * (size - 1 - deputies)


def staff_village_team(roster: Roster, team: Team, district_code: str) -> None:
    size = roster.rng.choices(*VILLAGE_TEAM_SIZES)[0]
    for role in roles_for(size):
        roster.enrol(team, roster.new_person(district_code), role, team.founded_on)


def staff_old_commune_team(roster: Roster, team: Team, district_code: str, village_teams: list[Team]) -> None:
    """Commune leaders, and some village team leaders who also sit on the commune team."""
    rng, size = roster.rng, roster.rng.randint(9, 12)
    village_leaders = [
        roster.leaders[id(village)] for village in rng.sample(village_teams, min(len(village_teams), rng.randint(3, 4)))
    ]
    for index, role in enumerate(roles_for(size)):
        person = (
            village_leaders[index - 3] if 3 <= index < 3 + len(village_leaders) else roster.new_person(district_code)
        )
        roster.enrol(team, person, role, team.founded_on, OLD_TEAMS_END)


def staff_new_commune_team(roster: Roster, team: Team, before: list[Team], district_code: str) -> None:
    """After the reform: most of the merged communes' team members carry on in the new team."""
    rng = roster.rng
    carried = [person for old in before for person in roster.crew.get(id(old), [])]
    rng.shuffle(carried)
    leader = roster.leaders.get(id(before[0])) if before else None
    size = rng.randint(9, 12)
    chosen = ([leader] if leader else []) + [person for person in carried if person is not leader][: size - 3]
    while len(chosen) < size:
        chosen.append(roster.new_person(district_code))
    for person, role in zip(chosen, roles_for(size), strict=True):
        roster.enrol(team, person, role, team.founded_on)


def churn(roster: Roster, teams_by_id: dict, window: tuple[datetime.date, datetime.date], share: float = 0.02) -> None:
    """A few members leave over the years and someone new takes their place the next day."""
    rng, (start, end) = roster.rng, window
    candidates = [
        m for m in roster.members if m.role == MemberRole.MEMBER and m.left_on is None and m.team.level == "village"
    ]
    for member in rng.sample(candidates, int(len(candidates) * share)):
        member.left_on = start + datetime.timedelta(days=rng.randrange((end - start).days))
        district_code = teams_by_id[id(member.team)]
        replacement = roster.new_person(district_code)
        roster.members.append(
            Member(
                team=member.team,
                person=replacement,
                role=MemberRole.MEMBER,
                joined_on=member.left_on + datetime.timedelta(days=1),
            )
        )
