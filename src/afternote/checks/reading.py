"""Where the learned reader and its guard disagreed: the risk rules kept a statement as risk content that a confident
model read as something else. The guard wins (risk is never lowered), and the clinician gets a look."""
from __future__ import annotations

from afternote.note import Finding, Note
from afternote.plugins import hookimpl
from afternote.session import Session


def reader_disagreements(note: Note, statements, session: Session) -> list[Finding]:
    """One note per disagreement, naming the sentence that holds the statement; the message carries the guard's
    own words ("read as intervention by the model, kept as safety content"), never the clinician's."""
    where = {}
    for section in note.sections:
        for number, sentence in enumerate(section.sentences, 1):
            for statement_id in sentence.statement_ids:
                where.setdefault(statement_id, (section, number))
    findings = []
    for statement in statements:
        if not statement.evidence or statement.id not in where:
            continue
        section, number = where[statement.id]
        findings.append(Finding(
            "reader-disagreement", "info",
            f"Sentence {number} of {section.title} was {'; '.join(statement.evidence)}.",
            section.key, "Check that it is in the section you would choose; move it by editing if not."))
    return findings


@hookimpl
def register_checks(register):
    register(reader_disagreements)
