"""The cue table (data/cues.toml): hand-written evidence for each category, and the rule reader built on it.

The learned reader uses the cue scores as features; the rule reader (`rule_categories`) is the baseline it is
measured against (docs/quality.md). Pure functions: text in, values out.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path

from afternote.reading.segment import protected_spans, sentence_runs
from afternote.labels import CATEGORIES
from afternote.reading.statements import Statement

HEADING_WEIGHT = 10
RISK_HEADING_WEIGHT = 6
DEFAULT_CATEGORY = "presenting"
# A list item needs this much evidence of its own to leave the category of the item before it.
LIST_ITEM_EVIDENCE = 4


@cache
def _cues() -> dict[str, list[tuple[re.Pattern, float]]]:
    with open(Path(__file__).parent / "data" / "cues.toml", "rb") as handle:
        table = tomllib.load(handle)
    unknown = set(table) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"cues.toml: unknown categories {sorted(unknown)}")
    return {category: [(re.compile(pattern, re.I), float(weight)) for pattern, weight in entry["cues"]]
            for category, entry in table.items()}


def _without_quotes(text: str) -> str:
    for start, end in reversed(protected_spans(text)):
        if text[start] in "\"'“‘":
            text = text[:start] + " QUOTE " + text[end:]
    return text


@cache
def _any_cue() -> dict[str, re.Pattern]:
    """One pattern per category that matches wherever any of its cues would: most texts skip most categories."""
    return {category: re.compile("|".join(f"(?:{p.pattern})" for p, _ in cues), re.I)
            for category, cues in _cues().items()}


@lru_cache(maxsize=8192)
def category_scores(text: str) -> dict[str, float]:
    """The evidence for each category in a statement's text (categories with no evidence are left out).

    Only risk cues read inside quotations ("'I could kill him'" is risk); for the rest, the client's quoted words
    are what was said, not what kind of statement this is."""
    scores: dict[str, float] = {}
    unquoted = _without_quotes(text)
    quick = _any_cue()
    for category, cues in _cues().items():
        seen = text if category == "risk" else unquoted
        if not quick[category].search(seen):
            continue
        total = sum(weight for pattern, weight in cues if pattern.search(seen))
        if total:
            scores[category] = total
    return scores


NEGATION = re.compile(r"\b(no|not|never|none|nothing|nor|den(y|ies|ied|ying)|neg|negative|without|w/o)\b|n't\b",
                      re.I)
_ACTOR_CLINICIAN = re.compile(r"^(i|i've|i'd|clinician|therapist|this writer|writer|we)\b|^(used|taught|introduced|"
                              r"reviewed|provided|gave|modeled|validated|normalized|reframed|explained|conducted|"
                              r"facilitated|assigned|psychoed)\b", re.I)
_ACTOR_CLIENT = re.compile(r"^(pt|client|she|he|they|patient|her|his)\b", re.I)


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


def _with_category(statement: Statement, category: str) -> Statement:
    return replace(statement, category=category,
                   actor="clinician" if _ACTOR_CLINICIAN.search(statement.text) else
                   "client" if _ACTOR_CLIENT.search(statement.text) else None)


_REACTION = re.compile(r"\b(said|says|felt|feels|laughed|smiled|liked|noticed|realized|reported feeling|seemed "
                       r"relieved|was proud|looked relieved|softened|nodded|teared up|calmed|relaxed|tolerated|handled|"
                       r"responded|was able to|struggled with|pushed back|resisted)\b", re.I)


_ACTION_FIRST = re.compile(r"^(\w+ed|did|taught|built|wrote|made|gave|led)\b", re.I)


def reactions_as_response(statements: list[Statement]) -> list[Statement]:
    """What the client said or felt after an intervention is their response to it, not a new complaint."""
    out, seen_intervention = [], False
    for statement in statements:
        reacting = statement.category in ("presenting", "observation") or (
            statement.category == "intervention" and statement.actor == "client")
        if seen_intervention and reacting and _REACTION.search(statement.text):
            statement = replace(statement, category="response")
        # something the clinician did in session (an intervention or a safety step), not the client's report
        seen_intervention = seen_intervention or (
            statement.category in ("intervention", "safety")
            and (statement.actor in ("clinician", "both") or _ACTION_FIRST.match(statement.text) is not None))
        out.append(statement)
    return out


def rule_categories(statements: list[Statement]) -> list[str]:
    """The cue table's category for every statement: list items are read together with their sentence, and what
    the client says after an intervention is a response. The baseline the learned reader must beat."""
    out: list[Statement] = []
    for index, end in sentence_runs(statements):
        scored = [(s, _scores(s)) for s in statements[index:end]]
        for (statement, _), category in zip(scored, _sentence_categories(scored)):
            out.append(_with_category(statement, category))
    return [s.category for s in reactions_as_response(out)]
