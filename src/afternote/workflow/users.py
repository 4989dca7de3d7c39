"""Practices, users and sign-in; the owner changes a user's role, supervisor and whether they may sign in. Passwords are hashed with argon2id; failed sign-ins are audited."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from types import EllipsisType

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from afternote.errors import InputError
from afternote.records.database import Database
from afternote import times
from afternote.records.models import ROLES, ApiToken, Practice, SignInSession, User, utcnow
from afternote.workflow import audit, names, sign_in_limits
from afternote.workflow.actor import Actor
from afternote.workflow.errors import LoginFailed, LoginLocked, NotAllowed, NotFound
from afternote.workflow.names import MAX_LENGTH, normalized
from afternote.workflow.sign_in_limits import hidden_username, password_checks

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so timing does not tell; made on first use."""
    return _hasher.hash("afternote timing guard")


def hash_password(password: str) -> str:
    with password_checks.turn():
        return _hasher.hash(password)


def end_sign_ins(session, user_id: str, keep: str | None = None) -> None:
    """End the user's open sign-in sessions now, all but `keep` (a session id), in the caller's unit of work."""
    ended = update(SignInSession).where(SignInSession.user_id == user_id, SignInSession.ended_at.is_(None))
    if keep:
        ended = ended.where(SignInSession.id != keep)
    session.execute(ended.values(ended_at=utcnow()))


def actor_for(user: User, source: str = "cli") -> Actor:
    return Actor(user.id, user.practice_id, user.role, user.username, user.display_name, user.credentials, source,
                 bool(user.must_change_password), two_factor=user.two_factor_on_at is not None)


def _check_new_user(username: str, password: str, role: str) -> str:
    """The new user's username, normalized (names.username); InputError for a bad role, name or password."""
    if role not in ROLES:
        raise InputError(f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.")
    username = names.username(username)
    from afternote.workflow.passwords import check_new_password  # the policy lives with the other password rules
    check_new_password(password, username)
    return username


def create_practice(db: Database, name: str, *, username: str, password: str, display_name: str, credentials: str = "",
                    role: str = "owner", source: str = "cli", time_zone: str | None = None) -> Actor:
    """A new practice and its first user (an owner by default); returns that user as an Actor. Its `time_zone`
    (an IANA name) defaults to the server's."""
    username = _check_new_user(username, password, role)
    zone = times.checked(time_zone) if time_zone else times.server_zone()
    with db.session(write=True) as session:
        practice = Practice(name=name, time_zone=zone)  # kept, so a server moved to another zone keeps its times
        session.add(practice)
        session.flush()
        user = User(practice_id=practice.id, username=username, display_name=display_name, role=role,
                    credentials=credentials, password_hash=hash_password(password))
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise InputError(f"The username '{username}' is taken. Choose another.") from None
        actor = actor_for(user, source)
        audit.record(session, actor, "user_add", "user", user.id)
        return actor


def add_user(db: Database, actor: Actor, *, username: str, password: str, display_name: str, role: str = "clinician",
             credentials: str = "", supervisor: str | None = None, temporary: bool = False) -> Actor:
    """Add a user to the caller's practice (owners only). `supervisor` is the username of a pre-licensed
    clinician's supervisor, whose co-signature their notes then await. A `temporary` password (the one an owner
    types on the Users page) must be changed by the user at their first sign-in."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can add users.")
    username = _check_new_user(username, password, role)
    with db.session(write=True) as session:
        supervisor_id = None
        if supervisor:
            sup = session.scalar(select(User).where(User.practice_id == actor.practice_id,
                                                    User.username == supervisor))
            if sup is None or sup.role not in ("supervisor", "owner"):
                raise NotFound(f"No supervisor or owner named '{supervisor}' in this practice.")
            supervisor_id = sup.id
        user = User(practice_id=actor.practice_id, username=username, display_name=display_name, role=role,
                    credentials=credentials, supervisor_id=supervisor_id, password_hash=hash_password(password),
                    must_change_password=temporary)
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise InputError(f"The username '{username}' is taken in this practice. Choose another.") from None
        audit.record(session, actor, "user_add", "user", user.id)
        return actor_for(user)


def verify_hash(password_hash: str, password: str) -> bool:
    """Whether `password` (or a recovery code) is the one `password_hash` was made from; within the cap on checks."""
    try:
        with password_checks.turn():
            return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError, UnicodeEncodeError):  # wrong, or not text that can be typed
        return False


def login(db: Database, username: str, password: str, source: str = "cli", *, user_id: str | None = None,
          now: dt.datetime | None = None) -> Actor:
    """Sign in; every attempt is audited. Raises LoginFailed without saying whether the user exists, and
    LoginLocked (without checking the password) while the username or the address waits after repeated failures
    (sign_in_limits). Usernames are unique within a practice: the password picks the user among practices that
    have the name. `user_id` checks one known user only (a signed-in user's password typed again to sign a note:
    the username's limit applies, not the address's, so an office sharing an address keeps signing). For a user
    with two-factor on the right password does not clear the username's failures: the code step does
    (workflow/two_factor.py), so guessing codes after a known password stays limited."""
    name = normalized(username)[:MAX_LENGTH]
    now = now or utcnow()
    with db.session(write=True) as session:
        limits = sign_in_limits.hold(session, db, name, address=source if user_id is None else None)
        # exactly as typed too: a name made before normalization that migration 0007 could not normalize
        query = select(User).where(User.username.in_({name, username[:MAX_LENGTH]})) \
            .order_by(User.created_at, User.id)
        candidates = session.scalars(query if user_id is None else query.where(User.id == user_id)).all()

        def refused(outcome: str) -> None:
            for user in candidates or [None]:
                audit.record(session, None, "login_failed", "user", user.id if user else None, outcome=outcome,
                             username=user.username if user else hidden_username(db, name),
                             practice_id=user.practice_id if user else None, source=source)
            session.commit()

        try:
            limits.check(now)
        except LoginLocked:
            refused("locked")
            raise
        matched = next((u for u in candidates if verify_hash(u.password_hash, password)), None)
        if not candidates:
            verify_hash(_dummy_hash(), password)  # the same work as for a real user, so timing does not tell
        if matched is None or not matched.active:
            limits.failed(now)
            refused("refused")
            raise LoginFailed("Wrong username or password. Try again; an owner can reset a password.")
        actor = actor_for(matched, source)
        if actor.two_factor:  # the password alone proves half: the count is cleared only once the code is right
            audit.record(session, actor, "login", "user", matched.id, outcome="code_pending")
        else:
            limits.succeeded()
            audit.record(session, actor, "login", "user", matched.id)
        return actor


def get_actor(db: Database, username: str, source: str = "cli") -> Actor:
    """The Actor for a user already authenticated by the operating system (the one-computer CLI)."""
    with db.session() as session:
        found = session.scalars(select(User).where(User.username == normalized(username), User.active.is_(True))
                                .limit(2)).all()
        if not found:
            raise NotFound(f"No active user '{username}'. Run `afternote user add` or check AFTERNOTE_USER.")
        if len(found) > 1:  # usernames are unique within a practice only
            raise InputError(f"More than one practice here has a user '{username}': sign in with the password "
                             "(`afternote serve`, or the CLI on a server) so it can tell which.")
        return actor_for(found[0], source)


@dataclass(frozen=True)
class UserView:
    id: str
    username: str
    display_name: str
    role: str
    credentials: str
    supervisor_id: str | None
    active: bool
    two_factor: bool = False  # two-factor sign-in on


def list_users(db: Database, actor: Actor) -> list[UserView]:
    """The practice's users (owners only), by username."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can list users.")
    with db.session() as session:
        rows = session.scalars(select(User).where(User.practice_id == actor.practice_id)
                               .order_by(User.username)).all()
        return [_view(u) for u in rows]


def _view(u: User) -> UserView:
    return UserView(u.id, u.username, u.display_name, u.role, u.credentials, u.supervisor_id, u.active,
                    u.two_factor_on_at is not None)


def update_user(db: Database, actor: Actor, user_id: str, *, role: str | None = None,
                supervisor: str | None | EllipsisType = ..., active: bool | None = None) -> UserView:
    """Change a user of the caller's practice (owners only): their role; their supervisor (the username of a
    supervisor or owner; None or "" clears it; `...` leaves it); whether they are active. Deactivating ends their
    sign-in sessions and revokes their API tokens at once (reactivating brings neither back). The last active owner
    cannot be demoted or deactivated, nor can someone who still supervises active clinicians. Each change is
    audited (ids only)."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can change users.")
    if role is not None and role not in ROLES:
        raise InputError(f"Unknown role '{role}'. Roles: {', '.join(ROLES)}.")
    with db.session(write=True) as session:
        # the practice row is locked first, so changes to its users run one at a time (two owners cannot each
        # demote the other and leave none)
        session.execute(select(Practice.id).where(Practice.id == actor.practice_id).with_for_update())
        user = session.scalar(select(User).where(User.id == user_id, User.practice_id == actor.practice_id))
        if user is None:
            raise NotFound(f"No user {user_id} in this practice. `GET /api/v1/users` lists them.")
        new_role = role if role is not None else user.role
        new_active = active if active is not None else user.active
        if user.role == "owner" and user.active and (new_role != "owner" or not new_active):
            owners = session.scalars(select(User.id).where(
                User.practice_id == actor.practice_id, User.role == "owner", User.active.is_(True))).all()
            if len(owners) <= 1:
                raise InputError(f"{user.username} is the practice's last active owner, so they cannot be "
                                 f"{'demoted' if new_role != 'owner' else 'deactivated'}. Make another user an "
                                 "owner first, then try again.")
        if user.role in ("supervisor", "owner") and (new_role not in ("supervisor", "owner") or not new_active):
            supervised = session.scalars(select(User.username).where(
                User.practice_id == actor.practice_id, User.supervisor_id == user.id, User.active.is_(True))
                .order_by(User.username)).all()
            if supervised:
                raise InputError(f"{user.username} still supervises {', '.join(supervised)}. Set another "
                                 "supervisor for them (or clear it) first, then try again.")
        supervisor_id = user.supervisor_id
        if supervisor is not ...:
            supervisor_id = None
            if supervisor:
                sup = session.scalar(select(User).where(User.practice_id == actor.practice_id,
                                                        User.username == supervisor))
                if sup is not None and sup.id == user.supervisor_id:
                    pass  # unchanged (a form sends the current one back)
                elif sup is None or sup.role not in ("supervisor", "owner") or not sup.active:
                    raise NotFound(f"No active supervisor or owner named '{supervisor}' in this practice.")
                elif sup.id == user.id:
                    raise InputError("A user cannot be their own supervisor. Choose someone else.")
                elif new_role != "clinician":
                    raise InputError(f"Only a clinician has a supervisor; {user.username} would be a {new_role}. "
                                     "Clear the supervisor or make them a clinician.")
                supervisor_id = sup.id
        if new_role != user.role:
            user.role = new_role
            audit.record(session, actor, "user_role", "user", user.id)
        if supervisor_id != user.supervisor_id:
            user.supervisor_id = supervisor_id
            audit.record(session, actor, "user_supervisor", "user", user.id)
        if new_active != user.active:
            user.active = new_active
            audit.record(session, actor, "user_reactivate" if new_active else "user_deactivate", "user", user.id)
            if not new_active:
                now = utcnow()
                end_sign_ins(session, user.id)
                revoked = session.scalars(select(ApiToken.id).where(ApiToken.user_id == user.id,
                                                                    ApiToken.revoked_at.is_(None))).all()
                if revoked:
                    session.execute(update(ApiToken).where(ApiToken.id.in_(revoked)).values(revoked_at=now))
                for token_id in revoked:
                    audit.record(session, actor, "token_revoke", "token", token_id)
        session.flush()
        return _view(user)


def only_username(db: Database) -> str | None:
    """The username of the database's one active user, or None when there are several (or none)."""
    with db.session() as session:
        names_found = session.scalars(select(User.username).where(User.active.is_(True)).limit(2)).all()
    return names_found[0] if len(names_found) == 1 else None
