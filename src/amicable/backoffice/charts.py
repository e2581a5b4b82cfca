"""Horizontal bar charts drawn as inline SVG on the server: no JavaScript, no chart library.

A chart is a figure with an SVG image (``role="img"`` and a title) and, next to it, the same
figures as a table, which screen readers, keyboard users and printouts rely on; the SVG only
repeats what the table says.

>>> chart = bar_chart(title="Files", rows=[("disputed", 3, "3"), ("paid", 0, "0")])
>>> [(bar.label, bar.width) for bar in chart.bars]
[('disputed', 360), ('paid', 0)]
>>> chart.height
60
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Bar", "BarChart", "bar_chart"]

LABEL_WIDTH = 220
BAR_AREA = 360
VALUE_WIDTH = 120
ROW_HEIGHT = 24
BAR_HEIGHT = 16
PADDING = 6


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: Decimal | int
    display: str
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + PADDING


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT + 2 * PADDING

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_AREA + VALUE_WIDTH

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - PADDING

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def bar_chart(*, title: str, rows: Sequence[tuple[str, Decimal | int, str]]) -> BarChart:
    """A chart of ``rows`` (label, value, value as displayed), bars scaled to the largest.

    Negative values (a week with more returned payments than payments) draw no bar; the value
    is still written next to the label.
    """
    largest = max((value for _, value, _ in rows if value > 0), default=0)
    bars = []
    for index, (label, value, display) in enumerate(rows):
        width = int(BAR_AREA * value / largest) if largest and value > 0 else 0
        bars.append(
            Bar(
                label=label,
                value=value,
                display=display,
                y=PADDING + index * ROW_HEIGHT,
                width=max(width, 1) if value > 0 else 0,
            )
        )
    return BarChart(title=title, bars=tuple(bars))
