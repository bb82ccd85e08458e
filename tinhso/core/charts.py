"""Server-drawn horizontal bar charts (SVG, no JavaScript): one row per label, one bar per series.

Long labels and huge numbers keep their columns: the label is cut with its full text in the bar's <title>,
and a long figure is squeezed into the figure column rather than spilling past the picture."""

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma

WIDTH = 480
LABEL_WIDTH = 150  # the row's name, left
BARS_X, BARS_WIDTH = 155, 235  # the bars, middle
FIGURE_X, FIGURE_WIDTH = WIDTH - 4, 80  # the figure, right-aligned
BAR_HEIGHT, GAP, LEGEND = 12, 10, 24
LABEL_CHARS, FIGURE_CHARS = 24, 11
COLOURS = ("#1f5fa8", "#d98a1c", "#3a8a4a", "#8a3a8a", "#666666", "#b03a2e")


@dataclass(frozen=True)
class ChartBar:
    series: int
    y: int
    width: int
    value: int
    colour: str
    text: str  # the value as a reader reads it, in the locale's number format
    squeeze: int  # textLength for a figure too long for its column, else 0

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 2


@dataclass(frozen=True)
class Legend:
    name: str
    x: int
    colour: str

    @property
    def text_x(self) -> int:
        return self.x + 14


@dataclass(frozen=True)
class ChartRow:
    label: str
    short: str
    y: int
    bars: list[ChartBar]


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    series: list[Legend]
    rows: list[ChartRow]
    height: int
    width: int = WIDTH
    bars_x: int = BARS_X
    figure_x: int = FIGURE_X


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _bar(series: int, y: int, value: int, peak: int) -> ChartBar:
    text = str(intcomma(value))
    width = round(value * BARS_WIDTH / peak) if peak else 0
    bounded = max(0, min(BARS_WIDTH, width))
    return ChartBar(
        series, y, bounded, value, COLOURS[series % len(COLOURS)], text, FIGURE_WIDTH * (len(text) > FIGURE_CHARS)
    )


def bar_chart(title: str, description: str, series: list[str], rows: list[tuple[str, list[int]]]) -> BarChart | None:
    """`rows`: (label, one value per series). None when there is nothing to draw, for the page's empty state."""
    if not rows:
        return None
    peak = max((max(0, value) for _label, values in rows for value in values), default=0)
    row_height = BAR_HEIGHT * len(series) + GAP
    drawn = []
    for index, (label, values) in enumerate(rows):
        top = LEGEND + index * row_height
        bars = [_bar(number, top + number * BAR_HEIGHT, value, peak) for number, value in enumerate(values)]
        drawn.append(ChartRow(label, _short(label), top, bars))
    legend = [Legend(name, BARS_X + index * 120, COLOURS[index % len(COLOURS)]) for index, name in enumerate(series)]
    return BarChart(title, description, legend, drawn, LEGEND + len(rows) * row_height)
