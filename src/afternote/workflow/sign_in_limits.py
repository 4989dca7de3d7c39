"""Sign-in limits: how often a username, and an address, may get the password wrong, and how many passwords this
process checks at once.

Each username and each address has a row (keyed by a keyed hash, never the name as typed). A password check locks
the username's row and the address's first (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the write lock every writer
takes), so concurrent guesses are counted one at a time and no more than the free failures are ever checked. Past
them each failure delays the next attempt longer (30 s, 1 min, 2 min ... at most 15 min) instead of locking the
account outright: a stranger can slow an account down, not shut its owner out for long. Failures older than the
window are forgotten; a successful sign-in clears the username's count.

argon2 takes real memory per check (64 MiB with the default parameters), so at most `max_password_checks` run at
once in a process; beyond that a sign-in is answered "busy, try again" rather than queued without bound.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from afternote.records.database import Database
from afternote.records.models import SignInLimit
from afternote.workflow.errors import Busy, LoginLocked

FREE_FAILURES_PER_USERNAME = 5
FREE_FAILURES_PER_ADDRESS = 20  # an office behind one address shares it (see the trusted_proxies setting)
FIRST_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=15)
WINDOW = dt.timedelta(minutes=15)  # failures further apart than this start the count again


def keyed_hash(db: Database, text: str) -> str:
    """A keyed SHA-256 (HMAC under the records key) of `text`, hex: the same name gives the same value, and
    nobody without the key can test guesses against it."""
    if db.keyring is None:
        return hashlib.sha256(text.encode()).hexdigest()
    return db.keyring.seal("sign-in", text.encode()).partition("$")[2]


def hidden_username(db: Database, typed: str) -> str:
    """What the audit trail keeps of a username that matched nobody: `#` and a keyed hash (people type passwords
    into the username box). The same name always gives the same value, so repeated attempts show as one name."""
    return "#" + keyed_hash(db, "user:" + typed)[:24]


def delay_after(failures: int, free: int) -> dt.timedelta:
    """How long the next attempt waits after `failures` in a row: nothing while within the free ones, then
    doubling from FIRST_DELAY up to MAX_DELAY."""
    if failures < free:
        return dt.timedelta()
    return min(FIRST_DELAY * 2 ** min(failures - free, 20), MAX_DELAY)


def _locked_row(session: Session, db: Database, key: str) -> SignInLimit:
    insert = pg_insert if db.dialect == "postgresql" else sqlite_insert
    session.execute(insert(SignInLimit).values(key=key, failures=0).on_conflict_do_nothing(index_elements=["key"]))
    return session.scalar(select(SignInLimit).where(SignInLimit.key == key).with_for_update())


@dataclass
class Limits:
    """The locked rows of one sign-in attempt (a username and an address)."""

    username: SignInLimit
    address: SignInLimit | None

    def _rows(self) -> list[tuple[SignInLimit, int]]:
        rows = [(self.username, FREE_FAILURES_PER_USERNAME)]
        return rows + [(self.address, FREE_FAILURES_PER_ADDRESS)] if self.address else rows

    def check(self, now: dt.datetime) -> None:
        """LoginLocked (with the seconds to wait) while either row is delayed."""
        until = max((r.blocked_until for r, _ in self._rows() if r.blocked_until), default=None)
        if until and until > now:
            raise LoginLocked(int((until - now).total_seconds()) + 1)

    def failed(self, now: dt.datetime) -> None:
        for row, free in self._rows():
            if row.last_failure_at is None or now - row.last_failure_at > WINDOW:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            wait = delay_after(row.failures, free)
            row.blocked_until = now + wait if wait else None

    def succeeded(self) -> None:
        self.username.failures, self.username.last_failure_at, self.username.blocked_until = 0, None, None


def hold(session: Session, db: Database, username: str, address: str | None) -> Limits:
    """Lock (creating them if new) the rows of `username` and `address` (None: a signed-in user's password typed
    again, which the address's limit does not slow) until the caller's unit of work ends; always the username's
    first, so two attempts never wait on each other in opposite orders."""
    user_row = _locked_row(session, db, "u:" + keyed_hash(db, "user:" + username)[:62])
    return Limits(user_row, _locked_row(session, db, "a:" + keyed_hash(db, "address:" + address)[:62])
                  if address is not None else None)


class PasswordChecks:
    """At most `limit` argon2 checks (or hashes) at once in this process; a caller waits `wait` seconds for a turn,
    then gets Busy."""

    def __init__(self, limit: int = 4, wait: float = 5.0) -> None:
        self.resize(limit, wait)

    def resize(self, limit: int, wait: float | None = None) -> None:
        self.limit, self._slots = limit, threading.BoundedSemaphore(limit)
        self.wait = self.wait if wait is None else wait

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        slots = self._slots  # a resize while this check runs releases the semaphore it took
        if not slots.acquire(timeout=self.wait):
            raise Busy("The server is busy checking other sign-ins. Try again in a moment.", retry_after=1)
        try:
            yield
        finally:
            slots.release()


password_checks = PasswordChecks()
