"""Edits made below the services (with the triggers dropped) are caught by verify."""
import json

from sqlalchemy import select, text

from afternote.records import triggers
from afternote.records.models import Signature
from afternote.records.testing import KEY_POINTS
from afternote.workflow import notes, signing


def raw(db, *statements):
    """Run SQL as someone with write access to the database file or server: triggers dropped first."""
    with db.engine.begin() as connection:
        for sql in triggers.drop_statements(db.dialect):
            connection.execute(text(sql))
        for sql, params in statements:
            connection.execute(text(sql), params)
        for sql in triggers.create_statements(db.dialect):
            connection.execute(text(sql))


def test_edit_of_content_and_hash_together_is_caught_by_the_seal(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1)
    with db.engine.connect() as connection:
        version_id = connection.execute(text("SELECT id FROM note_versions WHERE note_id = :id"),
                                        {"id": note.id}).scalar_one()
    with db.session() as session:
        sig = session.scalars(select(Signature).where(Signature.note_id == note.id)).one()
    forged = json.loads(json.dumps(note.content))
    forged["sections"][0]["text"] = "Client denied all symptoms."
    # The forged content is even validly encrypted and its SHA-256 recomputed; the seal it cannot recompute.
    payload = signing.note_payload(note.id, clinic.client_id, clinic.appointment_id, 1, forged, kind="sign",
                                   signer_id=sig.signer_id, credentials=sig.credentials,
                                   signed_at=sig.signed_at.isoformat())
    raw(db, ("UPDATE note_versions SET content_enc = :c WHERE id = :id",
             {"c": db.keyring.encrypt(json.dumps(forged), "note_versions", "content_enc", version_id),
              "id": version_id}),
        ("UPDATE signatures SET content_sha256 = :h WHERE note_id = :id",
         {"h": signing.sha256(payload), "id": note.id}))
    result = notes.verify(db, clinic.clinician, note.id)
    assert not result.ok and any("seal" in p for p in result.problems)


def test_garbled_ciphertext_is_reported_not_crashed(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1)
    raw(db, ("UPDATE note_versions SET content_enc = :c WHERE note_id = :id", {"c": b"\x01" + b"z" * 60,
                                                                                "id": note.id}))
    result = notes.verify(db, clinic.clinician, note.id)
    assert not result.ok and "cannot be read" in result.problems[0]


def test_untouched_signed_note_verifies(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1)
    assert notes.verify(db, clinic.clinician, note.id).ok
