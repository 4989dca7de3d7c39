"""Read each statement: its content category (data/categories.toml) and its attributes.

Attributes: negation, risk mentions with polarity (denied, endorsed, passive, history), quoted speech, numbers, and
who acted (client or clinician). Pure functions: text in, values out.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path

from afternote.drafting.segment import protected_spans, segment
from afternote.drafting.statements import CATEGORIES, Risk, Statement

HEADING_WEIGHT = 10
RISK_HEADING_WEIGHT = 6
DEFAULT_CATEGORY = "presenting"
# A list item needs this much evidence of its own to leave the category of the item before it.
LIST_ITEM_EVIDENCE = 4


@cache
def _cues() -> dict[str, list[tuple[re.Pattern, float]]]:
    with open(Path(__file__).parent / "data" / "categories.toml", "rb") as handle:
        table = tomllib.load(handle)
    unknown = set(table) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"categories.toml: unknown categories {sorted(unknown)}")
    return {category: [(re.compile(pattern, re.I), float(weight)) for pattern, weight in entry["cues"]]
            for category, entry in table.items()}


def _without_quotes(text: str) -> str:
    for start, end in reversed(protected_spans(text)):
        if text[start] in "\"'“‘":
            text = text[:start] + " QUOTE " + text[end:]
    return text


def category_scores(text: str) -> dict[str, float]:
    """The evidence for each category in a statement's text (categories with no evidence are left out).

    Only risk cues read inside quotations ("'I could kill him'" is risk); for the rest, the client's quoted words
    are what was said, not what kind of statement this is."""
    scores: dict[str, float] = {}
    unquoted = _without_quotes(text)
    for category, cues in _cues().items():
        seen = text if category == "risk" else unquoted
        total = sum(weight for pattern, weight in cues if pattern.search(seen))
        if total:
            scores[category] = total
    return scores


_RISK_KINDS = [
    ("suicidal", re.compile(r"\bsi\b|suicid|kill(ing)? (my|him|her|them)sel|end (my|his|her|their) life|better off "
                            r"(dead|without|w/o)|(wouldn.t|would not) mind if|not wake up|\battempts?\b", re.I)),
    ("homicidal", re.compile(r"\bhi\b|homicid|\bkill (him|her|them|someone)\b|harm(ing)? (the )?(baby|others|"
                             r"someone|anyone)|hurt(ing)? (the )?(baby|others|someone)", re.I)),
    ("self_harm", re.compile(r"self[- ]?harm|\bnssi\b|\bcut(s|ting)?\b(?! (back|down|out|off))|burn(ed|ing)? "
                             r"(her|him|my)sel|urges? to (cut|harm)", re.I)),
    ("psychosis", re.compile(r"\bavh\b|hallucinat|\bvoices\b|paranoi|delusion", re.I)),
    ("abuse", re.compile(r"abus(e|ed|ive)|whip|\bbelt\b|hits? (me|her|him)|strangl|chok(e|ed|ing)\b|"
                         r"grabbed .{0,20}(neck|throat)|domestic violence|\bdv\b|\bipv\b", re.I)),
    ("violence", re.compile(r"violen(ce|t)|aggress|unsafe|not safe", re.I)),
]
_DENIAL = re.compile(r"\b(den(y|ies|ied|ying)|neg(ative)?|no|not|never|without|absent|none|did not|didn't|"
                     r"doesn't|does not|free of|ruled out|r/o|"
                     r"niega|negó|niegan|nega|negou|sin|sem)\b", re.I)  # Spanish, Portuguese: never read as endorsed
# "SI/HI neg", "SI: denied": a denial written after the mention, past a paired "/HI"
_DENIED_AFTER = re.compile(r"(?:\s*/\s*\w+)?\W*(neg|negative|denied|none|-ve)\b", re.I)
_PASSIVE = re.compile(r"\bpassive\b|wouldn.t mind|would not mind|better off|not wake up", re.I)
_HISTORY = re.compile(r"\b(hx|history|prior|previous|past|last (cut|attempt|episode)|\d+ (wks?|weeks|months|mos|yrs?|"
                      r"years) ago|ago)\b", re.I)
NEGATION = re.compile(r"\b(no|not|never|none|nothing|nor|den(y|ies|ied|ying)|neg|negative|without|w/o)\b|n't\b",
                      re.I)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CLINICIAN = re.compile(r"^(i|i've|i'd|clinician|therapist|this writer|writer)\b|^(used|taught|introduced|"
                        r"reviewed|provided|gave|modeled|validated|normalized|reframed|explained|conducted|"
                        r"facilitated|assigned|psychoed)\b", re.I)
_BOTH = re.compile(r"^(we|we've|together)\b", re.I)
_CLIENT = re.compile(r"^(pt|client|she|he|they|patient|her|his|mom|dad|mother|father|parents?|partner|wife|"
                     r"husband|both|members?|group)\b", re.I)


@lru_cache(maxsize=8192)
def read_risks(text: str) -> tuple[Risk, ...]:
    """Risk mentions in a statement, each with its polarity; the denial must come before the mention or be
    a trailing 'neg'/'negative' ("SI/HI neg")."""
    found = []
    for kind, pattern in _RISK_KINDS:
        match = pattern.search(text)
        if not match:
            continue
        before = text[:match.start()]
        after = text[match.end():match.end() + 16]
        if _DENIAL.search(before[-40:]) or _DENIED_AFTER.match(after):
            polarity = "denied"
        elif _PASSIVE.search(text):
            polarity = "passive"
        elif _HISTORY.search(text):
            polarity = "history"
        else:
            polarity = "endorsed"
        found.append(Risk(kind, polarity))
    return tuple(found)


def read_actor(text: str) -> str | None:
    if _BOTH.search(text):
        return "both"
    if _CLINICIAN.search(text):
        return "clinician"
    if _CLIENT.search(text):
        return "client"
    return None


def _scores(statement: Statement) -> dict[str, float]:
    scores = category_scores(statement.text)
    if statement.heading:
        # a heading outweighs ordinary cues, but clear risk or safety content keeps its own category under any
        # other heading ("My read: acute risk moderate" is still a risk statement)
        risky = max(scores.get("risk", 0), scores.get("safety", 0)) >= 8 and statement.heading not in ("risk", "safety")
        weight = RISK_HEADING_WEIGHT if risky else HEADING_WEIGHT
        scores[statement.heading] = scores.get(statement.heading, 0) + weight
    return scores


def _best(scores: dict[str, float]) -> str:
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return max(scores, key=lambda c: (scores[c], -order[c]))


def _sentence_categories(scored: list[tuple[Statement, dict[str, float]]]) -> list[str]:
    """Categories for the items of one sentence. An item with strong evidence keeps its own category; a run of
    weak items is one list: it follows the item before it, or, at the start of the sentence or of a clause after a
    semicolon, the pooled evidence of the run ("anxious, fidgeting, laughed nervously" is one observation), else
    the category before it or the next strong item's."""
    strong = [bool(sc) and max(sc.values()) >= LIST_ITEM_EVIDENCE for _, sc in scored]
    categories: list[str | None] = [(_best(sc) if is_strong else None) for (_, sc), is_strong in zip(scored, strong)]
    for index in range(len(scored)):
        if categories[index] is not None:
            continue
        starts_clause = index == 0 or scored[index][0].clause != scored[index - 1][0].clause
        if not starts_clause:
            categories[index] = categories[index - 1]
            continue
        end = index
        while end < len(scored) and not strong[end] and scored[end][0].clause == scored[index][0].clause:
            end += 1
        pooled: dict[str, float] = {}
        for _, sc in scored[index:end]:
            for category, value in sc.items():
                pooled[category] = pooled.get(category, 0) + value
        if index > 0 and categories[index - 1] in ("risk", "safety") and max(pooled.values(), default=0) < \
                LIST_ITEM_EVIDENCE:
            categories[index] = categories[index - 1]  # what follows a risk or safety clause stays with it
        elif pooled:
            categories[index] = _best(pooled)
        elif index > 0:
            categories[index] = categories[index - 1]
        else:
            categories[index] = next((c for c in categories if c), None) or DEFAULT_CATEGORY
    return categories  # type: ignore[return-value]


def categorize_statement(statement: Statement, category: str, scores: dict[str, float] | None = None) -> Statement:
    """The statement with its category set and its attributes read."""
    text = statement.text
    scores = _scores(statement) if scores is None else scores
    quoted = [text[s:e] for s, e in protected_spans(text) if text[s] in "\"'“‘"]
    return replace(
        statement, category=category, negated=bool(NEGATION.search(text)), risks=read_risks(text),
        quotes=tuple(quoted), numbers=tuple(_NUMBER.findall(text)), actor=read_actor(text),
        evidence=tuple(f"{c}:{s:g}" for c, s in sorted(scores.items(), key=lambda kv: -kv[1])),
    )


_REACTION = re.compile(r"\b(said|says|felt|feels|laughed|smiled|liked|noticed|realized|reported feeling|seemed "
                       r"relieved|was proud|looked relieved)\b", re.I)


_ACTION_FIRST = re.compile(r"^(\w+ed|did|taught|built|wrote|made|gave|led)\b", re.I)


def _reactions_as_response(statements: list[Statement]) -> list[Statement]:
    """What the client said or felt after an intervention is their response to it, not a new complaint."""
    out, seen_intervention = [], False
    for statement in statements:
        reacting = statement.category == "presenting" or (
            statement.category == "intervention" and statement.actor == "client")
        if seen_intervention and reacting and _REACTION.search(statement.text):
            statement = replace(statement, category="response")
        # something the clinician did in session (an intervention or a safety step), not the client's report
        seen_intervention = seen_intervention or (
            statement.category in ("intervention", "safety")
            and (statement.actor in ("clinician", "both") or _ACTION_FIRST.match(statement.text) is not None))
        out.append(statement)
    return out


def categorize(statements: list[Statement]) -> list[Statement]:
    """Every statement with its category and attributes; list items are read together with their sentence."""
    out: list[Statement] = []
    index = 0
    while index < len(statements):
        end = index
        while end < len(statements) and statements[end].sentence == statements[index].sentence:
            end += 1
        scored = [(s, _scores(s)) for s in statements[index:end]]
        for (statement, scores), category in zip(scored, _sentence_categories(scored)):
            out.append(categorize_statement(statement, category, scores))
        index = end
    return _reactions_as_response(out)


def read_statements(summary: str) -> list[Statement]:
    """Segment the summary and categorize every statement."""
    return categorize(segment(summary))
