"""Bar charts drawn on the server: a table whose rows carry a small SVG bar each.

The table is the chart: its header names every figure and screen readers, keyboard users and
printouts read it as any table; the bars (``aria-hidden``) only repeat what its cells say. So the
labels are text at the page's body size, wrap on a narrow screen instead of being clipped, and
no JavaScript, chart library or inline style is needed (the bars' lengths are SVG attributes,
which the Content-Security-Policy allows).

>>> chart = bar_chart(title="Files", heading="State", columns=["Files"],
...     rows=[("Disputed", [3], ["3"]), ("Paid", [0], ["0"])])
>>> [[bar.percent for bar in row.bars] for row in chart.rows]
[[100.0], [0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Bar", "BarChart", "ChartRow", "bar_chart"]

#: The height of one bar and the gap under it, in the SVG's units (one unit is one pixel tall).
BAR_HEIGHT = 14
BAR_GAP = 4


@dataclass(frozen=True, slots=True)
class Bar:
    #: Of the bar's length, as a share of the longest bar of the chart (0 to 100).
    percent: float
    #: Which series the bar shows: its CSS class, explained by the chart's legend.
    series: str
    #: Where the bar starts: a stacked bar's second part starts where the first ends.
    offset: float
    y: int


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    cells: tuple[str, ...]
    bars: tuple[Bar, ...]
    #: A row that needs attention (a queue with overdue items).
    alert: bool = False

    @property
    def svg_height(self) -> int:
        lines = len({bar.y for bar in self.bars}) or 1
        return lines * BAR_HEIGHT + (lines - 1) * BAR_GAP


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    heading: str
    columns: tuple[str, ...]
    rows: tuple[ChartRow, ...]
    #: (series, words) for each series drawn, when there are several.
    legend: tuple[tuple[str, str], ...] = ()
    note: str = ""

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


Number = Decimal | int | float


def _percent(value: Number, largest: Number) -> float:
    if not largest or value <= 0:
        return 0.0
    # A small positive figure still shows a sliver of bar: only nothing draws nothing.
    return max(round(float(value) * 100 / float(largest), 1), 0.5)


def bar_chart(
    *,
    title: str,
    heading: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Number], Sequence[str]]],
    series: Sequence[str] = ("bar",),
    legend: Sequence[tuple[str, str]] = (),
    stacked: bool = False,
    scale: Number | None = None,
    alerts: Sequence[bool] = (),
    note: str = "",
) -> BarChart:
    """A chart of ``rows`` (label, values drawn, cells written), all scaled to the largest
    value (or to ``scale``: 100 for a rate).

    Each value is one bar, one above the other, of the class ``series[i]``; ``stacked`` puts
    them end to end on one line instead (the overdue part of a queue after the part in time).
    A negative value (a month with more returned payments than payments) draws no bar; its
    cell still says it.
    """
    if scale is not None:
        largest: Number = scale
    elif stacked:
        largest = max((sum(v for v in values if v > 0) for _, values, _ in rows), default=0)
    else:
        largest = max((v for _, values, _ in rows for v in values if v > 0), default=0)
    chart_rows = []
    for index, (label, values, cells) in enumerate(rows):
        bars = []
        offset = 0.0
        for position, value in enumerate(values):
            percent = _percent(value, largest)
            y = 0 if stacked else position * (BAR_HEIGHT + BAR_GAP)
            bars.append(
                Bar(
                    percent=percent,
                    series=series[position % len(series)],
                    offset=offset if stacked else 0.0,
                    y=y,
                )
            )
            if stacked:
                offset += percent
        chart_rows.append(
            ChartRow(
                label=label,
                cells=tuple(cells),
                bars=tuple(bars),
                alert=bool(alerts[index]) if index < len(alerts) else False,
            )
        )
    return BarChart(
        title=title,
        heading=heading,
        columns=tuple(columns),
        rows=tuple(chart_rows),
        legend=tuple(legend),
        note=note,
    )
