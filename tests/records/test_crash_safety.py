"""A process killed (SIGKILL) in the middle of a stream of saves loses none that it acknowledged."""
import json
import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import select

from afternote.records.crypto import encode_key
from afternote.records.database import Database
from afternote.records.models import NoteVersion
from testkit.records import KEY_POINTS
from afternote.workflow import notes

SAVER = textwrap.dedent("""
    import json, os, sys
    from afternote.records.crypto import Keyring, decode_key
    from afternote.records.database import Database
    from afternote.workflow import notes
    from afternote.workflow.actor import Actor
    db = Database(os.environ["URL"], Keyring((decode_key(os.environ["KEY"]),)))
    actor = Actor(**json.loads(os.environ["ACTOR"]))
    note_id, section = os.environ["NOTE"], os.environ["SECTION"]
    version = 1
    while True:
        version = notes.edit_section(db, actor, note_id, section, f"save {version + 1}", version)
        print(version, flush=True)  # acknowledged: the save has committed
""")


def test_acknowledged_saves_survive_sigkill(db, clinic, database_url):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    section = note.content["sections"][0]["key"]
    env = dict(os.environ, URL=database_url, KEY=encode_key(db.keyring.current), NOTE=note.id, SECTION=section,
               ACTOR=json.dumps(clinic.clinician.__dict__))
    child = subprocess.Popen([sys.executable, "-c", SAVER], env=env, stdout=subprocess.PIPE, text=True)
    acknowledged = 0
    try:
        for line in child.stdout:
            acknowledged = int(line)
            if acknowledged >= 40:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert acknowledged >= 40, "the saving process died before saving"

    reopened = Database(database_url, db.keyring)  # a fresh start: new connections, WAL recovery on SQLite
    try:
        reopened.check()
        with reopened.session() as session:
            numbers = session.scalars(select(NoteVersion.number).where(NoteVersion.note_id == note.id)
                                      .order_by(NoteVersion.number)).all()
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= acknowledged
        for number in (2, acknowledged // 2, acknowledged):
            content = notes.show(reopened, clinic.clinician, note.id, version=number).content
            assert content["sections"][0]["text"] == f"save {number}"
        if reopened.dialect == "sqlite":
            with reopened.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        reopened.dispose()
