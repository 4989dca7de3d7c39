"""The export service: every export audited (who, which record, which format; no health data), other practices'
records refused and the refusal audited, bad requests answered with what to do."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from afternote.errors import InputError
from afternote.records.models import AuditEvent
from testkit.records import KEY_POINTS, make_clinic
from afternote.workflow import audit, clients, exports, notes
from afternote.workflow.errors import NotFound

SECRET_NAME = "Quillon Vexbury"


def _signed(db, clinic) -> str:
    view = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, view.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(view.content)])
    return view.id


def test_each_export_is_audited_with_its_format_and_no_health_data(db, clinic):
    clients.update_client(db, clinic.clinician, clinic.client_id, SECRET_NAME, "MRN-1", dt.date(1980, 1, 2))
    note_id = _signed(db, clinic)
    for fmt in ("pdf", "docx", "fhir", "text", "markdown"):
        exports.export_note(db, clinic.clinician, note_id, fmt)
    exports.export_client_record(db, clinic.clinician, clinic.client_id, "pdf", dt.date(2026, 1, 1),
                                 dt.date(2026, 1, 31))
    events = [e for e in audit.events(db, clinic.owner, action="export")]
    assert [(e.record_type, e.record_id, e.username) for e in events[::-1]] == [
        *[(f"note_{fmt}", note_id, clinic.clinician.username) for fmt in ("pdf", "docx", "fhir", "text", "markdown")],
        ("client_record_pdf", clinic.client_id, clinic.clinician.username)]
    with db.session() as session:
        for event in session.scalars(select(AuditEvent).where(AuditEvent.practice_id == clinic.owner.practice_id)):
            row = repr([getattr(event, c.key) for c in AuditEvent.__table__.columns])
            assert SECRET_NAME not in row and "1980-01-02" not in row


def test_another_practices_note_is_refused_and_the_refusal_audited(db, clinic):
    note_id = _signed(db, clinic)
    other = make_clinic(db)
    stranger = other.clinician
    with pytest.raises(NotFound):
        exports.export_note(db, stranger, note_id, "pdf")
    with pytest.raises(NotFound):
        exports.export_client_record(db, stranger, clinic.client_id, "fhir", dt.date(2026, 1, 1),
                                     dt.date(2026, 12, 31))
    refused = [(e.record_type, e.record_id, e.outcome) for e in audit.events(db, other.owner)
               if e.action == "export"]
    assert ("note_pdf", note_id, "refused") in refused
    assert ("client_record_fhir", clinic.client_id, "refused") in refused
    assert not [e for e in audit.events(db, clinic.owner, action="export")]  # nothing was disclosed


def test_unknown_format_and_bad_period_say_what_to_do(db, clinic):
    note_id = _signed(db, clinic)
    with pytest.raises(InputError, match="Choose one of: docx, fhir, markdown, pdf, text"):
        exports.export_note(db, clinic.clinician, note_id, "rtf")
    with pytest.raises(InputError, match="Choose one of: fhir, pdf"):
        exports.export_client_record(db, clinic.clinician, clinic.client_id, "docx", dt.date(2026, 1, 1),
                                     dt.date(2026, 2, 1))
    with pytest.raises(InputError, match="before it starts"):
        exports.export_client_record(db, clinic.clinician, clinic.client_id, "pdf", dt.date(2026, 2, 1),
                                     dt.date(2026, 1, 1))


def test_signed_note_exports_the_sealed_version_with_its_verification(db, clinic):
    note_id = _signed(db, clinic)
    doc = exports.note_document(db, clinic.clinician, note_id)
    sealed = notes.show(db, clinic.clinician, note_id)
    assert [s.text for s in doc.sections] == [s["text"] for s in sealed.content["sections"]]
    assert doc.verification.ok and doc.signatures[0].content_sha256 == sealed.signatures[0].content_sha256
    assert doc.session.cpt == "90837"  # 53 minutes of psychotherapy, in person


def test_date_of_birth_is_encrypted_and_its_change_audited(db, clinic):
    clients.update_client(db, clinic.clinician, clinic.client_id, "Test Client", "MRN-1", dt.date(1985, 6, 7))
    assert clients.show_client(db, clinic.clinician, clinic.client_id).birth_date == dt.date(1985, 6, 7)
    with db.engine.connect() as connection:
        from sqlalchemy import text
        stored = connection.execute(text("SELECT birth_date_enc FROM clients WHERE id = :id"),
                                    {"id": clinic.client_id}).scalar_one()
    assert b"1985" not in bytes(stored)
    assert [e.record_id for e in audit.events(db, clinic.owner, action="edit")][0] == clinic.client_id
    clients.update_client(db, clinic.clinician, clinic.client_id, "Renamed Client")  # date left out: kept
    assert clients.show_client(db, clinic.clinician, clinic.client_id).birth_date == dt.date(1985, 6, 7)
    with pytest.raises(InputError, match="between 1900-01-01 and today"):
        clients.update_client(db, clinic.clinician, clinic.client_id, "Renamed Client", None, dt.date(2999, 1, 1))
    assert clients.show_client(db, clinic.clinician, clinic.client_id).birth_date == dt.date(1985, 6, 7)
