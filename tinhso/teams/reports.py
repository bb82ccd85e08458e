"""Monthly and quarterly reports of field activities, per team and per commune.

A report is built once (a few aggregate queries) and then shown as a page, written to Excel,
or laid out as an administrative report per Decree 30/2020/NĐ-CP.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tinhso.core.periods import Period
from tinhso.units.snapshot import UnitSnapshot, UnitVersion

from .choices import Gender, MemberRole, TeamLevel
from .models import Activity, Member, Team

KINH = "01"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass
class Line:
    """One row of figures: a team, a kind of activity, or the total."""

    label: str
    members: int = 0
    women: int = 0
    minorities: int = 0
    activities: int = 0
    people: int = 0
    households: int = 0
    with_evidence: int = 0
    team: Team | None = None

    def add(self, other: "Line") -> None:
        for name in ("members", "women", "minorities", "activities", "people", "households", "with_evidence"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ActivityReport:
    subject: str  # "Tổ Chuyển đổi số cộng đồng thôn Khe Dứa", "Xã Xuân Ái"
    place: UnitVersion
    period: Period
    teams: list[Line] = field(default_factory=list)
    kinds: list[Line] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    total: Line = field(default_factory=lambda: Line("Tổng cộng"))
    leader: str = ""
    team: Team | None = None
    commune_name: str = ""

    @property
    def period_phrase(self) -> str:
        """'tháng 10 năm 2026', 'quý III năm 2026', 'năm 2026' — as Vietnamese reports name periods."""
        year = self.period.start.year
        if self.period.kind == "month":
            return f"tháng {self.period.start.month} năm {year}"
        if self.period.kind == "quarter":
            return f"quý {ROMAN[(self.period.start.month + 2) // 3]} năm {year}"
        if self.period.kind == "half":
            return f"6 tháng {'đầu' if self.period.start.month == 1 else 'cuối'} năm {year}"
        return f"năm {year}"

    @property
    def subject_in_sentence(self) -> str:
        return self.subject[:1].lower() + self.subject[1:]

    @property
    def last_day(self) -> datetime.date:
        return min(self.period.end, timezone.localdate())


def team_report(team: Team, period: Period, structure: UnitSnapshot) -> ActivityReport:
    # A team whose unit nothing stands for on the structure date (a village founded by a later reform, read in
    # the earlier structure) is reported on its own unit: the report is about the team, not about that day's tree.
    place = structure.representative(team.unit_id) or structure.units.get(team.unit_id)
    commune = structure.ancestor_at(place.id, "commune") if place else None
    report = ActivityReport(team.name, place, period, team=team, commune_name=commune.name if commune else "")
    _fill(report, [team])
    activities = Activity.objects.filter(team=team, date__range=(period.start, period.end))
    report.activities = list(activities.select_related("activity_type", "village").order_by("date", "pk")[:500])
    leader = (
        Member.objects.filter(team=team, role=MemberRole.LEADER).active_on(report.last_day).select_related("person")
    )
    report.leader = leader[0].person.full_name if leader else ""
    return report


def commune_report(place: UnitVersion, period: Period, structure: UnitSnapshot, teams) -> ActivityReport:
    """`teams`: the teams the reader may see; those standing in the commune on the day are reported."""
    inside = structure.ids_within(place.id)
    chosen = [team for team in teams.filter(unit_id__in=sorted(inside)) if _active_during(team, period)]
    chosen.sort(key=lambda team: (team.level != TeamLevel.COMMUNE, team.name))
    report = ActivityReport(place.name, place, period, commune_name=place.name)
    _fill(report, chosen)
    return report


def _active_during(team: Team, period: Period) -> bool:
    return team.founded_on <= period.end and (team.ended_on is None or team.ended_on >= period.start)


def _fill(report: ActivityReport, teams: list[Team]) -> None:
    ids = [team.pk for team in teams]
    members = _members(ids, report.last_day)
    done = _activity_totals(ids, report.period)
    for team in teams:
        line = Line(team.name, team=team, **members.get(team.pk, {}), **done.get(team.pk, {}))
        report.teams.append(line)
        report.total.add(line)
    # One person may sit on the commune team and a village team: the total counts people, not seats.
    for name, count in _distinct_people(ids, report.last_day).items():
        setattr(report.total, name, count)
    report.kinds = _kinds(ids, report.period)


def _members(team_ids: list[int], day: datetime.date) -> dict[int, dict]:
    counted = (
        Member.objects.filter(team_id__in=team_ids)
        .active_on(day)
        .values("team_id")
        .annotate(
            members=Count("id"),
            women=Count("id", filter=Q(person__gender=Gender.FEMALE)),
            minorities=Count("id", filter=~Q(person__ethnicity=KINH)),
        )
    )
    return {row.pop("team_id"): row for row in counted}


def _distinct_people(team_ids: list[int], day: datetime.date) -> dict[str, int]:
    """Members, women and people of ethnic minorities among them, each person once however many teams."""
    return (
        Member.objects.filter(team_id__in=team_ids)
        .active_on(day)
        .aggregate(
            members=Count("person_id", distinct=True),
            women=Count("person_id", distinct=True, filter=Q(person__gender=Gender.FEMALE)),
            minorities=Count("person_id", distinct=True, filter=~Q(person__ethnicity=KINH)),
        )
    )


def _activity_totals(team_ids: list[int], period: Period) -> dict[int, dict]:
    counted = (
        Activity.objects.filter(team_id__in=team_ids, date__range=(period.start, period.end))
        .values("team_id")
        .annotate(
            activities=Count("id", distinct=True),
            people=Sum("people_reached"),
            households=Sum("households_reached"),
        )
    )
    evidence = dict(
        Activity.objects.filter(team_id__in=team_ids, date__range=(period.start, period.end), evidence__isnull=False)
        .values("team_id")
        .annotate(count=Count("id", distinct=True))
        .values_list("team_id", "count")
    )
    return {
        row["team_id"]: {
            "activities": row["activities"],
            "people": row["people"] or 0,
            "households": row["households"] or 0,
            "with_evidence": evidence.get(row["team_id"], 0),
        }
        for row in counted
    }


def _kinds(team_ids: list[int], period: Period) -> list[Line]:
    counted = (
        Activity.objects.filter(team_id__in=team_ids, date__range=(period.start, period.end))
        .values("activity_type__name", "activity_type__order")
        .annotate(activities=Count("id"), people=Sum("people_reached"), households=Sum("households_reached"))
        .order_by("activity_type__order", "activity_type__name")
    )
    return [
        Line(
            row["activity_type__name"],
            activities=row["activities"],
            people=row["people"] or 0,
            households=row["households"] or 0,
        )
        for row in counted
    ]
