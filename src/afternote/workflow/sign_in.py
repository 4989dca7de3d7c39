"""Server-side sign-in sessions: password sign-in starts one, every request resumes it, inactivity ends it.

The browser holds only a random secret; the database holds its SHA-256, the user, the CSRF token that
cookie-authenticated changes must echo, and when it was last used. A session idle for longer than the practice's
inactivity period (default: the `session_idle_minutes` setting, 15), or older than the absolute lifetime (the
`session_max_hours` setting, 12), is ended on its next use and audited.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from afternote.records.database import Database
from afternote.records.models import Practice, SignInSession, User, utcnow
from afternote.workflow import audit, users
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotSignedIn

TOUCH_EVERY = dt.timedelta(seconds=30)  # last_seen_at is written at most this often (one write, not one a request)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    secret: str  # for the cookie; never stored
    csrf_token: str
    idle_minutes: int


@dataclass(frozen=True)
class Resumed:
    actor: Actor
    csrf_token: str
    idle_minutes: int


def _idle_minutes(session, practice_id: str, default: int) -> int:
    return session.scalar(select(Practice.session_idle_minutes).where(Practice.id == practice_id)) or default


def start(db: Database, username: str, password: str, *, source: str, idle_default: int = 15,
          now: dt.datetime | None = None) -> SignedIn:
    """Check the password (audited, limited: see users.login) and open a session."""
    now = now or utcnow()
    actor = users.login(db, username, password, source, now=now)
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with db.session(write=True) as session:
        session.add(SignInSession(id=digest(secret), practice_id=actor.practice_id, user_id=actor.user_id,
                                  csrf_token=csrf, source=source[:100], created_at=now, last_seen_at=now))
        idle = _idle_minutes(session, actor.practice_id, idle_default)
    return SignedIn(actor, secret, csrf, idle)


def resume(db: Database, secret: str, *, source: str, idle_default: int = 15, max_hours: int = 12,
           now: dt.datetime | None = None) -> Resumed:
    """The session's user, if it is open, was used within the inactivity period and began less than `max_hours`
    ago (however active it was since); else NotSignedIn."""
    now = now or utcnow()
    sid = digest(secret)
    with db.session() as session:
        found = session.execute(select(SignInSession, User).join(User, User.id == SignInSession.user_id)
                                .where(SignInSession.id == sid)).first()
        if found is None or found[0].ended_at is not None or not found[1].active:
            raise NotSignedIn("You are not signed in (or you signed out). Sign in again.")
        row, user = found
        idle = _idle_minutes(session, row.practice_id, idle_default)
    actor = users.actor_for(user, source)
    if now - row.created_at > dt.timedelta(hours=max_hours):
        _expire(db, sid, actor, now)
        raise NotSignedIn(f"You were signed out: a sign-in lasts at most {max_hours} hours. Sign in again; nothing "
                          "you saved was lost.")
    if now - row.last_seen_at > dt.timedelta(minutes=idle):
        _expire(db, sid, actor, now)
        raise NotSignedIn(f"You were signed out after {idle} minutes without activity. Sign in again; nothing "
                          "you saved was lost.")
    if now - row.last_seen_at > TOUCH_EVERY:
        with db.session(write=True) as session:
            session.execute(update(SignInSession).where(SignInSession.id == sid).values(last_seen_at=now))
    return Resumed(actor, row.csrf_token, idle)


def _expire(db: Database, sid: str, actor: Actor, now: dt.datetime) -> None:
    with db.session(write=True) as session:
        session.execute(update(SignInSession).where(SignInSession.id == sid, SignInSession.ended_at.is_(None))
                        .values(ended_at=now))
        audit.record(session, actor, "logout", "user", actor.user_id, outcome="expired")


def end(db: Database, secret: str, actor: Actor, now: dt.datetime | None = None) -> None:
    """Sign out: the session cannot be resumed again."""
    with db.session(write=True) as session:
        session.execute(update(SignInSession).where(SignInSession.id == digest(secret),
                                                    SignInSession.ended_at.is_(None))
                        .values(ended_at=now or utcnow()))
        audit.record(session, actor, "logout", "user", actor.user_id)
