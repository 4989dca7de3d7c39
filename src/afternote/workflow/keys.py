"""Key rotation: re-encrypt every piece of health data under the keyring's current key and re-seal every
signature, addendum, note head and treatment-plan signature, in one transaction (all or nothing). Seals are checked under the old key first,
so a rotation never launders a tampered record."""
from __future__ import annotations

from sqlalchemy import select, text

from afternote.records.database import Database
from afternote.records import triggers
from afternote.records.crypto import Keyring
from afternote.records.models import ENCRYPTED, Addendum, Note, Signature
from afternote.workflow import audit, chain, plans
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
        # every signed note, and any draft carrying a signature or addendum (tampered; its seals are checked alike)
        chained = select(Signature.note_id).union(select(Addendum.note_id))
        for note in session.scalars(select(Note).where((Note.status != "draft") | Note.id.in_(chained))):
            chain.reseal(old, new, session, note)
        plans.reseal(old, new, session)
        session.flush()
        for statement in triggers.create_statements(db.dialect):
            session.execute(text(statement))
        if actor is not None:
            audit.record(session, actor, "rotate_key", None, None)
    return count


def new_key_text() -> str:
    """A new key, base64, for a server's AFTERNOTE_KEY."""
    from afternote.records.crypto import encode_key, new_key
    return encode_key(new_key())


def rotate_to_first_key(db: Database, actor: Actor | None) -> int:
    """A server's rotation: everything re-encrypted under the first key of AFTERNOTE_KEY (the others decrypt)."""
    return rotate(db, actor, Keyring(db.keyring.keys[:1]))


def rotate_key_file(db: Database, actor: Actor | None, key_path) -> int:
    """One computer's rotation to a new key in the key file. Both keys are on disk before any row changes and
    the old one is dropped only after the rotation committed, so a crash at any point loses nothing."""
    from afternote.records.crypto import new_key, write_key_file
    old, new = db.keyring, Keyring((new_key(),))
    both = Keyring(new.keys + old.keys)
    write_key_file(key_path, both)
    db.keyring = both
    count = rotate(db, actor, new)
    write_key_file(key_path, new)
    return count
