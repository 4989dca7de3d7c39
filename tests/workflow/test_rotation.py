"""rotate-key re-encrypts everything under a new key and re-seals, without loss; the old key then reads nothing."""
import pytest

from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database
from afternote.records.errors import KeyProblem
from afternote.records.testing import KEY_POINTS, drop_pg_database, fresh_pg_database, make_clinic
from afternote.workflow import clients, keys, notes


@pytest.fixture
def fresh_db(database_url, tmp_path):
    pg = not database_url.startswith("sqlite")
    url = fresh_pg_database() if pg else f"sqlite:///{tmp_path / 'rotate.db'}"
    db = Database(url, Keyring((new_key(),)))
    db.migrate()
    yield db
    db.dispose()
    if pg:
        drop_pg_database(url)


def test_rotate_key_keeps_every_record_readable_and_verified(fresh_db):
    clinic = make_clinic(fresh_db, client_name="Rotating Client")
    note = notes.create(fresh_db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(fresh_db, clinic.clinician, note.id, 1, acknowledged=_open(fresh_db, clinic.clinician, note.id))
    notes.addend(fresh_db, clinic.clinician, note.id, "More.", "late entry")
    old = fresh_db.keyring
    new = Keyring((new_key(),))
    fresh_db.keyring = Keyring(new.keys + old.keys)  # as during a rotation: both keys on hand
    assert keys.rotate(fresh_db, clinic.owner, new) > 0

    fresh_db.keyring = new
    assert notes.verify(fresh_db, clinic.clinician, note.id).ok
    shown = notes.show(fresh_db, clinic.clinician, note.id)
    assert shown.key_points == KEY_POINTS and shown.content == note.content and shown.addenda[0].text == "More."
    assert [c.name for c in clients.list_clients(fresh_db, clinic.owner)] == ["Rotating Client"]
    fresh_db.keyring = old
    with pytest.raises(KeyProblem):
        notes.show(fresh_db, clinic.clinician, note.id)


def _open(db, actor, note_id):
    """The codes of the note's open warnings: signing acknowledges each."""
    return [f["code"] for f in notes.open_warnings(notes.show(db, actor, note_id).content)]
