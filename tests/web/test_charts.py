"""The chart's geometry: scores up the side on the instrument's whole range, dates along the bottom in proportion,
bands that meet and cover the range, every point inside the plot."""
import datetime as dt

from afternote.reading.instruments import instrument
from afternote.web.charts import HEIGHT, LEFT, RIGHT, TOP, BOTTOM, WIDTH, chart_of
from afternote.workflow.measures import Point, Series


def series(key, *dated_scores):
    inst = instrument(key)

    def point(date: str, score: float) -> Point:
        band = inst.band_of(score)
        return Point(dt.date.fromisoformat(date), score, band.label if band else None, "n" * 32)
    return Series(inst, tuple(point(d, s) for d, s in dated_scores))


def test_points_sit_on_the_instruments_range_and_in_time_order():
    chart = chart_of(series("phq9", ("2026-01-05", 27), ("2026-01-12", 0), ("2026-02-02", 14)))
    top, bottom = TOP, HEIGHT - BOTTOM
    ys = [p.y for p in chart.points]
    assert ys[0] == top and ys[1] == bottom and top < ys[2] < bottom
    xs = [p.x for p in chart.points]
    assert LEFT < xs[0] < xs[1] < xs[2] < WIDTH - RIGHT
    assert round((xs[1] - xs[0]) / (xs[2] - xs[0]), 3) == round(7 / 28, 3)  # a week of four
    assert chart.line.count(",") == 3


def test_bands_meet_cover_the_range_and_shade_from_mild_to_severe():
    chart = chart_of(series("phq9", ("2026-01-05", 14)))
    assert [b.label for b in chart.bands] == ["minimal", "mild", "moderate", "moderately severe", "severe"]
    assert [b.shade for b in chart.bands] == [0, 1, 2, 3, 4]
    for higher, lower in zip(chart.bands[1:], chart.bands):
        assert round(higher.y + higher.height, 6) == round(lower.y, 6)
    assert round(chart.bands[-1].y, 6) <= TOP and round(chart.bands[0].y + chart.bands[0].height, 6) >= HEIGHT - BOTTOM
    assert [t for _, t in chart.score_ticks] == ["0", "5", "10", "15", "20", "27"]


def test_one_score_is_centred_and_a_scale_without_bands_has_none():
    chart = chart_of(series("suds", ("2026-01-05", 60)))
    assert chart.bands == () and chart.points[0].x == LEFT + (WIDTH - LEFT - RIGHT) / 2
    assert chart.date_ticks == ((chart.points[0].x, "2026-01-05", "middle"),)
    assert chart.trend == "SUDS: one score, 60 on 2026-01-05."


def test_scores_on_one_day_are_spread_in_order():
    chart = chart_of(series("ors", ("2026-01-05", 22.5), ("2026-01-05", 30)))
    assert chart.points[0].x < chart.points[1].x and chart.points[1].score_text == "30"
    assert chart.points[0].label == "2026-01-05: 22.5 (clinical range (below 25))"


def test_where_higher_is_better_the_low_band_is_shaded_as_the_concern():
    chart = chart_of(series("ors", ("2026-01-05", 22.5)))
    assert [(b.label, b.shade) for b in chart.bands] == [("clinical range (below 25)", 4),
                                                         ("non-clinical range (25 or more)", 0)]
