"""Totals of rating scales typed in key points: "PHQ-9 14", "GAD-7: 12/21 (down from 15)", "phq 9 was 14".

Only a number that the key points give as the instrument's total for this session is read. An earlier total ("down
from 15", "previously 18", "at intake") is passed over; a change ("down 4"), a time ("in 2 weeks"), a name that is
not in data/instruments.toml, or a total shared by two names ("PHQ-9 and GAD-7 were 14 and 12") gives nothing. A
total typed beside a date ("PHQ-9 on 3/2: 11") carries that date, so the caller can tell whether it is the
session's. Pure: text in, scores out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from afternote.reading.instruments import Instrument, instruments, reading_words

_NUMBER = re.compile(r"\d{1,4}(?:\.\d{1,2})?(?![\d.]*\d)")
_OUT_OF = re.compile(r"[ \t]*(?:/|out of[ \t]+|of[ \t]+)[ \t]*(\d{1,4})(?![\d/])")
_DATE = re.compile(r"(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?)(?![\d/])")
_SLASH = re.compile(r"[ \t]*/[ \t]*\d")
_SPACE = re.compile(r"[ \t]*")
_AGO = re.compile(r"[ \t]*(?:[A-Za-z0-9]+[ \t]+){1,2}ago(?![A-Za-z])", re.I)  # "14 two weeks ago"
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’]*)[ \t]*$")
_JOINED = re.compile(r"\s*(?:and|&|/|\+|,)\s*", re.I)  # "PHQ-9 and GAD-7", "PHQ-9/GAD-7"


@dataclass(frozen=True)
class TypedDate:
    month: int
    day: int
    year: int | None = None  # None: typed without one ("3/2")


@dataclass(frozen=True)
class Score:
    """A total the key points give: `start`/`end` are the typed number's characters, `name_start`/`name_end` the
    instrument's name as typed. `out_of_range` (with `problem` saying why) when it cannot be a total of the
    instrument; `on` when a date was typed beside it; `whose` when a possessive was typed before the name (in a
    session with others present, "his PHQ-9" may not be the client's)."""

    instrument: str
    value: float
    start: int
    end: int
    name_start: int
    name_end: int
    out_of: int | None = None
    on: TypedDate | None = None
    problem: str | None = None
    whose: str | None = None  # a possessive typed before the name ("her", "partner's"), lower case

    @property
    def out_of_range(self) -> bool:
        return self.problem is not None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _name_pattern(name: str) -> str:
    """A typed name: its letter and digit runs, with or without a hyphen or space between them."""
    runs = re.findall(r"[A-Za-z]+|\d+", name)
    return r"[ \t\-–]?".join(re.escape(run) for run in runs)


@cache
def _names() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    """(pattern, instrument keys) for every typed name, longest first ("PHQ-9A" before "PHQ-9")."""
    keys: dict[tuple[str, bool], list[str]] = {}
    for inst in instruments().values():
        for name in inst.names:
            keys.setdefault((name.lower(), False), []).append(inst.key)
        for name in inst.capitals_only:
            keys.setdefault((name, True), []).append(inst.key)
    found = []
    for (name, exact), held in sorted(keys.items(), key=lambda item: -len(item[0][0])):
        flags = 0 if exact else re.I
        found.append((re.compile(rf"(?<![A-Za-z0-9]){_name_pattern(name)}(?![A-Za-z0-9])", flags), tuple(held)))
    return tuple(found)


@cache
def _words(kind: str) -> re.Pattern:
    """One of the table's word lists as a pattern, longest first, whole words only."""
    words = sorted(reading_words()[kind], key=len, reverse=True)
    parts = [re.escape(w) + (r"(?![A-Za-z])" if w[-1].isalpha() else "") for w in words]
    return re.compile(r"[ \t]*(?:" + "|".join(parts) + ")", re.I)


def _mentions(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Every instrument name typed, as (start, end, candidate keys), without overlaps (the longest wins)."""
    taken: list[tuple[int, int, tuple[str, ...]]] = []
    used = bytearray(len(text))  # the characters a longer name already holds
    for pattern, keys in _names():
        for match in pattern.finditer(text):
            if not any(used[match.start():match.end()]):
                taken.append((match.start(), match.end(), keys))
                used[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(taken)


def _date(match: re.Match) -> TypedDate | None:
    if match.group(1):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        month, day = int(match.group(4)), int(match.group(5))
        year = int(match.group(6)) if match.group(6) else None
        if year is not None and year < 100:
            year += 2000
    return TypedDate(month, day, year) if 1 <= month <= 12 and 1 <= day <= 31 else None


@dataclass
class _Number:
    start: int
    end: int
    value: float
    out_of: int | None
    after: int  # where the text after the number (and its "out of") starts


def _number_at(text: str, pos: int, limit: int, highs: set[int]) -> _Number | None:
    """A number typed at `pos`, with the maximum it is typed "out of"; None for a number that is not a total."""
    match = _NUMBER.match(text, pos)
    if not match or match.end() > limit:
        return None
    after, out_of = match.end(), None
    if _SLASH.match(text, after) and not ((denominator := _OUT_OF.match(text, after)) and (
            int(denominator.group(1)) in highs or int(denominator.group(1)) >= float(match.group()))):
        return None  # "SUDS 60/45/30", "50/25": a run of ratings, not a total out of a maximum
    if (denominator := _OUT_OF.match(text, after)) and denominator.end() <= limit:
        out_of, after = int(denominator.group(1)), denominator.end()
    if (unit := _words("not_a_total").match(text, after)) and unit.end() <= limit:
        return None  # "in 2 weeks", "at 2 wks", "14th": not a total
    return _Number(match.start(), match.end(), float(match.group()), out_of, after)


def _date_at(text: str, pos: int, limit: int, highs: set[int]) -> tuple[TypedDate, int] | None:
    """A date typed before a total ("on 3/2: 11", "3/2 - 11"): the date and where the text after it starts. `highs`:
    the maximum totals of the instruments named, so "12/27, 11 last week" stays a total out of 27."""
    on = re.compile(r"[ \t]*(?:on[ \t]+|\()?", re.I).match(text, pos)
    match = _DATE.match(text, on.end())
    if not match or match.end() > limit:
        return None
    date = _date(match)
    after = re.compile(r"\)?[ \t]*(?:[:=,\-–][ \t]*)?").match(text, match.end()).end()
    typed_on = on.group().strip().lower().startswith("on")
    # "14/27" is a total out of 27, not a date; a date is typed with "on", or has a total after it
    if date is None or not (typed_on or (_NUMBER.match(text, after) and date.day not in highs)):
        return None
    return date, after


def _date_after(text: str, pos: int, limit: int) -> TypedDate | None:
    """A date typed after a total: "11 on 3/2", "11 (3/2)"."""
    match = re.compile(r"[ \t]*(?:on[ \t]+|\()", re.I).match(text, pos)
    if not match:
        return None
    date = _DATE.match(text, match.end())
    return _date(date) if date and date.end() <= limit else None


def _read_total(text: str, pos: int, limit: int, highs: set[int]) -> tuple[_Number, TypedDate | None] | None:
    """Today's total after an instrument's name at `pos`, and the date typed with it, if the words allow one."""
    earlier, changing, date = False, False, None
    for _ in range(12):  # a total sits within a few words of its name
        if (marker := _words("earlier").match(text, pos)) and marker.end() <= limit:
            earlier, pos = True, marker.end()
            continue
        if (change := _words("changes").match(text, pos)) and change.end() <= limit:
            changing, pos = True, change.end()
            continue
        if earlier or changing:
            if (step := _words("then").match(text, pos)) and step.end() <= limit and step.group().strip() == "to":
                earlier, changing, pos = False, False, step.end()
                continue
        if (filler := _words("fillers").match(text, pos)) and filler.end() <= limit:
            pos = filler.end()
            continue
        if (dated := _date_at(text, pos, limit, highs)) is not None:
            date, pos = dated
            continue
        start = _SPACE.match(text, pos).end()
        number = _number_at(text, start, limit, highs)
        if number is None or (changing and not earlier):
            return None  # no total here ("pending", "not given"), or a change ("down 4")
        follows = _words("earlier_after").match(text, number.after) or _AGO.match(text, number.after)
        if earlier or (follows and follows.end() <= limit):
            # an earlier total: today's may follow ("previously 18, now 14"; "52 at intake, 38 today")
            pos = follows.end() if follows and follows.end() <= limit else number.after
            pos = re.compile(r"[ \t]*\)?").match(text, pos).end()
            step = _words("then").match(text, pos)
            if not step or step.end() > limit:
                return None
            earlier, changing, pos = False, False, step.end()
            continue
        while (step := _words("then").match(text, number.after)) and step.end() <= limit \
                and step.group().strip() in ("to", "->", "→", "=>"):
            later = _number_at(text, _SPACE.match(text, step.end()).end(), limit, highs)
            if later is None:
                break
            number = later  # "18 -> 14", "18 to 14": the later one is today's
        return number, date or _date_after(text, number.after, limit)
    return None


def _choose(keys: tuple[str, ...], out_of: int | None) -> Instrument:
    """The instrument a name means: the one scored out of the typed maximum, if one is ("SUDS 7/10")."""
    candidates = [instruments()[key] for key in keys]
    if out_of is not None:
        for inst in candidates:
            if inst.out_of == out_of:
                return inst
    return next((inst for inst in candidates if inst.out_of is None), candidates[0])


def find_scores(key_points: str) -> list[Score]:
    """The totals the key points give for this session, in the order typed; never a number they do not give."""
    mentions = _mentions(key_points)
    scores: list[Score] = []
    for index, (start, end, keys) in enumerate(mentions):
        limit = mentions[index + 1][0] if index + 1 < len(mentions) else len(key_points)
        line_end = key_points.find("\n", end)
        limit = min(limit, line_end if line_end != -1 else limit)
        if index and _JOINED.fullmatch(key_points, mentions[index - 1][1], start):
            continue  # "PHQ-9 and GAD-7 were 14 and 12": which total is whose is not said
        if index + 1 < len(mentions) and _JOINED.fullmatch(key_points, end, mentions[index + 1][0]):
            continue
        highs = {int(instruments()[key].high) for key in keys}
        before = _WORD_BEFORE.search(key_points, max(0, start - 40), start)
        word = before.group(1).lower().replace("’", "'") if before else None
        if word in reading_words()["earlier_before"]:
            continue  # "last PHQ-9 was 18": an earlier total
        whose = word if word and (word in reading_words()["possessives"] or word.endswith("'s")) else None
        found = _read_total(key_points, end, limit, highs)
        if found is None:
            continue
        number, on = found
        inst = _choose(keys, number.out_of)
        value = int(number.value) if number.value.is_integer() else number.value
        scores.append(Score(inst.key, value, number.start, number.end, start, end, number.out_of, on,
                            inst.problem_with(number.value, number.out_of), whose))
    return scores


def instrument_named(text: str) -> str | None:
    """The key of the instrument a text names ("PHQ-9", "weekly GAD-7"), the first one typed; None when it names
    none (a "sleep log"). For a treatment plan's objective, whose measure is typed like key points are."""
    mentions = _mentions(text or "")
    return _choose(mentions[0][2], None).key if mentions else None
