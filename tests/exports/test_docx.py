"""Word exports open with python-docx, with the note's sections as real headings."""
from __future__ import annotations

import datetime as dt
import io

from docx import Document

from afternote import times
from afternote.workflow import exports, notes, practice


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


def test_docx_and_text_give_times_in_the_practice_zone(db, chart):
    practice.set_time_zone(db, chart.clinic.owner, "America/New_York")
    note_id = chart.note(dt.date(2026, 3, 8))  # 10:00 on the spring-forward day is EDT
    signed_at = notes.show(db, chart.clinic.clinician, note_id).signatures[0].signed_at
    signed = times.when(signed_at, "America/New_York")
    document = Document(io.BytesIO(exports.export_note(db, chart.clinic.clinician, note_id, "docx").content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "2026-03-08 · 10:00-10:53 EDT" in body and f"LMFT, licence {chart.licence}, {signed}" in body
    assert "Times are in the practice's time zone, America/New_York." in body
    text = exports.export_note(db, chart.clinic.clinician, note_id, "text").content.decode()
    assert f", {signed}" in text and "UTC" not in text
