"""Practices, users and sign-in. Passwords are hashed with argon2id; failed sign-ins are audited."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import ROLES, AuditEvent, Practice, User, utcnow
from afternote.workflow import audit
from afternote.workflow.actor import Actor
from afternote.workflow.errors import LoginFailed, LoginLocked, NotAllowed, NotFound

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so timing does not tell; made on first use."""
    return _hasher.hash("afternote timing guard")


def actor_for(user: User, source: str = "cli") -> Actor:
    return Actor(user.id, user.practice_id, user.role, user.username, user.display_name, user.credentials, source)


def _check_new_user(username: str, password: str, role: str) -> None:
    if role not in ROLES:
        raise InputError(f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.")
    if not username.strip() or len(username) > 100:
        raise InputError("A username is 1 to 100 characters.")
    if len(password) < 10:
        raise InputError("A password needs at least 10 characters.")


def create_practice(db: Database, name: str, *, username: str, password: str, display_name: str, credentials: str = "",
                    role: str = "owner", source: str = "cli") -> Actor:
    """A new practice and its first user (an owner by default); returns that user as an Actor."""
    _check_new_user(username, password, role)
    with db.session(write=True) as session:
        practice = Practice(name=name)
        session.add(practice)
        session.flush()
        user = User(practice_id=practice.id, username=username, display_name=display_name, role=role,
                    credentials=credentials, password_hash=_hasher.hash(password))
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise InputError(f"The username '{username}' is taken. Choose another.") from None
        actor = actor_for(user, source)
        audit.record(session, actor, "user_add", "user", user.id)
        return actor


def add_user(db: Database, actor: Actor, *, username: str, password: str, display_name: str, role: str = "clinician",
             credentials: str = "", supervisor: str | None = None) -> Actor:
    """Add a user to the caller's practice (owners only). `supervisor` is the username of a pre-licensed
    clinician's supervisor, whose co-signature their notes then await."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can add users.")
    _check_new_user(username, password, role)
    with db.session(write=True) as session:
        supervisor_id = None
        if supervisor:
            sup = session.scalar(select(User).where(User.practice_id == actor.practice_id,
                                                    User.username == supervisor))
            if sup is None or sup.role not in ("supervisor", "owner"):
                raise NotFound(f"No supervisor or owner named '{supervisor}' in this practice.")
            supervisor_id = sup.id
        user = User(practice_id=actor.practice_id, username=username, display_name=display_name, role=role,
                    credentials=credentials, supervisor_id=supervisor_id, password_hash=_hasher.hash(password))
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise InputError(f"The username '{username}' is taken. Choose another.") from None
        audit.record(session, actor, "user_add", "user", user.id)
        return actor_for(user)


# Throttling and temporary lockout, counted from the audit trail so every worker process sees the same count.
LOCKOUT_MINUTES = 15
MAX_FAILURES_PER_USERNAME = 5  # since the last successful sign-in, within LOCKOUT_MINUTES
MAX_FAILURES_PER_SOURCE = 20  # from one place (address), across usernames


def _locked(session, username: str, source: str, now: dt.datetime) -> bool:
    window = now - dt.timedelta(minutes=LOCKOUT_MINUTES)
    last_ok = session.scalar(select(func.max(AuditEvent.at)).where(AuditEvent.username == username,
                                                                   AuditEvent.action == "login"))
    since = max(window, last_ok) if last_ok else window
    failed = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "login_failed",
                                                                AuditEvent.outcome == "refused")
    if session.scalar(failed.where(AuditEvent.username == username, AuditEvent.at >= since)) \
            >= MAX_FAILURES_PER_USERNAME:
        return True
    return session.scalar(failed.where(AuditEvent.source == source, AuditEvent.at >= window)) \
        >= MAX_FAILURES_PER_SOURCE


def login(db: Database, username: str, password: str, source: str = "cli") -> Actor:
    """Sign in; every attempt is audited. Raises LoginFailed without saying whether the user exists, and
    LoginLocked (without checking the password) after repeated failures for the username or from the source."""
    with db.session(write=True) as session:
        user = session.scalar(select(User).where(User.username == username))
        if _locked(session, username[:100], source, utcnow()):
            audit.record(session, None, "login_failed", "user", user.id if user else None, outcome="locked",
                         username=username[:100], practice_id=user.practice_id if user else None, source=source)
            session.commit()
            raise LoginLocked(LOCKOUT_MINUTES)
        ok = False
        try:
            ok = _hasher.verify(user.password_hash if user else _dummy_hash(), password) and user is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or not user.active:
            audit.record(session, None, "login_failed", "user", user.id if user else None, outcome="refused",
                         username=username[:100], practice_id=user.practice_id if user else None, source=source)
            session.commit()
            raise LoginFailed("Wrong username or password. Try again; an owner can reset a password.")
        actor = actor_for(user, source)
        audit.record(session, actor, "login", "user", user.id)
        return actor


def get_actor(db: Database, username: str, source: str = "cli") -> Actor:
    """The Actor for a user already authenticated by the operating system (the one-computer CLI)."""
    with db.session() as session:
        user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        if user is None:
            raise NotFound(f"No active user '{username}'. Run `afternote user add` or check AFTERNOTE_USER.")
        return actor_for(user, source)


@dataclass(frozen=True)
class UserView:
    id: str
    username: str
    display_name: str
    role: str
    credentials: str
    supervisor_id: str | None
    active: bool


def list_users(db: Database, actor: Actor) -> list[UserView]:
    """The practice's users (owners only), by username."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can list users.")
    with db.session() as session:
        rows = session.scalars(select(User).where(User.practice_id == actor.practice_id)
                               .order_by(User.username)).all()
        return [UserView(u.id, u.username, u.display_name, u.role, u.credentials, u.supervisor_id, u.active)
                for u in rows]
