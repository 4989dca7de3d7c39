"""A measure over time as a small chart drawn on the server: the geometry of an SVG the template `_measures.html`
draws (severity bands shaded, one point per score, a line between them). Pure: a series in, coordinates out; no
JavaScript, nothing fetched."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from afternote.reading.instruments import score_text
from afternote.workflow.measures import Point, Series

WIDTH, HEIGHT = 520, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 10, 30  # room for the score axis on the left and the dates below


@dataclass(frozen=True)
class ChartBand:
    y: float
    height: float
    label: str
    shade: int  # 0 (the mildest band) up to 4 (the most severe; for ORS and SRS, the lowest scores)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    point: Point
    score_text: str
    label: str  # what the point says, for its tooltip


@dataclass(frozen=True)
class Chart:
    key: str
    name: str
    range_text: str
    trend: str
    bands: tuple[ChartBand, ...]
    points: tuple[ChartPoint, ...]
    score_ticks: tuple[tuple[float, str], ...]  # (y, text)
    date_ticks: tuple[tuple[float, str, str], ...]  # (x, text, text-anchor): the first and the last date
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: int = HEIGHT - BOTTOM
    right_x: int = WIDTH - RIGHT

    @property
    def line(self) -> str:
        """The polyline's points attribute."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def chart_of(series: Series) -> Chart:
    """The chart of one instrument's series: scores up the side on the instrument's whole range, dates along the
    bottom in proportion to the time between them."""
    inst, points = series.instrument, series.points
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT
    span = inst.high - inst.low

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (min(max(value, inst.low), inst.high) - inst.low) / span)

    first, last = points[0].date, points[-1].date
    days = (last - first).days

    def x(index: int, date: dt.date) -> float:
        if len(points) == 1:
            return LEFT + plot_w / 2
        share = (date - first).days / days if days else index / (len(points) - 1)
        return LEFT + 8 + (plot_w - 16) * share

    count = len(inst.bands)
    bands = []
    for i, band in enumerate(inst.bands):  # each band reaches half a step past its ends, so they meet
        top, bottom = y(band.high + inst.step / 2), y(band.low - inst.step / 2)
        shade = round(i * 4 / (count - 1)) if count > 1 else 0
        bands.append(ChartBand(top, bottom - top, band.label, 4 - shade if inst.higher_is_better else shade))
    ticks = sorted({inst.low, inst.high, *(b.low for b in inst.bands[1:])})
    charted = tuple(ChartPoint(x(i, p.date), y(p.score), p, score_text(p.score),
                               f"{p.date.isoformat()}: {score_text(p.score)}{f' ({p.band})' if p.band else ''}")
                    for i, p in enumerate(points))
    if len(charted) == 1:
        dates = ((charted[0].x, points[0].date.isoformat(), "middle"),)
    else:  # the first starts at its point and the last ends at its own, so neither runs off the chart
        dates = ((charted[0].x, first.isoformat(), "start"), (charted[-1].x, last.isoformat(), "end"))
    return Chart(inst.key, inst.name, inst.range_text, series.trend, tuple(bands), charted,
                 tuple((y(t), score_text(t)) for t in ticks), dates)


def objective_charts(found: dict) -> dict[str, Chart]:
    """The chart of each objective's measure that has scores (`found`: objective id -> ObjectiveMeasure)."""
    return {objective_id: chart_of(m.series) for objective_id, m in found.items() if m.series is not None}
