"""rotate-key re-encrypts everything under a new key and re-seals, without loss; the old key then reads nothing."""
import pytest

from afternote.records.crypto import Keyring, new_key
from afternote.records.errors import KeyProblem
from testkit.records import KEY_POINTS, fresh_db, make_clinic  # noqa: F401 (a fixture)
from afternote.workflow import clients, keys, measures, notes


def test_rotate_key_keeps_every_record_readable_and_verified(fresh_db):
    clinic = make_clinic(fresh_db, client_name="Rotating Client")
    note = notes.create(fresh_db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(fresh_db, clinic.clinician, note.id, 1, acknowledged=_open(fresh_db, clinic.clinician, note.id))
    notes.addend(fresh_db, clinic.clinician, note.id, "More.", "late entry")
    cosigned = _cosigned_note(fresh_db, clinic)
    import datetime as dt
    scored = clients.add_appointment(fresh_db, clinic.clinician, clinic.client_id, dt.date(2026, 1, 12), dt.time(9),
                                     minutes=53)
    notes.create(fresh_db, clinic.clinician, scored, "PHQ-9 14. " + KEY_POINTS)  # a measure row, encrypted too
    old = fresh_db.keyring
    new = Keyring((new_key(),))
    fresh_db.keyring = Keyring(new.keys + old.keys)  # as during a rotation: both keys on hand
    assert keys.rotate(fresh_db, clinic.owner, new) > 0

    fresh_db.keyring = new
    assert notes.verify(fresh_db, clinic.clinician, note.id).ok
    assert notes.verify(fresh_db, clinic.owner, cosigned).ok  # its chain and head sealed again under the new key
    shown = notes.show(fresh_db, clinic.clinician, note.id)
    assert shown.key_points == KEY_POINTS and shown.content == note.content and shown.addenda[0].text == "More."
    assert [c.name for c in clients.list_clients(fresh_db, clinic.owner)] == ["Chained Client", "Rotating Client"]
    assert [p.score for p in measures.points(fresh_db, clinic.clinician, clinic.client_id, "phq9")] == [14]
    fresh_db.keyring = old
    with pytest.raises(KeyProblem):
        notes.show(fresh_db, clinic.clinician, note.id)


def test_rotation_stops_at_a_note_whose_chain_was_changed(fresh_db):
    from sqlalchemy import text

    from afternote.records import triggers
    from afternote.records.errors import RecordTampered
    clinic = make_clinic(fresh_db)
    note_id = _cosigned_note(fresh_db, clinic)
    with fresh_db.engine.begin() as connection:  # the co-signature deleted, as with the triggers dropped
        for statement in triggers.drop_statements(fresh_db.dialect):
            connection.execute(text(statement))
        connection.execute(text("DELETE FROM signatures WHERE note_id = :id AND kind = 'cosign'"), {"id": note_id})
        for statement in triggers.create_statements(fresh_db.dialect):
            connection.execute(text(statement))
    old = fresh_db.keyring
    fresh_db.keyring = Keyring((new_key(),) + old.keys)
    with pytest.raises(RecordTampered, match="restore the note from a backup"):
        keys.rotate(fresh_db, clinic.owner, Keyring(fresh_db.keyring.keys[:1]))
    fresh_db.keyring = old  # nothing changed: the old key still reads and verifies everything else
    assert notes.show(fresh_db, clinic.owner, note_id).addenda[0].text == "Called back."


def _cosigned_note(db, clinic) -> str:
    """An associate's note, signed, amended and co-signed: a chain of three links."""
    import datetime as dt
    client = clients.add_client(db, clinic.associate, "Chained Client")
    appointment = clients.add_appointment(db, clinic.associate, client.id, dt.date(2026, 1, 6), dt.time(9),
                                          minutes=45, attendees=["father"])
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1, acknowledged=_open(db, clinic.associate, note.id),
               late_reason="caught up")
    notes.addend(db, clinic.associate, note.id, "Called back.", "late entry")
    notes.co_sign(db, clinic.supervisor, note.id)
    return note.id


def _open(db, actor, note_id):
    """The codes of the note's open warnings: signing acknowledges each."""
    return [f["code"] for f in notes.open_warnings(notes.show(db, actor, note_id).content)]


def test_rotate_key_keeps_a_two_factor_secret_working(fresh_db):
    from afternote.workflow import sign_in
    from testkit.records import PASSWORD
    from testkit.two_factor import enrol
    clinic = make_clinic(fresh_db)
    enrolled = enrol(fresh_db, clinic.clinician)
    old = fresh_db.keyring
    new = Keyring((new_key(),))
    fresh_db.keyring = Keyring(new.keys + old.keys)
    assert keys.rotate(fresh_db, clinic.owner, new) > 0
    fresh_db.keyring = new
    signed = sign_in.start(fresh_db, clinic.clinician.username, PASSWORD, source="test", code=enrolled.code())
    assert not signed.pending
    fresh_db.keyring = old  # the secret moved to the new key too
    with pytest.raises(KeyProblem):
        sign_in.start(fresh_db, clinic.clinician.username, PASSWORD, source="test", code=enrolled.code(1))
