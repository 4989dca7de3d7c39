"""The EHR paste: headings in the practice's style, section text as written, no provenance markers."""
from __future__ import annotations

import datetime as dt

from afternote.workflow import exports, notes, practice


def test_text_uses_the_practices_heading_style(db, chart):
    note_id = chart.note(dt.date(2026, 1, 5))
    text = exports.export_note(db, chart.clinic.clinician, note_id, "text").content.decode()
    view = notes.show(db, chart.clinic.clinician, note_id)
    for section in view.content["sections"]:
        assert f"{section['title'].upper()}:\n{section['text']}" in text
    assert "[" not in text and "supported" not in text  # no spans, no provenance flags


def test_markdown_and_plain_headings(db, chart):
    note_id = chart.note(dt.date(2026, 1, 5))
    markdown = exports.export_note(db, chart.clinic.clinician, note_id, "markdown").content.decode()
    assert markdown.startswith("# Progress note (SOAP)") and "\n## Plan\n" in markdown
    practice.update_letterhead(db, chart.clinic.owner, name="Harbor Counseling", paste_headings="plain")
    assert "\nPlan:\n" in exports.export_note(db, chart.clinic.clinician, note_id, "text").content.decode()
