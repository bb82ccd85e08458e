"""Figures per office and per category: received, answered, answered on time, overdue, median days to
answer, satisfaction. Computed from one query of the reports in the reader's scope for the period."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tinhso.core.spreadsheets import table_sheet, workbook_bytes
from tinhso.units.choices import UnitLevel

from .attributes import LISTS
from .choices import WAITING
from .models import Report, ServiceCategory


@dataclass
class Line:
    label: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    days: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days), 1) if self.days else None

    @property
    def satisfaction(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 1) if self.ratings else None

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None


@dataclass
class Figures:
    start: datetime.date
    end: datetime.date
    total: Line
    by_office: list[Line]
    by_category: list[Line]
    by_unit: list[Line] = field(default_factory=list)
    as_of: datetime.date | None = None
    answers: list["Answer"] = field(default_factory=list)


@dataclass
class Answer:
    """How many reports of a category chose one value of a list question (or answered any other question)."""

    category: str
    question: str
    value: str
    count: int = 0


def _count(line: Line, row: dict, today: datetime.date) -> None:
    line.received += 1
    if row["answered_at"] is not None:
        line.answered += 1
        answered_on = timezone.localdate(row["answered_at"])
        line.on_time += answered_on <= row["deadline"]
        line.overdue += answered_on > row["deadline"]
        line.days.append((row["answered_at"] - row["submitted_at"]).total_seconds() / 86400)
    elif row["status"] in WAITING and row["deadline"] < today:
        line.overdue += 1
    if row["rating"]:
        line.ratings.append(row["rating"])


def _unit_label(structure, unit_id: int | None) -> str:
    """The commune (with its district, before the reform) where a report happened, in the tree of the day:
    a report recorded on a commune merged since counts under its successor, and the other way round."""
    placed = structure.placed(unit_id) if unit_id is not None else None
    if placed is None:
        return _("Unknown place")
    commune = structure.ancestor_at(placed.id, UnitLevel.COMMUNE) or placed
    district = structure.ancestor_at(commune.id, UnitLevel.DISTRICT) if commune.parent_id else None
    return f"{commune.name} ({district.name})" if district and district.id != commune.id else commune.name


def figures(user, start: datetime.date, end: datetime.date, as_of: datetime.date | None = None) -> Figures:
    """`as_of`: the day whose administrative structure the per-unit table follows (today by default)."""
    from tinhso.units.snapshot import snapshot_on

    as_of = as_of or timezone.localdate()
    structure = snapshot_on(as_of)
    reports = Report.objects.restrict(user, "feedback.view_statistics").filter(
        submitted_at__date__gte=start, submitted_at__date__lte=end
    )
    rows = reports.values(
        "status",
        "deadline",
        "submitted_at",
        "answered_at",
        "rating",
        "routed_to__name",
        "service__name",
        "place_id",
        "unit_id",
        "service_id",
        "attributes",
    )
    today = timezone.localdate()
    total = Line(_("All"))
    offices: dict[str, Line] = {}
    categories: dict[str, Line] = {}
    units: dict[str, Line] = {}
    labels: dict[int | None, str] = {}
    answers = AnswerCounter()
    for row in rows.iterator(chunk_size=2000):
        answers.add(row["service_id"], row["attributes"])
        office = offices.setdefault(row["routed_to__name"], Line(row["routed_to__name"]))
        category = categories.setdefault(row["service__name"], Line(row["service__name"]))
        where = row["place_id"] or row["unit_id"]
        if where not in labels:
            labels[where] = _unit_label(structure, where)
        unit = units.setdefault(labels[where], Line(labels[where]))
        for line in (total, office, category, unit):
            _count(line, row, today)

    def ordered(lines: dict[str, Line]) -> list[Line]:
        return sorted(lines.values(), key=lambda line: (-line.received, line.label))

    by_category = ordered(categories)
    return Figures(start, end, total, ordered(offices), by_category, ordered(units), as_of, answers.lines())


class AnswerCounter:
    """Answers to the categories' questions, counted per category, question and value: each value of a list
    (a multivaluelist counts every key chosen); for any other question, the reports that answered it (the
    free text itself is never shown). Counted in the reader's scope, like the other figures."""

    def __init__(self):
        self.counts: dict[tuple[int, str, str | None], int] = {}
        self.categories: dict[int, ServiceCategory] = {}

    def add(self, service_id: int, answers) -> None:
        if not answers:
            return
        if service_id not in self.categories:
            self.categories[service_id] = ServiceCategory.objects.only("name", "attributes").get(pk=service_id)
        questions = {each.get("code"): each for each in self.categories[service_id].attributes or []}
        for code, value in answers.items():
            listed = questions.get(code, {}).get("datatype") in LISTS
            for each in (value if isinstance(value, list) else [value]) if listed else [None]:
                key = (service_id, code, each)
                self.counts[key] = self.counts.get(key, 0) + 1

    def lines(self) -> list[Answer]:
        found = []
        for (service_id, code, value), count in self.counts.items():
            category = self.categories[service_id]
            question: dict = next((each for each in category.attributes or [] if each.get("code") == code), {})
            names = {each.get("key"): each.get("name") for each in question.get("values") or []}
            shown = str(names.get(value, value)) if value is not None else _("Gave an answer")
            found.append(Answer(category.name, question.get("description") or code, shown, count))
        return sorted(found, key=lambda line: (line.category, line.question, -line.count, line.value))


def headings() -> list[str]:
    return [
        _("Reports received"),
        _("Reports answered"),
        _("Answered on time (%)"),
        _("Overdue"),
        _("Median days to answer"),
        _("Satisfaction (1–5)"),
    ]


def values(line: Line) -> list:
    return [line.received, line.answered, line.on_time_percent, line.overdue, line.median_days, line.satisfaction]


def workbook(result: Figures) -> bytes:
    book = Workbook()
    book.remove(book.active)
    heading = [[_("Citizen reports"), f"{result.start:%d/%m/%Y} – {result.end:%d/%m/%Y}"], []]
    for title, first, lines in (
        (_("By commune"), _("Commune (structure on %(day)s)") % {"day": f"{result.as_of:%d/%m/%Y}"}, result.by_unit),
        (_("By office"), _("Office"), result.by_office),
        (_("By category"), _("Category"), result.by_category),
    ):
        header = [first, *headings()]
        rows = ([line.label, *values(line)] for line in [*lines, result.total])
        table_sheet(book.create_sheet(), title, heading=heading, header=header, rows=rows, widths={"A": 48})
    _answers_sheet(book, result, heading)
    return workbook_bytes(book)


def _answers_sheet(book, result: Figures, heading: list[list]) -> None:
    table_sheet(
        book.create_sheet(),
        _("Answers to questions"),
        heading=heading,
        header=[_("Category"), _("Question"), _("Answer"), _("Number of reports")],
        rows=([line.category, line.question, line.value, line.count] for line in result.answers),
        widths={"A": 40, "B": 40},
    )


def _table_html(caption: str, first: str, lines: list[Line], total: Line) -> str:
    heads = "".join(f"<th>{escape(text)}</th>" for text in [first, *headings()])
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{escape('—' if value is None else value)}</td>" for value in [line.label, *values(line)])
        + "</tr>"
        for line in [*lines, total]
    )
    return f"<p><b>{escape(caption)}</b></p><table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"


def report_pdf(result: Figures, unit) -> bytes:
    from tinhso.core.documents import render_pdf

    return render_pdf(report_document(result, unit))


def report_document(result: Figures, unit):
    """The period's figures as a report of `unit`'s People's Committee laid out per Decree 30/2020/NĐ-CP
    (tinhso.core.documents: A4, Times-like serif, authority and motto, signature block)."""
    from tinhso.core.documents import commune_report

    period = f"từ ngày {result.start:%d/%m/%Y} đến ngày {result.end:%d/%m/%Y}"
    total = result.total
    summary = (
        f"<p>Trong kỳ báo cáo ({period}), {escape(unit.name)} tiếp nhận {total.received} phản ánh, kiến nghị "
        f"của người dân; đã trả lời {total.answered}"
        + (f", trong đó {total.on_time_percent}% đúng hạn" if total.on_time_percent is not None else "")
        + f"; {total.overdue} phản ánh quá hạn"
        + (f"; thời gian trả lời trung vị {total.median_days} ngày" if total.median_days is not None else "")
        + (f"; mức hài lòng bình quân {total.satisfaction}/5" if total.satisfaction is not None else "")
        + ".</p>"
    )
    body = summary + "".join(
        _table_html(caption, first, lines, total)
        for caption, first, lines in (
            (_("By commune"), _("Commune"), result.by_unit),
            (_("By office"), _("Office"), result.by_office),
            (_("By category"), _("Category"), result.by_category),
        )
    )
    return commune_report(
        commune=unit.name,
        place=unit.short_name or unit.name,
        day=timezone.localdate(),
        title=f"Kết quả tiếp nhận, trả lời phản ánh, kiến nghị của người dân {period}",
        body_html=body,
        recipients=["UBND tỉnh (để b/c);", "Lưu: VT."],
    )
