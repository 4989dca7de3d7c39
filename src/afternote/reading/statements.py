"""The unit of reading and drafting: a statement of the key points, with its place in the summary and its reading."""
from __future__ import annotations

from dataclasses import dataclass, field


from afternote.reading.risk import Risk


@dataclass(frozen=True)
class Statement:
    """One clause of the clinician's key points: a bullet, a sentence or an item of a list, and how it reads.

    `start`/`end` are character offsets into the summary, so every drafted sentence can point back at its sources.
    `sentence` numbers the sentence or line the statement came from: items of one list share it; `clause` numbers
    its part of that sentence between semicolons. The reading: `category`, `actor` (client, clinician, both,
    other, or None where no person is the subject) with `role` for another person ("mother") and the model's
    `actor_confidence`, `time` (session,
    since_last, history, planned, standing), `risks` from the risk reader, and the model's `confidence`
    (with `scores`, its probability for every category).
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
    role: str | None = None
    time: str | None = None
    confidence: float = 1.0
    actor_confidence: float = 1.0  # the model's probability of `actor`; 1 where the clinician typed the subject
    evidence: tuple[str, ...] = field(default=(), compare=False)
    # the reader's probability of each category, most likely first: what a format may fall back on
    scores: tuple[tuple[str, float], ...] = field(default=(), compare=False)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "span": [self.start, self.end], "text": self.text, "category": self.category,
            "heading": self.heading, "negated": self.negated, "actor": self.actor, "role": self.role,
            "time": self.time, "confidence": round(self.confidence, 3),
            "risks": [{"kind": r.kind, "polarity": r.polarity, "experiencer": r.experiencer} for r in self.risks],
            "quotes": list(self.quotes), "numbers": list(self.numbers),
        }
