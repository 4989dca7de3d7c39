"""Server-side sign-in sessions: password sign-in starts one, every request resumes it, inactivity ends it.

The browser holds only a random secret; the database holds its SHA-256, the user, the CSRF token that
cookie-authenticated changes must echo, and when it was last used. A session idle for longer than the practice's
inactivity period (default: the `session_idle_minutes` setting, 15), or older than the absolute lifetime (the
`session_max_hours` setting, 12), is ended on its next use and audited.

With two-factor on, the right password opens a pending session only: it signs nobody in, and within
PENDING_MINUTES the code (or a recovery code) turns it into a real one under a new secret (`complete`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from afternote.records.database import Database
from afternote.records.models import Practice, SignInSession, User, utcnow
from afternote.workflow import audit, two_factor, users
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotSignedIn

PENDING_MINUTES = 5  # how long the right password waits for its code
TOUCH_EVERY = dt.timedelta(seconds=30)  # last_seen_at is written at most this often (one write, not one a request)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    secret: str  # for the cookie; never stored
    csrf_token: str
    idle_minutes: int
    pending: bool = False  # the password was right; the second factor is still to come (`complete`)


@dataclass(frozen=True)
class Resumed:
    actor: Actor
    csrf_token: str
    idle_minutes: int


def _idle_minutes(session, practice_id: str, default: int) -> int:
    return session.scalar(select(Practice.session_idle_minutes).where(Practice.id == practice_id)) or default


def start(db: Database, username: str, password: str, *, source: str, idle_default: int = 15,
          code: str | None = None, allow_pending: bool = True, now: dt.datetime | None = None) -> SignedIn:
    """Check the password (audited, limited: see users.login) and open a session. With two-factor on, `code`
    is checked as well (two_factor.check_sign_in_code); without one the session is pending (`complete` finishes
    it), or, unless `allow_pending`, CodeRequired is raised and no session is opened."""
    now = now or utcnow()
    actor = users.login(db, username, password, source, now=now)
    pending = actor.two_factor
    if pending and code:
        two_factor.check_sign_in_code(db, actor, code, address=source, now=now)
        pending = False
    elif pending and not allow_pending:
        raise two_factor.CodeRequired("This account has two-factor sign-in: send `code` (the six digits your "
                                      "authenticator app shows, or a recovery code) with the username and "
                                      "password. You are not signed in.")
    return _open(db, actor, source, idle_default, now, pending)


def _open(db: Database, actor, source: str, idle_default: int, now: dt.datetime, pending: bool) -> SignedIn:
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with db.session(write=True) as session:
        session.add(SignInSession(id=digest(secret), practice_id=actor.practice_id, user_id=actor.user_id,
                                  csrf_token=csrf, source=source[:100], created_at=now, last_seen_at=now,
                                  second_factor_pending=pending))
        idle = _idle_minutes(session, actor.practice_id, idle_default)
        if not pending:
            actor = dataclasses.replace(actor, must_enrol_two_factor=_must_enrol(session, actor))
    return SignedIn(actor, secret, csrf, idle, pending)


def _must_enrol(session, actor) -> bool:
    return not actor.two_factor and two_factor.practice_requires(session, actor.practice_id)


def complete(db: Database, secret: str, code: str, *, source: str, idle_default: int = 15,
             now: dt.datetime | None = None) -> SignedIn:
    """The second step of a two-factor sign-in: the code for the pending session `secret`. A right code ends the
    pending session and opens a real one under a new secret (so the secret that stood for "password only" never
    becomes a sign-in). WrongCode, CodeReplayed or LoginLocked leave the pending session to try again; NotSignedIn
    when there is none, it waited longer than PENDING_MINUTES, or another request completed it first."""
    now = now or utcnow()
    sid = digest(secret)
    with db.session() as session:
        found = session.execute(select(SignInSession, User).join(User, User.id == SignInSession.user_id)
                                .where(SignInSession.id == sid, SignInSession.second_factor_pending.is_(True),
                                       SignInSession.ended_at.is_(None))).first()
    if found is None or not found[1].active or now - found[0].created_at > dt.timedelta(minutes=PENDING_MINUTES):
        raise NotSignedIn(f"The sign-in waited more than {PENDING_MINUTES} minutes for its code, or was not "
                          "started. Sign in again with your username and password.")
    actor = users.actor_for(found[1], source)
    two_factor.check_sign_in_code(db, actor, code, address=source, now=now)
    with db.session(write=True) as session:
        used = session.execute(update(SignInSession).where(SignInSession.id == sid, SignInSession.ended_at.is_(None))
                               .values(ended_at=now)).rowcount
    if not used:  # one pending sign-in gives one session, however many codes arrive for it at once
        raise NotSignedIn("This sign-in was completed already. Sign in again with your username and password.")
    return _open(db, actor, source, idle_default, now, pending=False)


def resume(db: Database, secret: str, *, source: str, idle_default: int = 15, max_hours: int = 12,
           now: dt.datetime | None = None) -> Resumed:
    """The session's user, if it is open, was used within the inactivity period and began less than `max_hours`
    ago (however active it was since); else NotSignedIn."""
    now = now or utcnow()
    sid = digest(secret)
    with db.session() as session:
        found = session.execute(select(SignInSession, User).join(User, User.id == SignInSession.user_id)
                                .where(SignInSession.id == sid)).first()
        if found is None or found[0].ended_at is not None or not found[1].active or found[0].second_factor_pending:
            raise NotSignedIn("You are not signed in (or you signed out). Sign in again.")
        row, user = found
        idle = _idle_minutes(session, row.practice_id, idle_default)
        actor = users.actor_for(user, source)
        actor = dataclasses.replace(actor, must_enrol_two_factor=_must_enrol(session, actor))
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
