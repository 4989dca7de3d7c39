"""Backups and restores of the records: a consistent copy while in use (SQLite's online backup, pg_dump), readable
by its owner only from the first byte, and a restore that checks the backup opens under this key first."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from afternote.errors import InputError
from afternote.records.crypto import keyring_from
from afternote.records.database import Database
from afternote.records.errors import DatabaseError, KeyProblem
from afternote.workflow import audit
from afternote.workflow.actor import Actor


def _pg_env(db: Database) -> tuple[list[str], dict]:
    url = db.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise DatabaseError(f"{name} is not installed; install the PostgreSQL client tools matching the server.")
    return path


def backup(db: Database, actor: Actor, destination: Path) -> None:
    """Copy the records to `destination` (a new file, 0600 from the first byte); no partial copy is left behind.
    The copy stays encrypted: the key file is needed to restore it."""
    try:  # readable by its owner only from the first byte, whichever tool writes it
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(f"{destination} exists; choose a new file name.") from None
    try:
        with db.session(write=True) as session:
            audit.record(session, actor, "backup", None, None)
        if db.dialect == "sqlite":
            os.close(fd)
            with closing(sqlite3.connect(db.sqlite_path)) as source, closing(sqlite3.connect(destination)) as target:
                source.backup(target)
                ok = target.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise DatabaseError(f"The backup at {destination} failed its integrity check; it is not usable.")
        else:
            args, env = _pg_env(db)
            with os.fdopen(fd, "wb") as out:
                dumped = subprocess.run([_tool("pg_dump"), *args, "--format=custom", db.url.database], env=env,
                                        stdout=out, stderr=subprocess.PIPE, text=False)
            if dumped.returncode != 0:
                said = dumped.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                raise DatabaseError(f"pg_dump failed (exit {dumped.returncode}: {said[0][:300]}); no backup was "
                                    "written. Check that the PostgreSQL client tools match the server.")
    except BaseException:
        destination.unlink(missing_ok=True)  # no partial copy is left behind
        raise


def records_to_restore(settings) -> Database:
    """The records a restore would replace (opened with the configured key, not checked: they may be broken)."""
    return Database(settings.records_url, keyring_from(settings))


def restore(db: Database, source: Path) -> Path | None:
    """Replace the records with the backup at `source`; returns where the replaced SQLite database was kept."""
    if not source.is_file():
        raise InputError(f"{source} is not a file.")
    kept = None
    if db.dialect == "sqlite":
        backup_db = Database(f"sqlite:///{source}", db.keyring)
        try:  # a backup from another version, or made under another key, says so instead of being restored
            backup_db.check()
        except KeyProblem:
            raise KeyProblem(f"{source} was made under another encryption key. Put that key file in place "
                             "(or in AFTERNOTE_KEY) and restore again; nothing was changed.") from None
        finally:
            backup_db.dispose()
        live = db.sqlite_path
        if live.exists():
            kept = live.with_name(f"{live.name}.before-restore-{dt.datetime.now():%Y%m%d%H%M%S}")
            os.close(os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # the owner's from the first byte
            with closing(sqlite3.connect(live)) as current, closing(sqlite3.connect(kept)) as copy:
                current.backup(copy)
        with sqlite3.connect(source) as src, sqlite3.connect(live) as dst:
            src.backup(dst)
    else:
        args, env = _pg_env(db)
        subprocess.run([_tool("pg_restore"), *args, "--clean", "--if-exists", "-d", db.url.database, str(source)],
                       env=env, check=True)
    db.check()
    with db.session(write=True) as session:
        audit.record(session, None, "restore", None, None, source="cli")
    return kept
