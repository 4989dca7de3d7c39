"""PDF exports read back with pypdf, and every page rendered by poppler's pdftoppm."""
from __future__ import annotations

import datetime as dt
import io
import json

from docx import Document
from pypdf import PdfReader

from afternote.workflow import exports, notes
from testkit.pdfs import rendered_pages, text_of

DAY = dt.date(2026, 1, 5)


def test_signed_note_pdf_carries_the_record_and_its_seal(db, chart):
    note_id = chart.note(DAY)
    export = exports.export_note(db, chart.clinic.clinician, note_id, "pdf")
    assert export.media_type == "application/pdf" and export.filename == f"note-{note_id}.pdf"
    text = text_of(export.content)
    sig = notes.show(db, chart.clinic.clinician, note_id).signatures[0]
    for expected in (chart.client_name, chart.birth_date.isoformat(), "MRN-1", "CPT 90837-95", "Casey Clin, LMFT",
                     f"licence {chart.licence}", sig.content_sha256, "Harbor Counseling", f"NPI {chart.npi}",
                     "555-0100",
                     "telehealth (video)", "53 minutes", "Subjective", "Plan", "Verified", "Page 1 of 1",
                     "Confidential health information"):
        assert expected in text, expected
    assert "DRAFT" not in text


def test_every_page_renders(db, chart, tmp_path):
    note_id = chart.note(DAY, key_points="Pt reports anxiety at work. " * 200 + "Plan: f/u 1wk.")
    export = exports.export_note(db, chart.clinic.clinician, note_id, "pdf")
    pages = len(PdfReader(io.BytesIO(export.content)).pages)
    assert pages >= 2
    assert len(rendered_pages(export.content, tmp_path)) == pages
    assert f"Page {pages} of {pages}" in text_of(export.content)


def test_draft_is_watermarked_and_says_it_is_not_signed(db, chart):
    note_id = chart.note(DAY, sign=False)
    text = text_of(exports.export_note(db, chart.clinic.clinician, note_id, "pdf").content)
    assert "DRAFT" in text and "Not signed" in text and "Verified" not in text


def test_non_latin_name_survives_into_the_pdf_text(db, chart):
    note_id = chart.note(DAY)
    assert "Дмитриева-Ólafsdóttir" in text_of(exports.export_note(db, chart.clinic.clinician, note_id, "pdf").content)


def test_amended_note_shows_the_addendum_with_its_reason(db, chart):
    note_id = chart.note(DAY)
    notes.addend(db, chart.clinic.clinician, note_id, "Client called later to add that sleep improved.", "late entry")
    text = text_of(exports.export_note(db, chart.clinic.clinician, note_id, "pdf").content)
    assert "Addendum" in text and "Reason: late entry" in text and "sleep improved" in text


def test_client_record_holds_the_signed_notes_of_the_period(db, chart, tmp_path):
    inside = [chart.note(dt.date(2025, month, 3)) for month in (2, 5, 9)]
    chart.note(dt.date(2024, 12, 1))  # before the period
    chart.note(dt.date(2025, 10, 1), sign=False)  # a draft is not part of the record
    export = exports.export_client_record(db, chart.clinic.clinician, chart.client_id, "pdf", dt.date(2025, 1, 1),
                                          dt.date(2025, 12, 31))
    assert export.filename == f"record-{chart.client_id}-20250101-20251231.pdf"
    text = text_of(export.content)
    assert "Signed notes: 3" in text and "3 of 3 notes match their seals" in text
    assert text.count("Progress note (SOAP)") == 3 and "2024-12-01" not in text and "DRAFT" not in text
    assert chart.client_name in text and chart.birth_date.isoformat() in text
    assert rendered_pages(export.content, tmp_path)
    assert len(inside) == 3



def test_a_note_that_fails_verification_says_so_on_every_format(db, chart):
    from dataclasses import replace

    from afternote.exports import docx, fhir, pdf, text
    from afternote.exports.document import Verification
    doc = exports.note_document(db, chart.clinic.clinician, chart.note(DAY))
    broken = replace(doc, verification=Verification(False, ("the sign seal of version 1 does not match",)))
    assert "NOT VERIFIED: the sign seal of version 1 does not match" in text_of(pdf.render_note(broken))
    assert "NOT VERIFIED" in json.dumps(fhir.note_bundle(broken))
    assert "NOT VERIFIED" in "\n".join(p.text for p in Document(io.BytesIO(docx.render_note(broken))).paragraphs)
    assert "NOT VERIFIED" in text.note_text(broken)
