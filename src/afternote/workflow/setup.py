"""First run: the data directory (0700), the encryption key (0600), the records database (0600, migrated) and the
practice's first user (an owner). `afternote init` and the first visit to the web app both call `initialize`."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import func, select

from afternote.records.crypto import RESTORE_KEY, create_key_file, keyring_from
from afternote.records.database import Database
from afternote.records.errors import KeyProblem
from afternote.records.models import User
from afternote.workflow import users
from afternote.workflow.actor import Actor


@dataclass
class Initialized:
    db: Database
    owner: Actor | None  # None when the database already had users
    messages: list[str] = field(default_factory=list)


def prepare(settings) -> tuple[Database, list[str]]:
    """The data directory, the key (made once per database, never overwritten, never beside stored records) and
    the migrated database."""
    messages: list[str] = []
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.data_dir, 0o700)  # the records, the key and the backups made here are the owner's alone
    if settings.key or settings.key_path.exists():
        keyring = keyring_from(settings)
    else:
        refuse_new_key_beside_records(settings)
        keyring = create_key_file(settings.key_path)
        messages.append(f"Created the encryption key {settings.key_path} (readable by you only). Back it up apart "
                        "from the database: without it the records cannot be read.")
    db = Database(settings.records_url, keyring)
    if db.sqlite_path:
        db.sqlite_path.touch(mode=0o600, exist_ok=True)  # SQLite gives its -wal and -shm files the same mode
        os.chmod(db.sqlite_path, 0o600)
    before, after = db.migrate()
    if before is None:
        messages.append(f"Created the records database at {db.describe()} (schema {after}).")
    return db, messages


def refuse_new_key_beside_records(settings) -> None:
    """A key is made once per database: records already stored were written under a key that a new one would
    not open (and the new one would put a second key's records beside them), so the lost key must be restored."""
    probe = Database(settings.records_url, None)
    try:
        if probe.holds_records():
            raise KeyProblem(f"The records database at {probe.describe()} holds records, but its encryption key is "
                             f"missing (no key file at {settings.key_path}, AFTERNOTE_KEY not set). {RESTORE_KEY} "
                             "No new key was made: it could not open these records.")
    finally:
        probe.dispose()


def has_users(db: Database) -> bool:
    with db.session() as session:
        return bool(session.scalar(select(func.count()).select_from(User)))


def initialize(settings, *, practice: str, username: str, password: str, display_name: str,
               credentials: str = "", source: str = "cli") -> Initialized:
    """Everything `afternote init` makes; the first user only if the database has none."""
    db, messages = prepare(settings)
    if has_users(db):
        messages.append("The database already has users; nothing else to do. Add people with `afternote user add`.")
        return Initialized(db, None, messages)
    owner = users.create_practice(db, practice, username=username, password=password,
                                  display_name=display_name or username, credentials=credentials, source=source)
    messages.append(f"Practice '{practice}' created; you are '{owner.username}' (owner).")
    return Initialized(db, owner, messages)
