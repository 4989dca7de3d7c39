"""Provenance checks: every sentence the verifier could not trace to the key points is an error to resolve."""
from __future__ import annotations

import re

from afternote.note import Finding, Note
from afternote.plugins import hookimpl
from afternote.session import Session

_QUOTED = re.compile(r" ?'[^']*'")


def unsupported_sentences(note: Note, statements, session: Session) -> list[Finding]:
    """One error per unsupported sentence, naming its section, its place there and what could not be verified.

    The problems are the verifier's own phrases; a quoted name or term in them is left out, so the message carries
    no words of the note (the sentence itself is marked in the note)."""
    findings = []
    for section in note.sections:
        for number, sentence in enumerate(section.sentences, 1):
            if sentence.supported:
                continue
            problems = "; ".join(_QUOTED.sub("", p).replace("  ", " ") for p in sentence.problems)
            problems = problems or "content the key points do not support"
            findings.append(Finding(
                "unsupported-sentence", "error",
                f"Sentence {number} of {section.title} is not supported by the key points: {problems}.",
                section.key, "Check it against the key points, then edit or delete it."))
    return findings


@hookimpl
def register_checks(register):
    register(unsupported_sentences)
