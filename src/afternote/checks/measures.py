"""A rating-scale total the instrument cannot give ("PHQ-9 31", "GAD-7 14.5", "PHQ-9 14/21") is a finding: it is a
typing slip, and it stays off the client's chart until the key points are corrected."""
from __future__ import annotations

from afternote.note import Finding, Note
from afternote.plugins import hookimpl
from afternote.reading.instruments import instrument
from afternote.reading.measures import find_scores
from afternote.session import Session


def _key_points(statements) -> str:
    """The key points as far as the statements hold them, each at its own offset (the checks get no other text)."""
    if not statements:
        return ""
    chars = [" "] * max(s.end for s in statements)
    for s in statements:
        chars[s.start:s.end] = s.text
    return "".join(chars)


def _section_of(note: Note, statements, at: int) -> str | None:
    """The first section with a sentence drawn from the statement holding offset `at`."""
    ids = {s.id for s in statements if s.start <= at < s.end}
    return next((section.key for section in note.sections
                 if any(ids & set(sentence.statement_ids) for sentence in section.sentences)), None)


def totals_out_of_range(note: Note, statements, session: Session) -> list[Finding]:
    """One warning per typed total outside its instrument's range; it names the instrument and its range, never the
    client nor the number."""
    findings = []
    for score in find_scores(_key_points(statements)):
        if not score.out_of_range:
            continue
        inst = instrument(score.instrument)
        whole = " in whole numbers" if inst.step == 1 else f" in steps of {inst.step:g}"
        findings.append(Finding(
            "measure-out-of-range", "warning",
            f"A {inst.name} total in the key points is not one the {inst.name} can give: it is scored "
            f"{inst.range_text}{whole}.",
            _section_of(note, statements, score.start),
            f"Correct the {inst.name} total in the key points (it runs {inst.range_text}{whole}); until then it is "
            "left off the client's chart."))
    return findings


@hookimpl
def register_checks(register):
    register(totals_out_of_range)
