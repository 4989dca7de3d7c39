"""Two editors saving against the same version: exactly one wins, the other is told; no version is lost."""
import threading

from testkit.records import KEY_POINTS
from afternote.workflow import notes, versions
from afternote.workflow.errors import StaleVersion


def test_two_editors_one_version_exactly_one_wins(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    section = note.content["sections"][0]["key"]
    for round_ in range(5):
        base = round_ + 1
        barrier = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def save(editor: str) -> None:
            barrier.wait()
            try:
                outcomes[editor] = notes.edit_section(db, clinic.clinician, note.id, section, editor, base)
            except StaleVersion as stale:
                outcomes[editor] = stale

        threads = [threading.Thread(target=save, args=(f"editor {i} round {round_}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [e for e, o in outcomes.items() if o == base + 1]
        losers = [o for o in outcomes.values() if isinstance(o, StaleVersion)]
        assert len(winners) == 1 and len(losers) == 1
        assert losers[0].current_version == base + 1
        saved = notes.show(db, clinic.clinician, note.id, version=base + 1).content["sections"][0]["text"]
        assert saved == winners[0]
    assert [v.number for v in versions.history(db, clinic.clinician, note.id)] == list(range(1, 7))


def test_many_editors_retrying_lose_no_save(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    section = note.content["sections"][0]["key"]
    saved: list[tuple[int, str]] = []
    lock = threading.Lock()

    def editor(name: str) -> None:
        for i in range(5):
            text = f"{name} edit {i}"
            while True:
                base = notes.show(db, clinic.clinician, note.id).version
                try:
                    number = notes.edit_section(db, clinic.clinician, note.id, section, text, base)
                    break
                except StaleVersion:
                    continue
            with lock:
                saved.append((number, text))

    threads = [threading.Thread(target=editor, args=(f"e{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(n for n, _ in saved) == list(range(2, 22))
    for number, text in saved:
        assert notes.show(db, clinic.clinician, note.id, version=number).content["sections"][0]["text"] == text


EDITOR = """
import json, os, sys, time
from afternote.records.crypto import Keyring, decode_key
from afternote.records.database import Database
from afternote.workflow import notes
from afternote.workflow.actor import Actor
from afternote.workflow.errors import StaleVersion
db = Database(os.environ["URL"], Keyring((decode_key(os.environ["KEY"]),)))
actor = Actor(**json.loads(os.environ["ACTOR"]))
db.check()
print("ready", flush=True)
sys.stdin.readline()  # both processes are started and connected: go
try:
    print(notes.edit_section(db, actor, os.environ["NOTE"], os.environ["SECTION"], os.environ["TEXT"], 1), flush=True)
except StaleVersion as stale:
    print(f"stale {stale.current_version}", flush=True)
"""


def test_two_editor_processes_one_version_exactly_one_wins(db, clinic, database_url):
    import json
    import os
    import subprocess
    import sys

    from afternote.records.crypto import encode_key
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    section = note.content["sections"][0]["key"]
    env = dict(os.environ, URL=database_url, KEY=encode_key(db.keyring.current), NOTE=note.id, SECTION=section,
               ACTOR=json.dumps(clinic.clinician.__dict__))
    editors = [subprocess.Popen([sys.executable, "-c", EDITOR], env=dict(env, TEXT=f"process {i}"), text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE) for i in range(2)]
    for editor in editors:
        assert editor.stdout.readline().strip() == "ready"
    for editor in editors:
        editor.stdin.write("go\n")
        editor.stdin.flush()
    outcomes = sorted(editor.communicate(timeout=60)[0].strip() for editor in editors)
    assert outcomes == ["2", "stale 2"]
    assert [v.number for v in versions.history(db, clinic.clinician, note.id)] == [1, 2]
    assert notes.show(db, clinic.clinician, note.id).content["sections"][0]["text"] in ("process 0", "process 1")


def test_addenda_and_a_co_signature_at_once_all_join_the_chain(db, clinic):
    import datetime as dt

    from afternote.workflow import clients
    client = clients.add_client(db, clinic.associate, "Busy Client")
    appointment = clients.add_appointment(db, clinic.associate, client.id, dt.date(2026, 1, 8), dt.time(9),
                                          minutes=45)
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1, late_reason="backlog")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def add(action) -> None:
        barrier.wait()
        try:
            action()
        except BaseException as error:  # noqa: BLE001  (reported below, in the test's thread)
            errors.append(error)

    actions = [lambda i=i: notes.addend(db, clinic.associate, note.id, f"Addendum {i}.", "late entry")
               for i in range(3)] + [lambda: notes.co_sign(db, clinic.supervisor, note.id)]
    threads = [threading.Thread(target=add, args=(action,)) for action in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    shown = notes.show(db, clinic.owner, note.id)
    assert len(shown.addenda) == 3 and [s.kind for s in shown.signatures] == ["sign", "cosign"]
    assert notes.verify(db, clinic.owner, note.id).ok  # each link sealed the one before it: none forked
