"""The evaluation table's score cells, written once in Python.

A body of 300 people has 5,100 score cells (12 months, 4 quarters, the year). Through the template each
cell cost a `{% url %}` reverse, a `floatformat` and a few tag evaluations: most of the page's time. Here a
cell is one `format_html` from an address joined to the evaluations' root (the same pattern as
`work:month_detail`) and a number written like `floatformat:"-1g"` with the locale's decimal separator.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

DASH = "<td>—</td>"
TENTH = Decimal("0.1")


class Cells:
    """Writes one person's row of cells for the year."""

    def __init__(self, year: int):
        self.year = year
        self.root = reverse("work:evaluation_home")  # /work/evaluations/; a month is <root><staff>/<period>/
        self.separator = get_format("DECIMAL_SEPARATOR")

    def score(self, value) -> str:
        """85.25 → '85,3'; 85.00 → '85' (as floatformat:"-1" writes it; scores need no grouping)."""
        rounded = Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
        text = str(rounded)
        if text.endswith(".0"):
            text = text[:-2]
        return text.replace(".", self.separator)

    def _link(self, staff_pk: int, code: str, value, done: bool, title: str = "") -> str:
        mark = " ✓" if done else ""
        if title:
            return format_html(
                '<td><a href="{}{}/{}/" title="{}">{}</a>{}</td>',
                self.root,
                staff_pk,
                code,
                title,
                self.score(value),
                mark,
            )
        return format_html('<td><a href="{}{}/{}/">{}</a>{}</td>', self.root, staff_pk, code, self.score(value), mark)

    def row(self, staff_pk: int, months: list[tuple[str, tuple | None]], quarters: list, grade) -> SafeString:
        """`months`: (code, (total, frozen) or None when not scored) for each month of the year."""
        cells = [
            self._link(staff_pk, code, scored[0], scored[1]) if scored is not None else DASH for code, scored in months
        ]
        cells += [
            self._link(staff_pk, quarter.code, quarter.score, quarter.is_final, str(quarter.label))
            if quarter.score is not None
            else DASH
            for quarter in quarters
        ]
        if grade is None:
            cells.append(DASH)
        else:
            cells.append(
                format_html(
                    '<td><a href="{}{}/{}/">{}</a><br><a href="{}">PDF</a></td>',
                    self.root,
                    staff_pk,
                    self.year,
                    self.score(grade.score),
                    reverse("work:dossier", args=[staff_pk, self.year]),
                )
            )
        return mark_safe("".join(cells))
