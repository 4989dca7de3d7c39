"""Time zones: stored moments are UTC and shown in the practice's IANA zone; typed wall-clock times become UTC,
right on the nights the clocks change (America/New_York springs forward on 2026-03-08 and falls back on
2026-11-01)."""
import datetime as dt

import pytest

from afternote import times
from afternote.config import settings
from afternote.errors import InputError

NY = "America/New_York"


def test_a_session_on_the_spring_forward_day_is_stored_and_shown_right():
    # 01:30 is still EST (-5), 03:30 already EDT (-4): an hour apart on the wall, one hour apart in fact
    before = times.stored(dt.datetime(2026, 3, 8, 1, 30), NY)
    after = times.stored(dt.datetime(2026, 3, 8, 3, 30), NY)
    assert before == dt.datetime(2026, 3, 8, 6, 30) and after == dt.datetime(2026, 3, 8, 7, 30)
    assert times.when(before, NY) == "2026-03-08 01:30 EST"
    assert times.when(after, NY) == "2026-03-08 03:30 EDT"
    assert times.when(dt.datetime(2026, 3, 8, 19, 0), NY) == "2026-03-08 15:00 EDT"


def test_a_session_on_the_fall_back_day_is_stored_and_shown_right():
    afternoon = times.stored(dt.datetime(2026, 11, 1, 14, 0), NY)
    assert afternoon == dt.datetime(2026, 11, 1, 19, 0)  # EST again
    assert times.when(afternoon, NY) == "2026-11-01 14:00 EST"
    # 01:30 happens twice; typed, it means the first (EDT), and both instants show as 01:30 with their zone
    first = times.stored(dt.datetime(2026, 11, 1, 1, 30), NY)
    assert first == dt.datetime(2026, 11, 1, 5, 30)
    assert times.when(first, NY) == "2026-11-01 01:30 EDT"
    assert times.when(first + dt.timedelta(hours=1), NY) == "2026-11-01 01:30 EST"


def test_a_time_the_clocks_skipped_is_refused_with_what_to_type():
    with pytest.raises(InputError, match=r"02:30 did not happen on 2026-03-08 in America/New_York.*03:30"):
        times.stored(dt.datetime(2026, 3, 8, 2, 30), NY)


def test_an_unknown_zone_says_what_to_give():
    for name in ("Mars/Olympus", "America", "../../etc/passwd", "", "Europe/Berlin/x"):
        with pytest.raises(times.UnknownTimeZone, match="IANA name such as America/New_York"):
            times.checked(name)
    assert times.checked(" Asia/Tokyo ") == "Asia/Tokyo"
    with pytest.raises(times.UnknownTimeZone):
        times.checked("UTC+05:00")  # a fixed offset is for old sessions only, not a practice's choice


def test_the_week_starts_on_monday_midnight_in_the_practice_zone():
    # Monday 2026-03-09 00:30 in Tokyo is Sunday 15:30 UTC: already this week there
    now = dt.datetime(2026, 3, 8, 15, 30)
    assert times.week_start(now, "Asia/Tokyo") == dt.datetime(2026, 3, 8, 15, 0)
    assert times.week_start(now, "UTC") == dt.datetime(2026, 3, 2, 0, 0)
    # the week of the spring-forward Sunday began on Monday 2026-03-02 at 00:00 EST
    assert times.week_start(dt.datetime(2026, 3, 8, 12, 0), NY) == dt.datetime(2026, 3, 2, 5, 0)
    assert times.week_start(dt.datetime(2026, 3, 9, 12, 0), NY) == dt.datetime(2026, 3, 9, 4, 0)


def test_dates_stay_dates_and_offsets_are_iso():
    assert times.when(dt.date(2026, 1, 5), NY) == "2026-01-05"
    assert times.when(dt.datetime(2026, 1, 5, 3, 0), NY, "%Y-%m-%d") == "2026-01-04"
    assert times.when(None, NY) == ""
    assert times.iso(dt.datetime(2026, 7, 1, 12, 0)) == "2026-07-01T12:00:00+00:00"
    assert times.iso(dt.datetime(2026, 7, 1, 12, 0), NY) == "2026-07-01T08:00:00-04:00"
    assert times.when(dt.datetime(2026, 7, 1, 12, 0), "Asia/Dubai") == "2026-07-01 16:00 UTC+04:00"  # no letters


def test_the_server_zone_is_the_configured_one_else_the_computers(monkeypatch):
    monkeypatch.setenv("AFTERNOTE_TIME_ZONE", "Asia/Tokyo")
    settings.cache_clear()
    try:
        assert times.server_zone() == "Asia/Tokyo"
        monkeypatch.setenv("AFTERNOTE_TIME_ZONE", "Asia/Tokio")
        settings.cache_clear()
        with pytest.raises(times.UnknownTimeZone, match="Asia/Tokio"):
            times.server_zone()
        monkeypatch.delenv("AFTERNOTE_TIME_ZONE")
        monkeypatch.setenv("TZ", "Europe/Berlin")
        settings.cache_clear()
        assert times.server_zone() == "Europe/Berlin"
    finally:
        settings.cache_clear()
