"""Which statements each section of a format holds: the reading's category, the typed heading, and a required
section that would be empty filled by the statement the reader thought next most likely to belong there.

A BIRP note whose Response says "No response was documented" while the key points say how the client took the
intervention costs the clinician an edit; the reader's second choice is often that statement ("said it helped",
read as presenting). Only one statement moves into an empty section, only from a section that keeps another, never
risk content, a statement the clinician typed under a heading or one whose sentence the section writes with other
statements (a list stays whole), and only when the reader gave it at least `FILL_AT` of its probability.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from afternote.formats import Format
from afternote.reading.statements import Statement

# the least probability the reader must have given a section's category for a statement to fill it when empty;
# chosen on one held-out author and checked on the other (docs/quality.md)
FILL_AT = 0.2
_KEPT = ("risk", "safety")


def _fill_score(statement: Statement, categories: Sequence[str]) -> tuple[float, str]:
    return max(((p, c) for c, p in statement.scores if c in categories), default=(0.0, ""))


def section_plan(statements: Sequence[Statement], fmt: Format,
                 fill_at: float = FILL_AT) -> dict[str, list[Statement]]:
    """The statements each section holds, in order, as the format maps categories (and typed headings) to
    sections, with empty required sections filled as the module says."""
    placed = {section.key: [] for section in fmt.sections}
    for statement in statements:
        placed[fmt.place(statement).key].append(statement)
    for section in fmt.sections:
        if placed[section.key] or not section.required:
            continue
        candidates = [(s, key) for key, held in placed.items() if len(held) > 1 for s in held
                      if s.category not in _KEPT and not s.risks and not s.heading
                      and sum(other.sentence == s.sentence for other in held) == 1]
        scored = [(_fill_score(s, section.categories), s, key) for s, key in candidates]
        scored = [item for item in scored if item[0][0] >= fill_at]
        if not scored:
            continue
        (_, category), chosen, source = max(scored, key=lambda item: item[0][0])
        placed[source].remove(chosen)
        placed[section.key].append(replace(chosen, category=category))
    return placed
