"""Health data is encrypted at rest: a canary planted in a client name, key points, a note and an addendum is
nowhere in the SQLite file and its WAL, nor in a pg_dump of the PostgreSQL database."""
import datetime as dt
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy.engine import make_url

from afternote.workflow import clients, notes, users


def stored_bytes(db) -> bytes:
    if db.dialect == "sqlite":
        path = db.sqlite_path
        return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))
                        if p.exists())
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed for the PostgreSQL canary test"
    url = make_url(db.url)
    return subprocess.run([pg_dump, "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432),
                           "-U", url.username or "postgres", "-d", url.database], check=True,
                          capture_output=True).stdout


def test_canary_is_nowhere_at_rest(db):
    canary = f"Canary{uuid.uuid4().hex}"
    control = f"Plain{uuid.uuid4().hex}"  # not health data, stored as is: proves we search the right bytes
    owner = users.create_practice(db, control, username=f"o-{uuid.uuid4().hex[:8]}", password="correct horse battery",
                                  display_name="Owner", credentials="LCSW")
    client = clients.add_client(db, owner, f"Jane {canary}", identifier=f"MRN {canary}")
    appointment = clients.add_appointment(db, owner, client.id, dt.date(2026, 2, 2), dt.time(9), minutes=53,
                                          attendees=[f"mother {canary}"])
    note = notes.create(db, owner, appointment, f"Pt {canary} reports low mood 6/10. Plan: f/u 1wk.")
    section = note.content["sections"][0]["key"]
    notes.edit_section(db, owner, note.id, section, f"Client {canary} reported low mood.", 1)
    notes.sign(db, owner, note.id, 2, acknowledged=_open(db, owner, note.id))
    notes.addend(db, owner, note.id, f"Addendum {canary}", f"reason {canary}")
    assert canary in notes.show(db, owner, note.id).to_text()  # it is there, for the people allowed to read it

    data = stored_bytes(db)
    assert control.encode() in data
    assert canary.encode() not in data
    assert canary.lower().encode() not in data.lower()


def _open(db, actor, note_id):
    """The codes of the note's open warnings: signing acknowledges each."""
    return [f["code"] for f in notes.open_warnings(notes.show(db, actor, note_id).content)]
