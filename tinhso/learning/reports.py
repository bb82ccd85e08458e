"""Participation in a contest per unit and per organisation, in the words of the provincial reports
("13.498 cán bộ, công chức, viên chức tham gia dự thi, với 23.094 lượt người dự thi"), and as a workbook."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tinhso.core.charts import BarChart, bar_chart
from tinhso.core.spreadsheets import table_sheet, workbook_bytes
from tinhso.units.choices import UnitLevel
from tinhso.units.models import Unit
from tinhso.units.snapshot import UnitSnapshot, UnitVersion, snapshot_on

from .choices import Eligibility
from .models import CompetenceDomain, CompetenceLevel, Contest


@dataclass
class ReportRow:
    name: str
    people: int
    attempts: int
    average: float


@dataclass
class ParticipationReport:
    contest: Contest
    people: int
    attempts: int
    by_unit: list[ReportRow]
    by_organisation: list[ReportRow]

    @property
    def sentence(self) -> str:
        from django.contrib.humanize.templatetags.humanize import intcomma

        who = _("officials") if self.contest.eligibility == Eligibility.OFFICIALS else _("people")
        return _("%(people)s %(who)s took part, with %(attempts)s attempts.") % {
            "people": intcomma(self.people),
            "who": who,
            "attempts": intcomma(self.attempts),
        }

    @property
    def chart(self) -> BarChart | None:
        """People and attempts per unit, as bars; the table below the chart stays the data."""
        return bar_chart(
            _("Participation by unit"),
            _("People and attempts in each unit, in the same order as the table below."),
            [_("Participants"), _("Attempts")],
            [(row.name, [row.people, row.attempts]) for row in self.by_unit],
        )


def _rows(grouped, names) -> list[ReportRow]:
    rows = [
        ReportRow(names.get(key, "—"), values["people"], values["attempts"], round(values["average"] or 0, 2))
        for key, values in grouped.items()
    ]
    return sorted(rows, key=lambda row: (-row.people, row.name))


def participation_report(contest: Contest, participations) -> ParticipationReport:
    """`participations`: the contest's participations the reader may see (restricted by the caller)."""
    per_unit = participations.values("unit_id").annotate(
        people=Count("pk"), attempts=Sum("attempts"), average=Avg("grade")
    )
    units = Unit.objects.in_bulk([row["unit_id"] for row in per_unit if row["unit_id"]])
    # Roll each participant's unit up to its commune (or keep a province or district body as it is).
    ancestors = Unit.objects.in_bulk({pk for unit in units.values() for pk in unit.ancestor_ids})
    grouped: dict[int, dict] = {}
    for row in per_unit:
        unit = units.get(row["unit_id"])
        key = _commune_of(unit, ancestors) if unit else 0
        bucket = grouped.setdefault(key, {"people": 0, "attempts": 0, "total": 0.0})
        bucket["people"] += row["people"]
        bucket["attempts"] += row["attempts"] or 0
        bucket["total"] += (row["average"] or 0) * row["people"]
    for bucket in grouped.values():
        bucket["average"] = bucket["total"] / bucket["people"] if bucket["people"] else 0
    names = {pk: str(unit) for pk, unit in {**units, **ancestors}.items()}
    per_organisation = participations.values("organisation_id", "organisation__name").annotate(
        people=Count("pk"), attempts=Sum("attempts"), average=Avg("grade")
    )
    by_organisation = {row["organisation_id"] or 0: row for row in per_organisation}
    organisation_names = {row["organisation_id"] or 0: row["organisation__name"] or "—" for row in per_organisation}
    totals = participations.aggregate(people=Count("pk"), attempts=Sum("attempts"))
    return ParticipationReport(
        contest,
        totals["people"],
        totals["attempts"] or 0,
        _rows(grouped, names),
        _rows(by_organisation, organisation_names),
    )


def _commune_of(unit: Unit, ancestors: dict[int, Unit]) -> int:
    if unit.level in (UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.PROVINCE):
        return unit.pk
    for pk in reversed(unit.ancestor_ids):
        if pk in ancestors and ancestors[pk].level == UnitLevel.COMMUNE:
            return pk
    return unit.pk


@dataclass
class LevelRow:
    domain: int
    name: str
    counts: list[int]  # learners per column of LevelReport.columns
    total: int


@dataclass
class UnitLevelRows:
    """One commune (or village) of today's tree: its learners per level in each domain."""

    code: str
    name: str
    rows: list[LevelRow]


@dataclass
class LevelReport:
    """Learners per level in each competence domain (the level the placement set), within the reader's units,
    in all and per commune (per village when the reader's learners are all in one commune)."""

    columns: list[tuple[int, str]]  # (0, "below level 1"), then the framework's levels as their table holds them
    rows: list[LevelRow]
    learners: int
    per_village: bool = False
    units: list[UnitLevelRows] = field(default_factory=list)

    @property
    def charts(self) -> list[BarChart]:
        """One chart per competence domain: its learners at each level (none when nobody was assessed)."""
        if not self.learners:
            return []
        charts = []
        for row in self.rows:
            title = _("Learners per level: %(domain)s") % {"domain": f"{row.domain}. {row.name}"}
            description = _("How many learners are at each level in this domain; the table above holds the figures.")
            levels = [(label, [count]) for (_number, label), count in zip(self.columns, row.counts, strict=True)]
            charts.append(bar_chart(title, description, [_("Learners")], levels))
        return [chart for chart in charts if chart]


def _level_rows(counts: dict, columns, names) -> list[LevelRow]:
    rows = []
    for domain in sorted({*names, *(domain for domain, _level in counts)}):
        cells = [counts.get((domain, number), 0) for number, _label in columns]
        rows.append(LevelRow(domain, names.get(domain, str(domain)), cells, sum(cells)))
    return rows


def _unit_keys(unit_ids, snapshot: UnitSnapshot) -> tuple[dict[int, UnitVersion | None], bool]:
    """Each learner's unit (a version of any day) → its commune of today's tree, through the units app's
    snapshot (an old village counts under the commune that took it over in the 2025 reform); its village
    instead when every learner stands in the same commune (the commune's own learners stay on the commune)."""
    communes: dict[int, UnitVersion | None] = {}
    villages: dict[int, UnitVersion | None] = {}
    for unit_id in unit_ids:
        placed = snapshot.placed(unit_id) if unit_id else None
        commune = snapshot.ancestor_at(placed.id, UnitLevel.COMMUNE) if placed else None
        communes[unit_id] = commune or placed
        villages[unit_id] = placed if placed and placed.level == UnitLevel.VILLAGE else communes[unit_id]
    if len(set(communes.values())) == 1:
        return villages, True
    return communes, False


def level_report(learner_levels, day=None) -> LevelReport:
    """`learner_levels`: the `LearnerLevel` rows the reader may see (restricted by the caller)."""
    grouped = list(learner_levels.values("unit_id", "domain", "level").annotate(learners=Count("pk")))
    counts: dict[tuple[int, int], int] = {}
    for row in grouped:
        counts[row["domain"], row["level"]] = counts.get((row["domain"], row["level"]), 0) + row["learners"]
    columns = [(0, _("below level 1")), *((level.number, level.label) for level in CompetenceLevel.objects.all())]
    known = {number for number, _label in columns}
    columns += [(number, str(number)) for number in sorted({level for _d, level in counts} - known)]
    names = dict(CompetenceDomain.objects.values_list("number", "name"))
    report = LevelReport(columns, _level_rows(counts, columns, names), learner_levels.values("user").distinct().count())
    snapshot = snapshot_on(day or timezone.localdate())
    places, report.per_village = _unit_keys({row["unit_id"] for row in grouped}, snapshot)
    per_unit: dict = {}
    for row in grouped:
        cell = per_unit.setdefault(places[row["unit_id"]], {})
        cell[row["domain"], row["level"]] = cell.get((row["domain"], row["level"]), 0) + row["learners"]
    report.units = sorted(
        (
            UnitLevelRows(place.code if place else "", place.name if place else "—", _level_rows(cell, columns, names))
            for place, cell in per_unit.items()
        ),
        key=lambda unit: (unit.code, unit.name),
    )
    return report


def level_workbook(report: LevelReport) -> bytes:
    book = Workbook()
    labels = [label for _number, label in report.columns]
    table_sheet(
        book.active,
        _("Levels by domain"),
        heading=[[_("Learners assessed: %(count)s") % {"count": report.learners}], []],
        header=[_("Competence domain"), *labels, _("Total")],
        rows=([f"{row.domain}. {row.name}", *row.counts, row.total] for row in report.rows),
        widths={"A": 50},
    )
    table_sheet(
        book.create_sheet(),
        _("By village") if report.per_village else _("By commune"),
        header=[_("Code"), _("Name"), _("Competence domain"), *labels, _("Total")],
        rows=(
            [unit.code, unit.name, f"{row.domain}. {row.name}", *row.counts, row.total]
            for unit in report.units
            for row in unit.rows
        ),
        widths={"B": 30, "C": 50},
    )
    return workbook_bytes(book)


WINNERS = 30  # rows of the winners' sheet: enough for a province's prizes, and for a commune's


def winners(participations, count: int = WINNERS) -> list:
    """The best participations the reader may see, in the leaderboard's order (grade, then the shorter time)."""
    rows = participations.select_related("user", "unit", "organisation")
    return list(rows.order_by("-grade", "seconds", "finished_at", "pk")[:count])


def _winners_sheet(book: Workbook, report: ParticipationReport, rows: list) -> None:
    table_sheet(
        book.create_sheet(),
        _("Winners"),
        heading=[[report.contest.title], []],
        header=[
            _("Rank"),
            _("Full name"),
            _("Unit"),
            _("Organisation"),
            _("Score"),
            _("Time (seconds)"),
            _("Attempts"),
        ],
        rows=(
            [
                rank,
                str(row.user),
                str(row.unit) if row.unit else "",
                row.organisation.name if row.organisation else "",
                row.grade,
                row.seconds,
                row.attempts,
            ]
            for rank, row in enumerate(rows, start=1)
        ),
        widths={"B": 30, "C": 30, "D": 40},
    )


def report_workbook(report: ParticipationReport, best: list | None = None) -> bytes:
    """Sheets by unit and by organisation, then (when `best` is given) the winners in the leaderboard's order."""
    book = Workbook()
    for sheet, title, rows in (
        (book.active, _("By unit"), report.by_unit),
        (book.create_sheet(), _("By organisation"), report.by_organisation),
    ):
        table_sheet(
            sheet,
            title,
            heading=[[report.contest.title], [report.sentence], []],
            header=[_("Name"), _("Participants"), _("Attempts"), _("Average grade")],
            rows=([row.name, row.people, row.attempts, row.average] for row in rows),
            widths={"A": 60},
        )
    if best is not None:
        _winners_sheet(book, report, best)
    return workbook_bytes(book)
