"""What the evaluation index computes from the registry and the field activities: the inputs of
criteria whose source is "computed", for every team of a period at once.

A handful of aggregate queries whatever the number of teams (never a query per team); the
figures are grouped in Python through the structure of the period's last day.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.core.periods import Period, parse_period
from tinhso.scoring import inputs
from tinhso.scoring.choices import Source
from tinhso.scoring.rules import Inputs
from tinhso.units.models import Unit
from tinhso.units.snapshot import UnitSnapshot, snapshot_on

from .choices import Gender, MemberRole, TeamLevel
from .models import Activity, Evidence, Member, Team

COMPUTED_KEYS = {
    "activities": _("Number of activities in the period"),
    "active_months": _("Months with at least one activity / months of the period"),
    "people_reached": _("People reached"),
    "households_reached": _("Households reached"),
    "household_coverage": _("Households reached / households of the village (or commune)"),
    "activity_kinds": _("Different kinds of activity"),
    "evidence_share": _("Activities with a photo or file / activities"),
    "members": _("Members at the end of the period"),
    "has_leader": _("The team has a leader"),
    "women_share": _("Women among members (%)"),
    "type:<code>": _("People reached by one kind of activity (its code)"),
    "village_teams_active": _("Village teams of the commune with activities / village teams"),
    "village_coverage": _("Villages of the commune with a team / villages"),
}
SUBJECT_KINDS: dict[str, str] = {TeamLevel.VILLAGE: "teams.village_team", TeamLevel.COMMUNE: "teams.commune_team"}


# Scores keep four decimals: inputs rounded the same way compare equal on recomputation, so
# unchanged scores are not rewritten.
STORED = Decimal("0.0001")


def _percent(numerator, denominator) -> Decimal | None:
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(STORED) if denominator else None


def _ratio(numerator, denominator) -> Inputs:
    return Inputs(
        value=_percent(numerator, denominator), numerator=Decimal(numerator), denominator=Decimal(denominator)
    )


class TeamFigures:
    """Every figure the index may ask about, for all teams of one period."""

    def __init__(self, period: Period, type_keys: set[str]):
        self.period = period
        self.day = min(period.end, timezone.localdate())
        self.structure: UnitSnapshot = snapshot_on(self.day)
        self.activity = self._activity_totals()
        self.evidence = self._evidence_counts()
        self.by_type = self._people_by_type() if type_keys else {}
        self.members = self._member_counts()
        self.households = self._village_households()
        self.communes = self._commune_groups()

    def _activities(self):
        return Activity.objects.filter(date__range=(self.period.start, self.day))

    def _activity_totals(self) -> dict[int, dict]:
        totals = (
            self._activities()
            .values("team_id")
            .annotate(
                count=Count("id"),
                people=Sum("people_reached"),
                households=Sum("households_reached"),
                kinds=Count("activity_type_id", distinct=True),
                months=Count(TruncMonth("date"), distinct=True),
            )
        )
        return {row["team_id"]: row for row in totals}

    def _evidence_counts(self) -> dict[int, int]:
        evidence = Evidence.objects.filter(activity__date__range=(self.period.start, self.day))
        counted = evidence.values("activity__team_id").annotate(count=Count("activity_id", distinct=True))
        return {row["activity__team_id"]: row["count"] for row in counted}

    def _people_by_type(self) -> dict[tuple[int, str], int]:
        rows = self._activities().values("team_id", "activity_type__code").annotate(people=Sum("people_reached"))
        return {(row["team_id"], row["activity_type__code"]): row["people"] or 0 for row in rows}

    def _member_counts(self) -> dict[int, dict]:
        counted = (
            Member.objects.active_on(self.day)
            .values("team_id")
            .annotate(
                count=Count("id"),
                women=Count("id", filter=Q(person__gender=Gender.FEMALE)),
                leaders=Count("id", filter=Q(role=MemberRole.LEADER)),
            )
        )
        return {row["team_id"]: row for row in counted}

    def _village_households(self) -> dict[int, int]:
        villages = Unit.objects.filter(level="village").valid_on(self.day).values_list("id", "households")
        return {unit_id: households or 0 for unit_id, households in villages}

    def _commune_groups(self) -> dict[int, dict]:
        """Per commune of the day: its villages, and the village teams that stand in it."""
        groups: dict[int, dict] = defaultdict(lambda: {"villages": [], "teams": [], "covered": set()})
        for village in self.structure.current("village"):
            commune = self.structure.ancestor_at(village.id, "commune")
            if commune is not None:
                groups[commune.id]["villages"].append(village.id)
        village_teams = Team.objects.active_on(self.day).filter(level=TeamLevel.VILLAGE).values_list("id", "unit_id")
        for team_id, unit_id in village_teams:
            place = self.structure.representative(unit_id)
            commune = self.structure.ancestor_at(place.id, "commune") if place else None
            if place is not None and commune is not None:
                groups[commune.id]["teams"].append(team_id)
                groups[commune.id]["covered"].add(place.id)
        return groups

    def place_of(self, team: Team):
        return self.structure.representative(team.unit_id)

    def months_elapsed(self) -> int:
        return (self.day.year - self.period.start.year) * 12 + self.day.month - self.period.start.month + 1

    def inputs(self, key: str, team: Team) -> Inputs:
        if key.startswith("type:"):
            return Inputs(value=Decimal(self.by_type.get((team.pk, key[5:]), 0)))
        compute = getattr(self, f"_key_{key}", None)
        return compute(team) if compute else Inputs()

    def _done(self, team: Team) -> dict:
        return self.activity.get(team.pk, {"count": 0, "people": 0, "households": 0, "kinds": 0, "months": 0})

    def _key_activities(self, team):
        return Inputs(value=Decimal(self._done(team)["count"]))

    def _key_people_reached(self, team):
        return Inputs(value=Decimal(self._done(team)["people"] or 0))

    def _key_households_reached(self, team):
        return Inputs(value=Decimal(self._done(team)["households"] or 0))

    def _key_activity_kinds(self, team):
        return Inputs(value=Decimal(self._done(team)["kinds"]))

    def _key_active_months(self, team):
        return _ratio(self._done(team)["months"], self.months_elapsed())

    def _key_evidence_share(self, team):
        return _ratio(self.evidence.get(team.pk, 0), self._done(team)["count"])

    def _key_household_coverage(self, team):
        place = self.place_of(team)
        if place is None:
            return Inputs()
        if team.level == TeamLevel.VILLAGE:
            return _ratio(self._done(team)["households"] or 0, self.households.get(place.id, 0))
        group = self._group(team)
        reached = sum(self._done_by_id(team_id)["households"] or 0 for team_id in [team.pk, *group["teams"]])
        return _ratio(reached, sum(self.households.get(village, 0) for village in group["villages"]))

    def _done_by_id(self, team_id: int) -> dict:
        return self.activity.get(team_id, {"households": 0, "count": 0})

    def _key_members(self, team):
        return Inputs(value=Decimal(self.members.get(team.pk, {}).get("count", 0)))

    def _key_has_leader(self, team):
        return Inputs(answer=self.members.get(team.pk, {}).get("leaders", 0) > 0)

    def _key_women_share(self, team):
        counted = self.members.get(team.pk, {"women": 0, "count": 0})
        return _ratio(counted["women"], counted["count"])

    def _key_village_teams_active(self, team):
        group = self._group(team)
        active = sum(1 for team_id in group["teams"] if self._done_by_id(team_id)["count"] > 0)
        return _ratio(active, len(group["teams"]))

    def _key_village_coverage(self, team):
        group = self._group(team)
        return _ratio(len(group["covered"]), len(group["villages"]))

    def _group(self, team: Team) -> dict:
        place = self.place_of(team)
        empty: dict = {"villages": [], "teams": [], "covered": set()}
        return self.communes.get(place.id, empty) if place else empty


def provide_inputs(criteria, subjects, period_code: str) -> dict[tuple[int, int], Inputs]:
    """The scoring machinery's input provider for teams (see tinhso.scoring.services.evaluate).

    Computed criteria come from the teams' own figures; criteria fed by a plan indicator are
    computed by the module registered for indicator inputs (plans) on each team's village or commune."""
    found = _indicator_inputs([c for c in criteria if c.source == Source.INDICATOR], subjects, period_code)
    computed = [criterion for criterion in criteria if criterion.source == Source.COMPUTED]
    if not computed:
        return found
    type_keys = {criterion.source_key for criterion in computed if criterion.source_key.startswith("type:")}
    figures = TeamFigures(parse_period(period_code), type_keys)
    found.update(
        {
            (criterion.pk, subject.obj.pk): figures.inputs(criterion.source_key, subject.obj)
            for criterion in computed
            for subject in subjects
        }
    )
    return found


def _indicator_inputs(criteria, subjects, period_code: str) -> dict[tuple[int, int], Inputs]:
    """Computed by whichever module registered indicator inputs with scoring (plans, at start-up)."""
    return inputs.inputs_from(Source.INDICATOR, criteria, subjects, period_code)


def teams_of_period(level: str, period: Period):
    """Teams that existed at some time during the period."""
    return Team.objects.filter(level=level, founded_on__lte=period.end).exclude(ended_on__lt=period.start)


def last_day(period: Period) -> datetime.date:
    return min(period.end, timezone.localdate())
