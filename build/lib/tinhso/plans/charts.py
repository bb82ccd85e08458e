"""Small server-drawn SVG charts: no JavaScript library to download on a 3G phone."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, BASELINE, TOP = 320, 160, 130, 22


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    text: str
    centre: int


def bar_chart(items: list[tuple[str, Decimal | None, str]]) -> dict:
    """Vertical bars for (label, value, text shown above the bar); empty values stay empty."""
    if not items:
        return {"bars": [], "width": WIDTH, "height": HEIGHT, "baseline": BASELINE}
    peak = max((value for _label, value, _text in items if value is not None), default=Decimal(0)) or Decimal(1)
    slot = WIDTH // len(items)
    bar_width = max(8, int(slot * 0.6))
    bars = []
    for index, (label, value, text) in enumerate(items):
        height = int((value or 0) / peak * (BASELINE - TOP)) if value is not None else 0
        x = index * slot + (slot - bar_width) // 2
        bars.append(Bar(x, BASELINE - height, bar_width, height, label, text, x + bar_width // 2))
    return {"bars": bars, "width": WIDTH, "height": HEIGHT, "baseline": BASELINE}


def share_width(value: Decimal | None, peak: Decimal | None = None) -> int:
    """Width (0–100) of a horizontal bar: the value itself for percentages, else relative to the peak."""
    if value is None:
        return 0
    if peak:
        return max(0, min(100, int(value * 100 / peak)))
    return max(0, min(100, int(value)))
