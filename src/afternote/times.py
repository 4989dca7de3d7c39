"""Time zones: the records keep every moment in UTC (naive datetimes read as UTC); people see them in their practice's
zone, an IANA name (America/New_York) checked against the zone database (the `tzdata` package where the system has
none). Session times are typed as the practice's wall-clock times and converted here, on the way in and out.

One formatter, `when`, serves the pages, the exports and the CLI, so a time reads the same everywhere.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from functools import cache
from pathlib import Path

from afternote.errors import InputError

UTC = dt.timezone.utc
WHEN = "%Y-%m-%d %H:%M"  # the pattern a time is shown in; the zone's abbreviation follows it
# A fixed offset, for a session time typed in an hour a clock change skipped before zones were kept (0015)
_OFFSET = re.compile(r"UTC([+-])(\d\d):(\d\d)")


class UnknownTimeZone(InputError):
    """A time zone name the zone database does not know."""


@cache
def zone(name: str) -> dt.tzinfo:
    """The zone called `name`: an IANA name, or `UTC+HH:MM` (a fixed offset). UnknownTimeZone otherwise."""
    fixed = _OFFSET.fullmatch(name or "")
    if fixed:
        sign, hours, minutes = fixed.groups()
        offset = dt.timedelta(hours=int(hours), minutes=int(minutes))
        return dt.timezone(-offset if sign == "-" else offset)
    try:
        if not name or name != name.strip() or name.startswith("/") or ".." in name:
            raise ValueError  # zoneinfo would read a path
        return zoneinfo.ZoneInfo(name)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):  # a folder (America) is an OSError
        raise UnknownTimeZone(f"'{(name or '')[:60]}' is not a time zone. Give an IANA name such as "
                              "America/New_York, Europe/Berlin or Asia/Tokyo (`afternote practice time-zone --list` "
                              "lists them).") from None


def checked(name: str) -> str:
    """`name` as a practice may set it: a known IANA name (not a fixed offset). UnknownTimeZone otherwise."""
    name = (name or "").strip()
    if _OFFSET.fullmatch(name) or name not in available():
        zone(name)  # the message for a name nobody knows
        raise UnknownTimeZone(f"'{name[:60]}' is not a time zone a practice can choose. Give an IANA name such "
                              "as America/New_York, Europe/Berlin or Asia/Tokyo.")
    return name


@cache
def available() -> frozenset[str]:
    """Every IANA zone name the zone database knows here."""
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def server_zone() -> str:
    """The zone of practices that chose none: AFTERNOTE_TIME_ZONE, else this computer's zone (TZ, /etc/timezone,
    /etc/localtime), else UTC."""
    from afternote.config import settings
    configured = (settings().time_zone or "").strip()
    if configured:
        return checked(configured)  # a typo is said at start-up, not guessed around
    return system_zone() or "UTC"


def system_zone() -> str | None:
    """This computer's IANA zone name, if it can be found."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.rsplit("zoneinfo/", 1)[1])
    except OSError:
        pass
    return next((c for c in candidates if c and c in available()), None)


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored moment (naive UTC) or an aware one, as an aware UTC datetime."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local(value: dt.datetime, zone_name: str) -> dt.datetime:
    """A stored moment (naive UTC) as an aware datetime in `zone_name`."""
    return as_utc(value).astimezone(zone(zone_name))


def wall_clock(value: dt.datetime, zone_name: str) -> dt.datetime:
    """A stored moment as the naive wall-clock time it was in `zone_name`."""
    return local(value, zone_name).replace(tzinfo=None)


def stored(wall: dt.datetime, zone_name: str) -> dt.datetime:
    """A wall-clock time typed in `zone_name` as it is stored (naive UTC). A time the clocks skipped (02:30 when
    they spring forward) is refused; in the hour that repeats when they fall back, the first one is meant."""
    tz = zone(zone_name)
    aware = wall.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != wall:
        raise InputError(f"{wall:%H:%M} did not happen on {wall:%Y-%m-%d} in {zone_name}: the clocks moved forward "
                         f"then. Give the time as the clock showed it (for example {back:%H:%M}).")
    return aware.astimezone(UTC).replace(tzinfo=None)


def when(value: dt.datetime | dt.date | None, zone_name: str, pattern: str = WHEN, *,
         label: bool | None = None) -> str:
    """A stored moment as people read it, in `zone_name`, with the zone's abbreviation when it shows a time of day
    ("2026-03-08 14:00 EDT"; `label` says otherwise); a date stays as it is; None is empty."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if pattern == WHEN else pattern)
    moment = local(value, zone_name)
    if label is None:
        label = "%H" in pattern or "%I" in pattern
    return f"{moment.strftime(pattern)} {abbreviation(moment)}" if label else moment.strftime(pattern)


def abbreviation(moment: dt.datetime) -> str:
    """The zone's abbreviation at that moment (EST, EDT, JST), or its offset where it has none (+03)."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:5]}"


def iso(value: dt.datetime | None, zone_name: str = "UTC") -> str | None:
    """A stored moment as ISO 8601 with its offset: UTC by default (JSON, FHIR), or in `zone_name`."""
    if value is None:
        return None
    return local(value, zone_name).isoformat()


def day_start(day: dt.date, zone_name: str) -> dt.datetime:
    """When `day` begins in `zone_name`, as stored (naive UTC); a zone whose midnight was skipped starts later."""
    tz = zone(zone_name)
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def today(now: dt.datetime, zone_name: str) -> dt.date:
    """The date in `zone_name` at the stored moment `now`."""
    return local(now, zone_name).date()


def week_start(now: dt.datetime, zone_name: str) -> dt.datetime:
    """Monday 00:00 of the week `now` (stored, naive UTC) falls in, in `zone_name`, as stored."""
    day = today(now, zone_name)
    return day_start(day - dt.timedelta(days=day.weekday()), zone_name)
