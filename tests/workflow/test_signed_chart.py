"""A signature seals the CPT code the clinician confirms and the client's diagnoses active at signing (seal shape
4), on SQLite and PostgreSQL: both are shown with the note, a change to either fails verification, and notes sealed
in the shapes before still verify."""
import datetime as dt
import json

import pytest
from sqlalchemy import select

from afternote.errors import InputError
from afternote.records.models import Signature
from afternote.workflow import diagnoses, notes, signing
from testkit.records import KEY_POINTS, raw


def acknowledged(view) -> list[str]:
    return [f["code"] for f in notes.open_warnings(view.content)]


def signed(db, clinic, **kwargs) -> notes.NoteView:
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1, acknowledged=acknowledged(note), **kwargs)
    return notes.show(db, clinic.clinician, note.id)


def signature_row(db, note_id: str) -> Signature:
    with db.session() as session:
        return session.scalars(select(Signature).where(Signature.note_id == note_id)).one()


def test_signing_seals_the_suggested_code_and_the_active_diagnoses(db, clinic):
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F41.1", primary=True)
    ended = diagnoses.add(db, clinic.clinician, clinic.client_id, "F43.21", starts_on=dt.date(2025, 1, 1),
                          ends_on=dt.date(2025, 6, 1))
    view = signed(db, clinic)
    sig = view.signatures[0]
    assert sig.cpt == "90837"  # 53 minutes of psychotherapy, in person
    assert sig.diagnoses == ({"code": "F41.1", "description": "Generalized anxiety disorder", "primary": True},)
    assert signature_row(db, view.id).seal_version == signing.SHAPE == 4
    assert notes.verify(db, clinic.clinician, view.id).ok
    diagnoses.remove(db, clinic.clinician, ended.id)  # the chart moves on; the signed note stays as signed
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F32.1", primary=True)
    assert notes.show(db, clinic.clinician, view.id).signatures[0].diagnoses == sig.diagnoses
    assert notes.verify(db, clinic.clinician, view.id).ok


def test_the_clinician_confirms_another_code_or_none(db, clinic):
    view = signed(db, clinic, cpt="90834-95")
    assert view.signatures[0].cpt == "90834-95" and view.signatures[0].diagnoses == ()
    assert notes.verify(db, clinic.clinician, view.id).ok


def test_a_code_that_is_not_a_cpt_code_is_refused_and_nothing_is_signed(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    with pytest.raises(InputError, match="not a CPT code"):
        notes.sign(db, clinic.clinician, note.id, 1, acknowledged=acknowledged(note), cpt="9083")
    assert notes.show(db, clinic.clinician, note.id).status == "draft"
    notes.sign(db, clinic.clinician, note.id, 1, acknowledged=acknowledged(note), cpt="")
    assert notes.show(db, clinic.clinician, note.id).signatures[0].cpt is None


def test_a_tampered_diagnosis_fails_verification(db, clinic):
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F41.1", primary=True)
    view = signed(db, clinic)
    sig = signature_row(db, view.id)
    forged = [{"code": "F32.1", "description": "Major depressive disorder, single episode, moderate",
               "primary": True}]
    blob = db.keyring.encrypt(json.dumps(forged), "signatures", "diagnoses_enc", sig.id)  # validly encrypted
    raw(db, ("UPDATE signatures SET diagnoses_enc = :b WHERE id = :id", {"b": blob, "id": sig.id}))
    problems = notes.verify(db, clinic.clinician, view.id).problems
    assert any("seal does not match" in p and "diagnoses or CPT code" in p for p in problems)


def test_a_tampered_cpt_code_fails_verification(db, clinic):
    view = signed(db, clinic)
    sig = signature_row(db, view.id)
    blob = db.keyring.encrypt("90837-95", "signatures", "cpt_enc", sig.id)
    raw(db, ("UPDATE signatures SET cpt_enc = :b WHERE id = :id", {"b": blob, "id": sig.id}))
    assert not notes.verify(db, clinic.clinician, view.id).ok
    raw(db, ("UPDATE signatures SET cpt_enc = NULL WHERE id = :id", {"id": sig.id}))  # or removed
    assert not notes.verify(db, clinic.clinician, view.id).ok


def test_notes_sealed_in_shape_3_still_verify_and_take_shape_4_links(db, clinic, monkeypatch):
    monkeypatch.setattr(signing, "SHAPE", 3)
    view = signed(db, clinic)
    monkeypatch.setattr(signing, "SHAPE", 4)
    assert signature_row(db, view.id).seal_version == 3
    assert notes.verify(db, clinic.clinician, view.id).ok
    notes.addend(db, clinic.clinician, view.id, "Late entry.", "late entry")
    assert notes.verify(db, clinic.clinician, view.id).ok
