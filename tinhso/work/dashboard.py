"""The completion dashboard: per body, the work due in a period — done, done on time, overdue — the
body's registered unit results (plan tasks...), and the year's grades against the excellent quota;
drill-down by administrative unit and into one body's people. Reads only; scopes by the floor (items:
`restrict`; grades: only of the people whose scores the user may see)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q

from tinhso.core.periods import Period
from tinhso.units.models import Organisation, Unit

from . import evaluation, rules, unit_results
from .choices import OPEN_STATUSES, Status
from .models import StaffMember, WorkItem, YearGrade

COUNTS = {
    "total": Count("pk"),
    "accepted": Count("pk", filter=Q(status=Status.ACCEPTED)),
    "on_time": Count("pk", filter=Q(status=Status.ACCEPTED, submitted_on__lte=F("due_date"))),
}


def _overdue(today: datetime.date) -> Count:
    return Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today))


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class Row:
    """One body (or one person) in the dashboard."""

    key: int
    name: str
    unit: Unit | None = None
    total: int = 0
    accepted: int = 0
    on_time: int = 0
    overdue: int = 0
    results: list = field(default_factory=list)  # unit_results.Component
    grades: dict[str, int] = field(default_factory=dict)
    allowed_excellent: int | None = None
    excellent: int = 0
    quarters: list | None = None  # evaluation.QuarterGrade, a person's row only
    year_grade: YearGrade | None = None
    year_grade_label: str = ""  # the grade in words, as the rules in force name it
    sees_scores: bool = False
    grade_lines: list = field(default_factory=list)  # [(label, count)], best grade first
    sees_grades: bool = False  # a body's row: the user heads it or keeps its records (every score is theirs to see)

    @property
    def done_percent(self) -> Decimal | None:
        return _percent(self.accepted, self.total)

    @property
    def on_time_percent(self) -> Decimal | None:
        return _percent(self.on_time, self.total)

    @property
    def quota_breached(self) -> bool:
        return self.allowed_excellent is not None and self.excellent > self.allowed_excellent


def _items(user, period: Period, today: datetime.date):
    last = min(period.end, today)
    return WorkItem.objects.restrict(user).filter(due_date__gte=period.start, due_date__lte=last)


def _grades(staff_ids: set[int], year: int) -> tuple[dict[int, dict[str, int]], list[dict] | None, Decimal | None]:
    """{organisation id: {grade code: count}} of the year, for the people whose scores may be seen."""
    kpi = rules.rules_on(datetime.date(year, 12, 31))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for organisation_id, code in YearGrade.objects.filter(staff_id__in=staff_ids, year=year).values_list(
        "staff__organisation_id", "grade"
    ):
        if code:
            counts[organisation_id][code] += 1
    return counts, (kpi.grades if kpi else None), (kpi.excellent_quota_percent if kpi else None)


def _quota(row: Row, grades: list[dict] | None, percent: Decimal | None) -> None:
    if not grades or percent is None or not row.grades:
        return
    ordered = sorted(grades, key=lambda g: Decimal(str(g["min"])), reverse=True)
    row.grade_lines = [(str(g["label"]), row.grades[g["code"]]) for g in ordered if g["code"] in row.grades]
    excellent, good = ordered[0]["code"], ordered[1]["code"]
    row.excellent = row.grades.get(excellent, 0)
    row.allowed_excellent = rules.excellent_allowed(row.grades.get(excellent, 0) + row.grades.get(good, 0), percent)


def bodies(user, period: Period, *, within: Unit | None = None, today: datetime.date | None = None) -> list[Row]:
    """One row per body whose work the user may see (under `within`, if given), most overdue first."""
    today = today or datetime.date.today()
    items = _items(user, period, today)
    if within is not None:
        items = items.filter(unit__path__startswith=within.path)
    counted = {
        row["organisation_id"]: row
        for row in items.values("organisation_id").annotate(**COUNTS, overdue=_overdue(today)).order_by()
    }
    organisations = Organisation.objects.filter(pk__in=list(counted)).select_related("unit")
    # The distribution is shown only for the bodies whose every score the user may see (their head and
    # personnel officers): a partial count would mislead against the quota and hint at others' grades.
    led = set(
        StaffMember.objects.filter(user=user, is_active=True)
        .filter(Q(is_head=True) | Q(is_personnel_officer=True))
        .values_list("organisation_id", flat=True)
    )
    visible = set(
        StaffMember.objects.filter(organisation_id__in=led, pk__in=evaluation.visible_staff_ids(user)).values_list(
            "pk", flat=True
        )
    )
    grades, grade_rules, percent = _grades(visible, period.start.year)
    results = unit_results.from_providers(counted, period)
    rows = []
    for organisation in organisations:
        found = counted[organisation.pk]
        row = Row(
            organisation.pk,
            str(organisation),
            organisation.unit,
            found["total"],
            found["accepted"],
            found["on_time"],
            found["overdue"],
            results.get(organisation.pk, []),
            dict(grades.get(organisation.pk, {})),
        )
        row.sees_grades = organisation.pk in led
        _quota(row, grade_rules, percent)
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.overdue, r.name))


def people(user, organisation: Organisation, period: Period, *, today: datetime.date | None = None) -> list[Row]:
    """One row per person of the body with work the user may see; grades only where scores may be seen."""
    today = today or datetime.date.today()
    counted = {
        row["assignee_id"]: row
        for row in _items(user, period, today)
        .filter(organisation=organisation)
        .values("assignee_id")
        .annotate(**COUNTS, overdue=_overdue(today))
        .order_by()
    }
    staff = StaffMember.objects.filter(organisation=organisation, user_id__in=list(counted)).select_related("user")
    visible = evaluation.visible_staff_ids(user)
    quarters = evaluation.quarter_grades([s.pk for s in staff if s.pk in visible], period.start.year)
    years = {
        g.staff_id: g
        for g in YearGrade.objects.filter(staff__in=[s for s in staff if s.pk in visible], year=period.start.year)
    }
    kpi = rules.rules_on(datetime.date(period.start.year, 12, 31))
    rows = []
    for member in staff:
        found = counted[member.user_id]
        row = Row(member.pk, str(member), None, found["total"], found["accepted"], found["on_time"], found["overdue"])
        row.quarters, row.year_grade = quarters.get(member.pk), years.get(member.pk)
        if row.year_grade is not None and row.year_grade.grade:
            code = row.year_grade.grade
            row.year_grade_label = rules.grade_label(code, kpi.grades) if kpi else code
        row.sees_scores = member.pk in visible
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.overdue, r.name))


def totals(rows: list[Row]) -> Row:
    whole = Row(0, "")
    for row in rows:
        whole.total += row.total
        whole.accepted += row.accepted
        whole.on_time += row.on_time
        whole.overdue += row.overdue
    return whole
