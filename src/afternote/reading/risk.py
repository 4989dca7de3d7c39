"""The risk reader: every risk mention in a text, with its kind, polarity and experiencer (data/risk.toml).

The ConText algorithm (Harkema et al., 2009): find the targets (suicidal ideation, self-harm, abuse ...), then the
modifiers whose scope reaches each one: negated, historical, hypothetical, uncertain, passive, someone else. Scope
is narrow on purpose: a modifier reaches a target only across a list of targets and filler words ("denies any
current SI, HI or AVH"), so a denial never spreads to a risk that was not denied, and a pseudo-trigger ("no longer
denies") is no denial at all. Deterministic, so the learned reader may raise a clause to risk but never lower one.
Pure functions; text in, values out.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from afternote.prefilter import PatternSet

_WINDOW = 90  # how far before a target a modifier may stand


@dataclass(frozen=True)
class Risk:
    """A risk mention: what kind, whether it was endorsed, denied, passive, past or uncertain, and whose it is.
    `start`/`end` locate the mention in the text it was read from."""

    kind: str
    polarity: str
    experiencer: str = "client"
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class _Rules:
    targets: tuple[tuple[re.Pattern, str], ...]
    targets_gate: PatternSet      # which of the targets could match, in one RE2 pass
    acronyms: tuple[tuple[re.Pattern, re.Pattern, str], ...]  # (as typed, in any case, kind)
    any_target: re.Pattern
    any_target_gate: PatternSet   # one RE2 pass before the slow union above
    acronym_before: re.Pattern
    acronym_after: re.Pattern
    passive_targets: re.Pattern
    filler: re.Pattern
    list_gap: re.Pattern
    before: tuple[tuple[re.Pattern, str], ...]   # (trigger, modifier) read in front of a target
    after: tuple[tuple[re.Pattern, str], ...]    # anchored at the end of a list of targets
    other_person: re.Pattern
    other_kinds: frozenset[str]


def _any(patterns: list[str], flags=re.I) -> re.Pattern:
    # one union of many patterns: their named groups (a target's "t") would clash there, and it needs none
    return re.compile("|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(', p)})" for p in patterns), flags)


@cache
def rules() -> _Rules:
    with open(Path(__file__).parent / "data" / "risk.toml", "rb") as handle:
        table = tomllib.load(handle)
    mods = table["modifiers"]
    before = tuple((re.compile(p, re.I), name) for name in ("pseudo", "negated", "uncertain", "history", "passive",
                                                             "endorsed", "hypothetical") for p in mods[name])
    after = tuple((re.compile(p, re.I), name.removesuffix("_after")) for name in (
        "negated_after", "uncertain_after", "endorsed_after", "history_after", "noun_after") for p in mods[name])
    after = tuple((pattern, "hypothetical" if name == "noun" else name) for pattern, name in after)
    any_target = _any([p for ps in table["targets"].values() for p in ps]
                      + [p for ps in table["exact"].values() for p in ps])
    targets = tuple((re.compile(p, re.I), kind) for kind, ps in table["targets"].items() for p in ps)
    return _Rules(
        targets=targets,
        targets_gate=PatternSet([pattern for pattern, _ in targets]),
        acronyms=tuple((re.compile(p), re.compile(p, re.I), kind) for kind, ps in table["exact"].items() for p in ps),
        any_target=any_target,
        any_target_gate=PatternSet([any_target]),
        acronym_before=re.compile(table["acronym_context"]["before"], re.I),
        acronym_after=re.compile(table["acronym_context"]["after"], re.I),
        passive_targets=_any(table["passive_targets"]["patterns"]),
        filler=re.compile(table["filler"]["pattern"], re.I),
        list_gap=re.compile(table["list"]["pattern"], re.I),
        before=before, after=after,
        other_person=re.compile(mods["other_person"], re.I),
        other_kinds=frozenset(mods["other_kinds"]),
    )


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\"[^\"\n]*\"|“[^”\n]*”|(?<![\w])'[^'\n]{1,60}'(?!\w)", text)]


def _targets(text: str, r: _Rules) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each target, longest first where two overlap."""
    found = []
    for number in r.targets_gate.candidates(text):
        pattern, kind = r.targets[number]
        for m in pattern.finditer(text):
            span = m.span("t") if "t" in pattern.groupindex and m.group("t") else m.span()
            found.append((span[0], span[1], kind))
    quotes = _quoted(text)
    shouting = _all_caps(text)
    for exact, loose, kind in r.acronyms:
        for m in loose.finditer(text):
            in_quote = any(s <= m.start() < e for s, e in quotes)
            typed_exactly = exact.fullmatch(m.group()) is not None
            context = (r.acronym_before.search(text[max(0, m.start() - 12):m.start()])
                       or r.acronym_after.search(text[m.end():m.end() + 12]))
            # an acronym inside a quotation is the client's word ("si" is Spanish for yes); in lower case, or in
            # key points typed all in capitals, it counts only beside a risk word ("si/hi neg", "DENIES SI")
            if not in_quote and ((typed_exactly and not shouting) or context):
                found.append((m.start(), m.end(), kind))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    kept: list[tuple[int, int, str]] = []
    for target in found:
        if kept and target[0] < kept[-1][1]:
            continue
        kept.append(target)
    return kept


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _runs(text: str, targets: list[tuple[int, int, str]], r: _Rules) -> list[list[tuple[int, int, str]]]:
    """Targets joined into lists ("SI, HI, AVH", "suicidal or homicidal ideation"): a modifier reaches all."""
    runs: list[list[tuple[int, int, str]]] = []
    for target in targets:
        if runs and r.list_gap.match(text[runs[-1][-1][1]:target[0]]):
            runs[-1].append(target)
        else:
            runs.append([target])
    return runs


def _triggers(text: str, limit: int, r: _Rules, targets) -> list[tuple[int, int, str]]:
    """Modifier triggers before `limit`, overlapping ones resolved: the longer wins, a pseudo-trigger always."""
    found = []
    lo = max(0, limit - _WINDOW)
    for pattern, name in r.before:
        for m in pattern.finditer(text, lo, limit):
            if m.end() > m.start() and not any(s < m.end() and m.start() < e for s, e, _ in targets):
                found.append((m.start(), m.end(), name))
    found.sort(key=lambda t: (t[2] != "pseudo", -(t[1] - t[0])))
    kept: list[tuple[int, int, str]] = []
    for trigger in found:
        if not any(s < trigger[1] and trigger[0] < e for s, e, _ in kept):
            kept.append(trigger)
    return sorted(kept, key=lambda t: t[1], reverse=True)


def _modifiers_before(text: str, start: int, r: _Rules, targets) -> tuple[set[str], int]:
    """The modifiers whose scope reaches a list of targets starting at `start`, and where that chain begins."""
    applied: set[str] = set()
    reach = start
    for t_start, t_end, name in _triggers(text, start, r, targets):
        if t_end > reach:
            continue
        if not r.filler.fullmatch(text[t_end:reach]):
            break
        applied.add(name)
        reach = t_start
    # the filler words in front of the chain belong to it too ("brother with hx of SI")
    head = text[max(0, reach - _WINDOW):reach]
    trimmed = re.sub(r"(?:\s|,)+$", "", head)
    while True:
        match = re.search(r"(?:\b(?:of|hx|history|with|the|his|her|any|thoughts|about|re|on)\b\s*)$", trimmed, re.I)
        if not match:
            break
        trimmed = trimmed[:match.start()].rstrip()
    return applied, len(trimmed) + max(0, reach - _WINDOW)


def _modifiers_after(text: str, end: int, r: _Rules) -> set[str]:
    tail = re.split(r"[;.](?:\s|$)|\bbut\b", text[end:end + 60], maxsplit=1)[0]
    return {name for pattern, name in r.after if pattern.search(tail)}


def _polarity(applied: set[str], passive_target: bool) -> str | None:
    if "pseudo" in applied:
        return "uncertain" if "uncertain" in applied else "endorsed"
    if "negated" in applied:
        return "denied"
    if "hypothetical" in applied:
        return None  # a topic, a condition or a role-play: nothing the client has
    if "endorsed" in applied and "passive" not in applied and not passive_target:
        return "endorsed"
    if "uncertain" in applied:
        return "uncertain"
    if "history" in applied:
        return "history"
    if "passive" in applied or passive_target:
        return "passive"
    return "endorsed"


@lru_cache(maxsize=8192)
def read_risks(text: str) -> tuple[Risk, ...]:
    """Every risk mention in `text` (a sentence or a clause), in order."""
    r = rules()
    if not r.any_target_gate.any(text) or not r.any_target.search(text):
        return ()  # most clauses name no risk at all
    targets = _targets(text, r)
    risks: list[Risk] = []
    for run in _runs(text, targets, r):
        applied, chain_start = _modifiers_before(text, run[0][0], r, targets)
        applied |= _modifiers_after(text, run[-1][1], r)
        other = r.other_person.search(text[max(0, chain_start - 60):chain_start + 1].rstrip() + " ")
        for start, end, kind in run:
            polarity = _polarity(applied, bool(r.passive_targets.search(text[start:end])))
            if polarity is None:
                continue
            experiencer = "other" if other and kind in r.other_kinds else "client"
            risks.append(Risk(kind, polarity, experiencer, start, end))
    return tuple(risks)


def risk_labels(text: str) -> tuple[tuple[str, str, str], ...]:
    """The mentions as (kind, polarity, experiencer), the corpus's form."""
    return tuple((risk.kind, risk.polarity, risk.experiencer) for risk in read_risks(text))
