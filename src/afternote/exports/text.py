"""The EHR paste: the note as plain text (or markdown), section by section, with headings in the practice's chosen
style and no provenance markers, so each section drops into the EHR's field of the same name."""
from __future__ import annotations

from afternote.exports import Exporter
from afternote.exports.document import NoteDocument, addendum_heading, diagnoses_line, signature_line
from afternote.plugins import hookimpl

HEADING_STYLES = ("plain", "capitals", "markdown")


def heading(title: str, style: str) -> str:
    """A section heading as the practice writes them: 'Plan:', 'PLAN:' or '## Plan'."""
    if style == "capitals":
        return f"{title.upper()}:"
    if style == "markdown":
        return f"## {title}"
    return f"{title}:"


def note_text(doc: NoteDocument, style: str | None = None) -> str:
    """The whole note for pasting: each section under its heading, then signatures and addenda."""
    style = style or doc.practice.paste_headings
    blocks = [f"{heading(s.title, style)}\n{s.text}" for s in doc.sections]
    if doc.diagnoses:  # the EHR's diagnosis and billing fields
        blocks.append(f"{heading('Diagnoses', style)}\n" + diagnoses_line(doc.diagnoses).replace("; ", "\n"))
    if doc.session.cpt:
        blocks.append(f"{heading('CPT', style)}\n{doc.session.cpt}")
    if doc.is_draft:
        blocks.append("DRAFT: not signed.")
    blocks += [signature_line(sig, doc.practice.time_zone) for sig in doc.signatures]
    if doc.verification is not None:
        blocks.append(doc.verification.describe())
    for add in doc.addenda:
        title = heading(addendum_heading(add, doc.practice.time_zone), style)
        blocks.append(f"{title}\nReason: {add.reason}\n{add.text}")
    return "\n\n".join(blocks) + "\n"


def _text(doc: NoteDocument) -> bytes:
    return note_text(doc).encode("utf-8")


def _markdown(doc: NoteDocument) -> bytes:
    return (f"# {doc.title}\n\n" + note_text(doc, "markdown")).encode("utf-8")


@hookimpl
def register_exporters(register):
    register(Exporter("text", "text/plain; charset=utf-8", ".txt", _text))
    register(Exporter("markdown", "text/markdown; charset=utf-8", ".md", _markdown))
