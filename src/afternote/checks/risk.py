"""Risk checks: a risk assessment is documented, and risk that is present comes with safety planning.

The note never invents a risk screen; when the key points hold none, the clinician is told so instead.
"""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from afternote.reading.statements import Statement
from afternote.note import Finding, Note
from afternote.plugins import hookimpl
from afternote.session import Session

SAFETY_HINT = ("Document the safety planning you did (warning signs, coping, people and crisis lines such as 988, "
               "means restriction, a report made), or why none was needed: in the Plan section, or in the key points.")


@cache
def risk_table() -> dict:
    with open(Path(__file__).parent / "data" / "risk.toml", "rb") as handle:
        return tomllib.load(handle)


def _section_of(note: Note, statement_ids: set[int]) -> str | None:
    """The key of the first section with a sentence drawn from one of the statements."""
    for section in note.sections:
        if any(statement_ids & set(sentence.statement_ids) for sentence in section.sentences):
            return section.key
    return None


def _names(risks: list[tuple[str, str]]) -> str:
    kinds = risk_table()["kinds"]
    names = [f"{kinds.get(kind, {}).get('label', kind.replace('_', ' '))} ({polarity})" for kind, polarity in risks]
    text = names[0] + " was" if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] + " were"
    return text[0].upper() + text[1:]


def no_risk_assessment(note: Note, statements: list[Statement], session: Session) -> list[Finding]:
    if any(s.category == "risk" or s.risks for s in statements):
        return []
    return [Finding(
        "no-risk-assessment", "warning", "No risk assessment was documented.",
        hint="If you assessed risk (suicidal and homicidal ideation, self-harm, abuse), add what you found to the "
             "key points; the note will not state a risk assessment that was not documented.")]


def risk_without_safety_plan(note: Note, statements: list[Statement], session: Session) -> list[Finding]:
    """Risk that is not a denial, with no safety statement: an error when there is no plan at all, a warning
    when only a general plan follows a risk that is present now."""
    table = risk_table()
    flagged: dict[tuple[str, str], None] = {}  # ordered set
    ids: set[int] = set()
    for statement in statements:
        for risk in statement.risks:
            if risk.polarity != "denied" and table["kinds"].get(risk.kind, {}).get("needs_safety_plan", True):
                flagged[(risk.kind, risk.polarity)] = None
                ids.add(statement.id)
    categories = {s.category for s in statements}
    if not flagged or "safety" in categories:
        return []
    risks = list(flagged)
    section = _section_of(note, ids)
    if "plan" not in categories:
        return [Finding("risk-without-safety-plan", "error",
                        f"{_names(risks)} documented with no safety plan and no follow-up plan.", section,
                        SAFETY_HINT)]
    current = [r for r in risks if r[1] in table["current_polarities"]]
    if current:
        return [Finding("risk-without-safety-statement", "warning",
                        f"{_names(current)} documented; the plan names no safety planning.", section, SAFETY_HINT)]
    return []


@hookimpl
def register_checks(register):
    register(no_risk_assessment)
    register(risk_without_safety_plan)
