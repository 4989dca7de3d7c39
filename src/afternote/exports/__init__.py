"""Exports a practice can hand on: PDF, DOCX, FHIR R4 documents, and plain text or markdown for pasting into an EHR.

An exporter is a plugin (`register_exporters` in plugins.py): one module per format renders a `NoteDocument`
(and, where the format holds several notes, a `ClientRecord`) to bytes. Exporters are pure: they read the document
they are given and never the database; workflow/exports.py gathers the document from the sealed record and audits.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from afternote.exports.document import ClientRecord, NoteDocument


@dataclass(frozen=True)
class Exporter:
    """One export format: its name (`--as`), the media type and file suffix it produces, and its renderers."""

    name: str
    media_type: str
    suffix: str
    note: Callable[[NoteDocument], bytes]
    record: Callable[[ClientRecord], bytes] | None = None  # None: this format holds one note only
