"""The database itself refuses changes to signed notes and to the append-only tables."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from testkit.records import KEY_POINTS
from afternote.workflow import notes


def refused(db, sql, **params):
    with pytest.raises(DatabaseError) as error:
        with db.engine.begin() as connection:
            connection.execute(text(sql), params)
    assert "afternote:" in str(error.value)


@pytest.fixture
def signed(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1)
    return note


def test_raw_update_of_signed_note_is_refused(db, signed):
    refused(db, "UPDATE notes SET key_points_enc = :v WHERE id = :id", v=b"x" * 40, id=signed.id)
    refused(db, "UPDATE notes SET status = 'draft' WHERE id = :id", id=signed.id)
    refused(db, "UPDATE notes SET current_version = 2 WHERE id = :id", id=signed.id)
    refused(db, "DELETE FROM notes WHERE id = :id", id=signed.id)


def test_note_versions_signatures_and_addenda_are_append_only(db, signed):
    refused(db, "UPDATE note_versions SET content_enc = :v WHERE note_id = :id", v=b"x" * 40, id=signed.id)
    refused(db, "DELETE FROM note_versions WHERE note_id = :id", id=signed.id)
    refused(db, "UPDATE signatures SET content_sha256 = 'x' WHERE note_id = :id", id=signed.id)
    refused(db, "DELETE FROM signatures WHERE note_id = :id", id=signed.id)


def test_audit_rows_cannot_be_updated_or_deleted(db, clinic):
    refused(db, "UPDATE audit_events SET action = 'view' WHERE practice_id = :p", p=clinic.owner.practice_id)
    refused(db, "DELETE FROM audit_events WHERE practice_id = :p", p=clinic.owner.practice_id)


def test_a_draft_note_can_still_be_saved(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE notes SET updated_at = updated_at WHERE id = :id"), {"id": note.id})
