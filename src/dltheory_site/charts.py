"""Charts: the geometry of the statistics charts, as plain values for templates.

A chart is drawn in two layers (see ``templates/partials/charts.md``): the plot area
is an SVG stretched to the width of the page (``preserveAspectRatio="none"``, strokes
that do not scale), and every label is HTML text placed in percent along its axis.
So the bars scale with the screen while the labels keep the page's font size: at
least 12 px on a desktop and on a 390 px phone alike. Colours come from the page
(``currentColor`` and Material's CSS variables), so they follow light and dark mode.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dltheory_site.kb import KnowledgeBase
from dltheory_site.views import group_color

#: Years with a bar of their own in the papers-per-year chart; older years share one.
CHART_YEARS = 36
#: Width of one year's slot in the plot's user units (bars are 80% of it).
SLOT = 10
#: Height of the plot area in user units (the y axis runs from 0 to HEIGHT).
HEIGHT = 100
#: At most this many labels on the year axis, so that they fit a phone screen.
MAX_X_LABELS = 8


@dataclass(frozen=True, slots=True)
class Tick:
    """A label on an axis: its place in percent (0 = left or bottom) and its text."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One rectangle of a bar chart, in the plot's user units."""

    x: float
    y: float
    w: float
    h: float
    color: str
    title: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: its plot geometry, its axes and its words.

    Attributes:
        id: The figure's HTML id.
        title: The accessible name of the plot: what it shows, with its numbers.
        caption: The visible caption.
        width: The plot's width in user units (its height is :data:`HEIGHT`).
        y_ticks: Labels (and gridlines) of the y axis.
        x_ticks: Labels of the x axis.
        bars: Rectangles (stacked bars).
        line: Points of a line (``x,y x,y ...``), or empty.
        area: Points of the filled area under the line, or empty.
        legend: (number, title, colour) of each group, for stacked charts.
    """

    id: str
    title: str
    caption: str
    width: int
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...] = ()
    line: str = ""
    area: str = ""
    legend: tuple[tuple[int, str, str], ...] = ()

    @property
    def height(self) -> int:
        """The plot's height in user units."""
        return HEIGHT

    def y(self, tick: Tick) -> float:
        """The user-unit height of a y tick's gridline."""
        return round(HEIGHT - HEIGHT * tick.at / 100, 2)


def nice_ticks(top: int, most: int = 6) -> tuple[int, list[int]]:
    """The axis maximum and the tick values for counts up to ``top``: 1, 2 or 5 times 10^k."""
    top = max(top, most - 2)  # at least a few ticks, even for tiny counts
    for power in range(10):
        for base in (1, 2, 5):
            step = base * 10**power
            if math.ceil(top / step) <= most - 1:
                high = math.ceil(top / step) * step
                return high, list(range(0, high + 1, step))
    raise ValueError(top)  # pragma: no cover - counts never reach 10^10


def _y_ticks(top: int) -> tuple[int, tuple[Tick, ...]]:
    high, values = nice_ticks(top)
    return high, tuple(Tick(round(100 * v / high, 2), str(v)) for v in values)


def _year_slots(kb: KnowledgeBase) -> tuple[list[int | str], int]:
    """The x axis of the year charts: one slot per year, older years in one slot first."""
    years = sorted(kb.by_year)
    first = max(years[0], years[-1] - CHART_YEARS + 1)
    span: list[int | str] = list(range(first, years[-1] + 1))
    if years[0] < first:
        span.insert(0, "earlier")
    return span, first


def _year_ticks(span: Sequence[int | str], first: int) -> tuple[Tick, ...]:
    """Year labels at slot centres: every 1, 2, 5 or 10 years, so that at most a few fit."""
    years = [y for y in span if isinstance(y, int)]
    step = next(s for s in (1, 2, 5, 10, 20, 50) if len(years) / s <= MAX_X_LABELS)
    offset = len(span) - len(years)
    ticks = []
    if offset:
        ticks.append(Tick(round(100 * 0.5 / len(span), 2), f"<{first}"))
    for i, y in enumerate(span):
        # An "earlier" label takes the room of the first few years.
        if isinstance(y, int) and y % step == 0 and (not offset or i >= max(step, 3) + 1):
            ticks.append(Tick(round(100 * (i + 0.5) / len(span), 2), str(y)))
    return tuple(ticks)


def papers_per_year(kb: KnowledgeBase) -> Chart:
    """Papers per year of publication, stacked by group (older years share one bar)."""
    span, first = _year_slots(kb)
    groups = kb.taxonomy.groups
    counts: dict[int | str, Counter[str]] = {
        y: Counter(e.group_id for e in kb.by_year.get(y, ())) for y in span if isinstance(y, int)
    }
    counts["earlier"] = Counter(e.group_id for e in kb.entries if e.year < first)
    high, y_ticks = _y_ticks(max(sum(c.values()) for c in counts.values()))
    bars = []
    for i, year in enumerate(span):
        base = 0.0
        label = f"before {first}" if year == "earlier" else str(year)
        for g in groups:
            n = counts[year].get(g.id, 0)
            if n:
                h = HEIGHT * n / high
                bars.append(
                    Bar(
                        x=i * SLOT + 1,
                        y=round(HEIGHT - base - h, 2),
                        w=SLOT - 2,
                        h=round(h, 2),
                        color=group_color(kb.taxonomy, g.id),
                        title=f"{label}, {g.number}. {g.short_title}: {n}",
                    )
                )
                base += h
    totals = ", ".join(
        f"{'before ' + str(first) if y == 'earlier' else y}: {sum(counts[y].values())}"
        for y in span
        if sum(counts[y].values())
    )
    return Chart(
        id="chart-years",
        title=f"Papers per year of publication, stacked by group. {totals}.",
        caption="Papers per year of publication, stacked by group:",
        width=len(span) * SLOT,
        y_ticks=y_ticks,
        x_ticks=_year_ticks(span, first),
        bars=tuple(bars),
        legend=tuple((g.number, g.short_title, group_color(kb.taxonomy, g.id)) for g in groups),
    )


def _line(points: Sequence[tuple[float, float]], width: int) -> tuple[str, str]:
    """A polyline through the points and the closed area under it."""
    line = " ".join(f"{round(x, 2)},{round(y, 2)}" for x, y in points)
    x0, x1 = (points[0][0], points[-1][0]) if points else (0, width)
    return line, f"{x0},{HEIGHT} {line} {x1},{HEIGHT}"


def growth(kb: KnowledgeBase) -> Chart:
    """How the knowledge base grew: by the day papers were added, when that spans days.

    When every entry was added on the same day (a knowledge base imported at once), a
    growth curve would be one vertical line; the chart then shows the cumulative number
    of papers by year of publication instead, and its caption says so.
    """
    added = sorted(e.added for e in kb.entries)
    if added[-1] > added[0]:
        return _growth_by_added(added)
    span, first = _year_slots(kb)
    total = 0
    cumulative = []
    for year in span:
        total += sum(
            1 for e in kb.entries if (e.year < first if year == "earlier" else e.year == year)
        )
        cumulative.append(total)
    high, y_ticks = _y_ticks(total)
    width = len(span) * SLOT
    points = [((i + 0.5) * SLOT, HEIGHT - HEIGHT * n / high) for i, n in enumerate(cumulative)]
    line, area = _line(points, width)
    return Chart(
        id="chart-growth",
        title=f"Cumulative papers by year of publication: {total} papers up to {span[-1]}.",
        caption=(
            "Cumulative papers by year of publication (every paper was added to the "
            f"knowledge base on the same day, {added[0].isoformat()}, so there is no growth "
            "over time to show)."
        ),
        width=width,
        y_ticks=y_ticks,
        x_ticks=_year_ticks(span, first),
        line=line,
        area=area,
    )


def _growth_by_added(added: Sequence[date]) -> Chart:
    start, end = added[0].toordinal(), added[-1].toordinal()
    days = end - start
    width = 400
    per_day = Counter(d.toordinal() for d in added)
    high, y_ticks = _y_ticks(len(added))
    total = 0
    points: list[tuple[float, float]] = []
    for day in sorted(per_day):
        x = width * (day - start) / days
        if points:  # a step: the count holds until the next day with additions
            points.append((x, points[-1][1]))
        total += per_day[day]
        points.append((x, HEIGHT - HEIGHT * total / high))
    line, area = _line(points, width)
    marks = sorted({0, days // 2, days} if days > 1 else {0, days})
    x_ticks = tuple(
        Tick(round(100 * m / days, 2), date.fromordinal(start + m).isoformat()) for m in marks
    )
    return Chart(
        id="chart-growth",
        title=(
            f"Growth of the knowledge base: {len(added)} papers added from "
            f"{added[0].isoformat()} to {added[-1].isoformat()}."
        ),
        caption="Growth of the knowledge base: papers in it by the day they were added.",
        width=width,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        line=line,
        area=area,
    )


def charts(kb: KnowledgeBase) -> tuple[Chart, ...]:
    """The statistics charts of a knowledge base (none when it is empty)."""
    if not kb.entries:
        return ()
    return (papers_per_year(kb), growth(kb))
