"""Which goals and objectives of the client's treatment plan a session's key points speak to: a proposal the note
screen marks, never a tick (pure: key points and plan in, proposals out).

An objective is proposed when its measure was scored in the key points (an objective tracked by GAD-7, and
"GAD-7 12" typed), or when one statement holds more than half of its words; a goal when one statement holds
more than half of its words (the clinician's or the client's own) or one of its objectives is proposed. Words are
compared by their first five letters ("anxiety" and "anxieties", "work" and "working"), leaving out the words of
data/goal_words.toml. The clinician decides: nothing is linked until they tick it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from afternote import plans as documents
from afternote.reading.instruments import instruments
from afternote.reading.measures import find_scores
from afternote.reading.segment import segment

_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass(frozen=True)
class Proposal:
    id: str  # the goal's or objective's id in the plan
    reason: str  # why, in words the note screen shows: "GAD-7 was scored in the key points"


@cache
def _ignored() -> frozenset[str]:
    with open(Path(__file__).parent / "data" / "goal_words.toml", "rb") as handle:
        return frozenset(tomllib.load(handle)["ignored"])


def _stems(text: str) -> dict[str, str]:
    """The text's telling words by stem, each as first typed."""
    out: dict[str, str] = {}
    for word in _WORD.findall(text or ""):
        if word.lower() not in _ignored():
            out.setdefault(word.lower()[:5], word)
    return out


def _spoken_of(item_text: str, statements: list[dict[str, str]]) -> list[str] | None:
    """The words of a statement that speak to the item (more than half of the item's words), else None."""
    wanted = _stems(item_text)
    if not wanted:
        return None
    for said in statements:
        shared = [said[stem] for stem in wanted if stem in said]
        if 2 * len(shared) > len(wanted):
            return shared
    return None


def _words_reason(words: list[str]) -> str:
    return "the key points mention " + ", ".join(f"“{w}”" for w in words)


def propose(key_points: str, document: documents.PlanDocument) -> dict[str, Proposal]:
    """By id, the plan's goals and objectives this session's key points speak to, each with why."""
    statements = [_stems(s.text) for s in segment(key_points)] if key_points.strip() else []
    scored = {s.instrument for s in find_scores(key_points) if not s.out_of_range}
    out: dict[str, Proposal] = {}
    for goal in document.goals():
        for objective in goal.objectives:
            key = documents.tracked_by(objective)
            if key in scored:
                out[objective.id] = Proposal(objective.id, f"{instruments()[key].name} was scored in the key points")
            elif (words := _spoken_of(objective.text, statements)) is not None:
                out[objective.id] = Proposal(objective.id, _words_reason(words))
        words = _spoken_of(goal.text, statements) or _spoken_of(goal.client_words, statements)
        if words is not None:
            out[goal.id] = Proposal(goal.id, _words_reason(words))
        elif objective_reason := next((out[o.id].reason for o in goal.objectives if o.id in out), None):
            out[goal.id] = Proposal(goal.id, f"an objective of it: {objective_reason}")
    return out
