"""Key rotation: re-encrypt every piece of health data under the keyring's current key and re-seal every
signature and addendum, in one transaction (all or nothing). Seals are checked under the old key first, so a
rotation never launders a tampered record."""
from __future__ import annotations

import json

from sqlalchemy import select, text

from afternote.records.database import Database
from afternote.records import triggers
from afternote.records.crypto import Keyring
from afternote.records.errors import RecordTampered
from afternote.records.models import ENCRYPTED, Addendum, Note, NoteVersion, Signature
from afternote.workflow import audit, signing
from afternote.workflow.notes import attested_of
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotAllowed


def rotate(db: Database, actor: Actor | None, new: Keyring) -> int:
    """Re-encrypt and re-seal under `new.current`; `db.keyring` must decrypt everything now stored.

    Returns the number of values re-encrypted. The append-only triggers are dropped and recreated inside the same
    transaction, so no other writer ever sees the table unguarded.
    """
    if actor is not None and actor.role != "owner":
        raise NotAllowed("Only a practice owner can rotate the encryption key.")
    old = db.keyring
    count = 0
    with db.session(write=True) as session:
        for statement in triggers.drop_statements(db.dialect):
            session.execute(text(statement))
        for model, columns in ENCRYPTED.items():
            table = model.__tablename__
            for row in session.scalars(select(model)).yield_per(1000):
                for column in columns:
                    plain = old.decrypt(getattr(row, column), table, column, row.id)
                    if plain is not None:
                        setattr(row, column, new.encrypt(plain, table, column, row.id))
                        count += 1
        session.flush()
        notes = {n.id: n for n in session.scalars(select(Note).where(Note.status != "draft"))}
        for sig in session.scalars(select(Signature)):
            note = notes[sig.note_id]
            version = session.scalar(select(NoteVersion).where(NoteVersion.note_id == note.id,
                                                               NoteVersion.number == sig.version))
            content = json.loads(new.decrypt(version.content_enc, "note_versions", "content_enc", version.id))
            first = session.scalar(select(Signature.content_sha256).where(Signature.note_id == note.id,
                                                                          Signature.kind == "sign"))
            payload = signing.note_payload(note.id, note.client_id, note.appointment_id, sig.version, content,
                                           kind=sig.kind, signer_id=sig.signer_id, credentials=sig.credentials,
                                           signed_at=sig.signed_at.isoformat(),
                                           follows=first if sig.kind == "cosign" else None,
                                           attested=attested_of(new, sig))  # re-encrypted already
            if not old.check_seal(note.practice_id, payload, sig.seal):
                raise RecordTampered(f"Note {note.id} fails verification; rotation stopped and nothing changed. "
                                     "Run `afternote notes verify` and restore the note from a backup first.")
            sig.seal = new.seal(note.practice_id, payload)
        for add in session.scalars(select(Addendum)):
            payload = signing.addendum_payload(add.note_id, add.id, add.author_id, add.credentials,
                                               add.created_at.isoformat(),
                                               new.decrypt(add.reason_enc, "addenda", "reason_enc", add.id),
                                               new.decrypt(add.text_enc, "addenda", "text_enc", add.id))
            if not old.check_seal(add.practice_id, payload, add.seal):
                raise RecordTampered(f"An addendum of note {add.note_id} fails verification; rotation stopped and "
                                     "nothing changed. Restore it from a backup first.")
            add.seal = new.seal(add.practice_id, payload)
        session.flush()
        for statement in triggers.create_statements(db.dialect):
            session.execute(text(statement))
        if actor is not None:
            audit.record(session, actor, "rotate_key", None, None)
    return count
