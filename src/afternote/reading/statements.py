"""The unit of drafting: a statement of the key points, with its place in the summary and what it says."""
from __future__ import annotations

from dataclasses import dataclass, field

# The content categories of ../shared/eval/sections.json, in the order a note usually tells them.
CATEGORIES: tuple[str, ...] = (
    "context", "presenting", "observation", "measure", "risk", "safety",
    "intervention", "response", "assessment", "goal", "plan",
)
RISK_KINDS = ("suicidal", "homicidal", "self_harm", "psychosis", "abuse", "violence")
POLARITIES = ("denied", "endorsed", "passive", "history")


@dataclass(frozen=True)
class Risk:
    """A risk mention: what kind, and whether it was denied, endorsed, passive or past."""

    kind: str
    polarity: str


@dataclass(frozen=True)
class Statement:
    """One statement of the clinician's key points: a bullet, a sentence or an item of a list.

    `start`/`end` are character offsets into the summary, so every drafted sentence can point back at its sources.
    `sentence` numbers the sentence or line the statement came from: items of one list share it; `clause` numbers
    its part of that sentence between semicolons.
    """

    id: int
    start: int
    end: int
    text: str
    sentence: int = 0
    clause: int = 0
    heading: str | None = None
    category: str = ""
    negated: bool = False
    risks: tuple[Risk, ...] = ()
    quotes: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    actor: str | None = None
    evidence: tuple[str, ...] = field(default=(), compare=False)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "span": [self.start, self.end], "text": self.text, "category": self.category,
            "heading": self.heading, "negated": self.negated,
            "risks": [{"kind": r.kind, "polarity": r.polarity} for r in self.risks],
            "quotes": list(self.quotes), "numbers": list(self.numbers), "actor": self.actor,
        }
