"""Word exports open with python-docx, with the note's sections as real headings."""
from __future__ import annotations

import datetime as dt
import io

from docx import Document

from afternote.workflow import exports, notes


def test_docx_has_the_sections_as_headings_and_the_signature(db, chart):
    note_id = chart.note(dt.date(2026, 1, 5))
    export = exports.export_note(db, chart.clinic.clinician, note_id, "docx")
    assert export.filename.endswith(".docx")
    document = Document(io.BytesIO(export.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    view = notes.show(db, chart.clinic.clinician, note_id)
    assert headings[0] == "Progress note (SOAP)"
    assert headings[1:len(view.content["sections"]) + 1] == [s["title"] for s in view.content["sections"]]
    body = "\n".join(p.text for p in document.paragraphs)
    assert chart.client_name in body and chart.birth_date.isoformat() in body and "CPT 90837-95" in body
    assert view.signatures[0].content_sha256 in body
    assert "Harbor Counseling" in document.sections[0].header.paragraphs[0].text


def test_draft_docx_says_draft_in_its_header(db, chart):
    note_id = chart.note(dt.date(2026, 1, 5), sign=False)
    document = Document(io.BytesIO(exports.export_note(db, chart.clinic.clinician, note_id, "docx").content))
    assert any("DRAFT" in p.text for p in document.sections[0].header.paragraphs)
