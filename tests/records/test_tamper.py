"""Changes made below the services are refused by the database's triggers, and with the triggers dropped (anyone
who can write the SQLite file or reach the server as its owner) caught by verify."""
import datetime as dt
import json
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from afternote.records.models import Addendum, Note, Signature
from testkit.records import KEY_POINTS, raw
from afternote.workflow import chain, clients, notes, signing


def test_edit_of_content_and_hash_together_is_caught_by_the_seal(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1)
    with db.engine.connect() as connection:
        version_id = connection.execute(text("SELECT id FROM note_versions WHERE note_id = :id"),
                                        {"id": note.id}).scalar_one()
    forged = json.loads(json.dumps(note.content))
    forged["sections"][0]["text"] = "Client denied all symptoms."
    raw(db, ("UPDATE note_versions SET content_enc = :c WHERE id = :id",
             {"c": db.keyring.encrypt(json.dumps(forged), "note_versions", "content_enc", version_id),
              "id": version_id}))
    # The forged content is even validly encrypted and its SHA-256 recomputed; the seal it cannot recompute.
    with db.session() as session:
        sig = session.scalars(select(Signature).where(Signature.note_id == note.id)).one()
        forged_hash = signing.sha256(chain.payload(db.keyring, session, session.get(Note, note.id), sig, []))
    raw(db, ("UPDATE signatures SET content_sha256 = :h WHERE note_id = :id", {"h": forged_hash, "id": note.id}))
    result = notes.verify(db, clinic.clinician, note.id)
    assert not result.ok and any("seal does not match" in p for p in result.problems)
    assert not any("hash" in p for p in result.problems)


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


def test_a_note_signed_with_the_old_payload_shape_still_verifies(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1, late_reason="caught up")
    # rewrite its signature as afternote sealed it before shape 2: no session, no signer's name, no head seal
    with db.session() as session:
        sig = session.scalars(select(Signature).where(Signature.note_id == note.id)).one()
        old = signing.note_payload(note.id, clinic.client_id, clinic.appointment_id, 1, note.content, kind="sign",
                                   signer_id=sig.signer_id, credentials=sig.credentials,
                                   signed_at=sig.signed_at.isoformat(), attested=chain.attested(db.keyring, sig))
    raw(db, ("UPDATE signatures SET seal_version = 1, content_sha256 = :h, seal = :s WHERE id = :id",
             {"h": signing.sha256(old), "s": db.keyring.seal(clinic.owner.practice_id, old), "id": sig.id}),
        ("UPDATE notes SET head_seal = NULL WHERE id = :id", {"id": note.id}))
    assert notes.verify(db, clinic.clinician, note.id).ok

    # a new link joins it in the new shape, chained to the old signature, and the head is sealed from then on
    notes.addend(db, clinic.clinician, note.id, "Client called; sleep improved.", "late entry")
    assert notes.verify(db, clinic.clinician, note.id).ok
    raw(db, ("UPDATE signatures SET credentials = 'MD' WHERE id = :id", {"id": sig.id}))
    assert not notes.verify(db, clinic.clinician, note.id).ok  # what the old shape sealed, it still proves


@dataclass(frozen=True)
class Change:
    """A change to a signed note made straight in the database, and what verify says of it."""

    sql: str
    params: dict = field(default_factory=dict)
    reported: str = "seal does not match"
    state: str = "amended"  # "amended": signed, co-signed, then an addendum; "awaiting": awaiting its co-signature
    edit_after: bool = False  # the clinician then edits the note in afternote, as an un-signed note allows


SESSION = "UPDATE appointments SET {} WHERE id = :appointment"
# the 19 direct changes of the audit (issue 12), each refused by a trigger and, with the triggers dropped, caught
CHANGES = {
    "session minutes": Change(SESSION.format("minutes = 90")),
    "session service (billing code)": Change(SESSION.format("service = 'crisis'")),
    "session date": Change(SESSION.format("date = :day"), {"day": dt.date(2026, 1, 7)}),
    "session start time": Change(SESSION.format("starts_at = :at"), {"at": dt.datetime(2026, 1, 6, 8)}),
    "session end time": Change(SESSION.format("ends_at = :at"), {"at": dt.datetime(2026, 1, 6, 11)}),
    "session modality": Change(SESSION.format("modality = 'group'")),
    "session telehealth": Change(SESSION.format("telehealth = 'video'")),
    "session reopened": Change(SESSION.format("open = :yes"), {"yes": True}, reported="session was reopened"),
    "co-signature requirement cleared": Change("UPDATE notes SET awaiting_cosign_by = NULL WHERE id = :note",
                                               reported="head seal does not match", state="awaiting"),
    "awaited co-signer replaced": Change("UPDATE notes SET awaiting_cosign_by = :owner WHERE id = :note",
                                         reported="head seal does not match", state="awaiting"),
    "signed_at moved": Change("UPDATE notes SET signed_at = :at WHERE id = :note",
                              {"at": dt.datetime(2026, 1, 6, 10)}, reported="signing time is not its signature's"),
    "amended back to signed": Change("UPDATE notes SET status = 'signed' WHERE id = :note",
                                     reported="marked signed but has 1 addendum"),
    "un-signed": Change("UPDATE notes SET status = 'draft' WHERE id = :note", reported="draft but carries"),
    "un-signed and edited": Change("UPDATE notes SET status = 'draft' WHERE id = :note",
                                   reported="draft but carries", edit_after=True),
    "addendum deleted": Change("DELETE FROM addenda WHERE id = :addendum",
                               reported="marked amended but has no addendum"),
    "co-signature deleted": Change("DELETE FROM signatures WHERE id = :cosign"),  # the addendum after it breaks
    "signer renamed": Change("UPDATE signatures SET signer_name = 'Someone Else' WHERE id = :sign"),
    "addendum author renamed": Change("UPDATE addenda SET author_name = 'Someone Else' WHERE id = :addendum"),
    "late mark cleared": Change("UPDATE signatures SET late = :no WHERE id = :sign", {"no": False}),
}


def chained_note(db, clinic, state: str) -> dict:
    """An associate's signed (late) note with its session's every detail; co-signed and amended unless
    `state` is 'awaiting'. Returns the ids the changes name."""
    client = clients.add_client(db, clinic.associate, "Chain Client")
    appointment = clients.add_appointment(db, clinic.associate, client.id, dt.date(2026, 1, 6), dt.time(9),
                                          minutes=45, service="psychotherapy", modality="individual",
                                          telehealth="audio", attendees=["mother"])
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1, late_reason="caught up after a crisis day")
    if state == "amended":
        notes.co_sign(db, clinic.supervisor, note.id)
        notes.addend(db, clinic.associate, note.id, "Client called; sleep improved.", "late entry")
    with db.session() as session:
        kinds = dict(session.execute(select(Signature.kind, Signature.id).where(Signature.note_id == note.id)).all())
        addendum = session.scalar(select(Addendum.id).where(Addendum.note_id == note.id))
    return {"note": note.id, "appointment": appointment, "sign": kinds["sign"], "cosign": kinds.get("cosign"),
            "addendum": addendum, "owner": clinic.owner.user_id}


@pytest.mark.parametrize("name", CHANGES)
def test_change_below_the_app_is_refused_and_with_triggers_dropped_caught(db, clinic, name):
    change = CHANGES[name]
    ids = chained_note(db, clinic, change.state)
    assert notes.verify(db, clinic.owner, ids["note"]).ok
    params = {**ids, **change.params}

    with pytest.raises(DatabaseError, match="afternote:"):
        with db.engine.begin() as connection:
            connection.execute(text(change.sql), params)
    assert notes.verify(db, clinic.owner, ids["note"]).ok  # refused: nothing changed

    raw(db, (change.sql, params))
    if change.edit_after:
        section = notes.show(db, clinic.associate, ids["note"]).content["sections"][0]["key"]
        notes.edit_section(db, clinic.associate, ids["note"], section, "Client denied all symptoms.", 1)
    result = notes.verify(db, clinic.owner, ids["note"])
    assert not result.ok
    assert any(change.reported in problem for problem in result.problems), result.problems


def test_session_attendees_are_sealed_too(db, clinic):
    ids = chained_note(db, clinic, "amended")
    other = db.keyring.encrypt(json.dumps(["father"]), "appointments", "attendees_enc", ids["appointment"])
    with pytest.raises(DatabaseError, match="afternote:"):
        with db.engine.begin() as connection:
            connection.execute(text(SESSION.format("attendees_enc = :other")), {**ids, "other": other})
    raw(db, (SESSION.format("attendees_enc = :other"), {**ids, "other": other}))  # validly encrypted, even
    result = notes.verify(db, clinic.owner, ids["note"])
    assert not result.ok and any("signature of version 1 seal does not match" in p for p in result.problems)
