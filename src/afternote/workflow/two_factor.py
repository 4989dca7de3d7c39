"""Two-factor sign-in: a TOTP authenticator app (RFC 6238, pyotp) as the second factor after the password, and
one-time recovery codes for the day the phone is lost.

A user turns it on by scanning a secret (shown as a QR code and as text) and typing a current code from it; only
then is it on, and ten recovery codes are shown once (stored as argon2 hashes, like passwords). The secret is
encrypted at rest under the records key. A code's time step is accepted once: the last accepted step is stored,
so a code seen over someone's shoulder cannot be typed again. Wrong codes count against the same per-username
and per-address limits as wrong passwords (sign_in_limits). An owner can require two-factor of the practice, and
reset a user's (who then enrols again). Every enrolment, reset, recovery-code use and wrong code is audited, by
ids only: no secret and no code is ever in an event or a log.
"""
from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import Practice, RecoveryCode, User, utcnow
from afternote.workflow import audit, sign_in_limits, users
from afternote.workflow.actor import Actor
from afternote.workflow.errors import LoginFailed, NotAllowed, NotFound

ISSUER = "afternote"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code from the step before or after is accepted too: phones' clocks drift, people type slowly
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed again
_TOTP_SHAPE = re.compile(r"^\d{6}$")


class CodeRequired(LoginFailed):
    """The account has two-factor on and no code was sent."""


class WrongCode(LoginFailed):
    """The code is not the authenticator's current one (nor an unused recovery code, where those are accepted)."""


class CodeReplayed(WrongCode):
    """The code was right but its time step was already used: a code is good once."""


# --- pure: codes -------------------------------------------------------------------------------------------------
def new_secret() -> str:
    """A random TOTP secret (base32, 160 bits: RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str, practice_name: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=f"{ISSUER} ({practice_name})"[:60])


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def cleaned(code: str) -> str:
    """A typed code without spaces and hyphens, lowercased: '123 456' and 'ABCDE-FGHIJ' as they were meant."""
    return re.sub(r"[\s-]", "", code).lower()


def is_app_code(code: str) -> bool:
    """Whether `code` has the shape of an authenticator code (six digits) rather than a recovery code."""
    return bool(_TOTP_SHAPE.match(cleaned(code)))


def matching_step(secret: str, code: str, at: dt.datetime) -> int | None:
    """The time step (at, or one either side of it) whose code is `code`, or None. `at` is UTC (naive or aware)."""
    code = cleaned(code)
    if not _TOTP_SHAPE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(at.replace(tzinfo=dt.timezone.utc))
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """`count` random recovery codes, 'xxxxx-xxxxx' (about 49 bits each)."""
    def one() -> str:
        text = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        return f"{text[:5]}-{text[5:]}"
    return [one() for _ in range(count)]


# --- the records -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Status:
    on: bool
    on_since: dt.datetime | None
    required: bool  # by the practice
    recovery_codes_left: int


@dataclass(frozen=True)
class Enrolment:
    """A secret waiting for its first code: shown to the user once they ask to turn two-factor on."""

    secret: str
    uri: str


def _user(session: Session, actor: Actor) -> User:
    return session.get(User, actor.user_id)


def _secret(db: Database, user: User) -> str | None:
    return db.keyring.decrypt(user.two_factor_secret_enc, "users", "two_factor_secret_enc", user.id)


def practice_requires(session: Session, practice_id: str) -> bool:
    return bool(session.scalar(select(Practice.require_two_factor).where(Practice.id == practice_id)))


def status(db: Database, actor: Actor) -> Status:
    with db.session() as session:
        user = _user(session, actor)
        left = len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                                 RecoveryCode.used_at.is_(None))).all())
        return Status(user.two_factor_on_at is not None, user.two_factor_on_at,
                      practice_requires(session, actor.practice_id), left)


def begin_enrolment(db: Database, actor: Actor) -> Enrolment:
    """The secret to scan (the one already waiting, if the page is opened again, so a scanned code keeps working);
    InputError when two-factor is on already."""
    with db.session(write=True) as session:
        user = _user(session, actor)
        if user.two_factor_on_at is not None:
            raise InputError("Two-factor sign-in is on already. To move it to another phone, turn it off (your "
                             "password and a code) and turn it on again.")
        secret = _secret(db, user)
        if secret is None:
            secret = new_secret()
            user.two_factor_secret_enc = db.keyring.encrypt(secret, "users", "two_factor_secret_enc", user.id)
        name = session.scalar(select(Practice.name).where(Practice.id == actor.practice_id)) or ""
    return Enrolment(secret, provisioning_uri(secret, actor.username, name))


def _store_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = new_recovery_codes()
    session.add_all(RecoveryCode(practice_id=user.practice_id, user_id=user.id,
                                 code_hash=users.hash_password(cleaned(code))) for code in codes)
    return codes


def confirm_enrolment(db: Database, actor: Actor, code: str, now: dt.datetime | None = None) -> list[str]:
    """Turn two-factor on with a current code from the app just set up; returns the recovery codes, which are
    shown this once and stored only as hashes. WrongCode (counted like a wrong password) when it does not match."""
    now = now or utcnow()
    with db.session(write=True) as session:
        user = _user(session, actor)
        if user.two_factor_on_at is not None:
            raise InputError("Two-factor sign-in is on already.")
        secret = _secret(db, user)
        if secret is None:
            raise InputError("Start again: open Settings, Two-factor sign-in, and scan the code shown there.")
        limits = sign_in_limits.hold(session, db, user.username, None)
        limits.check(now)
        step = matching_step(secret, code, now)
        if step is None:
            limits.failed(now)
            audit.record(session, actor, "two_factor_failed", "user", user.id, outcome="enrolment")
            session.commit()
            raise WrongCode("That code does not match. Check that the phone's clock is right, and type the code "
                            "the app shows now (it changes every 30 seconds).")
        limits.succeeded()
        user.two_factor_on_at, user.two_factor_last_step = now, step
        codes = _store_recovery_codes(session, user)
        audit.record(session, actor, "two_factor_enrol", "user", user.id)
    return codes


def _check(session: Session, db: Database, user: User, actor: Actor | None, code: str, now: dt.datetime,
           address: str | None, allow_recovery: bool, refused: str) -> None:
    """Check `code` for `user` in the caller's unit of work: limited like a password (the username's row, and
    the address's when `address` is given), audited, the step stored. Raises CodeReplayed, WrongCode, LoginLocked."""
    limits = sign_in_limits.hold(session, db, user.username, address)
    # read again under the lock: a code sent twice at once must meet the step the first one stored (PostgreSQL
    # reads committed rows, and the row was read before the lock was held)
    session.refresh(user, with_for_update=True)

    def failed(outcome: str, error: WrongCode) -> None:
        limits.failed(now)
        audit.record(session, actor, "two_factor_failed", "user", user.id, outcome=outcome,
                     username=user.username, practice_id=user.practice_id, source=address)
        session.commit()
        raise error

    limits.check(now)
    if is_app_code(code):
        step = matching_step(_secret(db, user), code, now)
        if step is None:
            failed("refused", WrongCode(f"That code is not right; {refused}. Type the code your authenticator "
                                        "app shows now (it changes every 30 seconds)."))
        if user.two_factor_last_step is not None and step <= user.two_factor_last_step:
            failed("replayed", CodeReplayed(f"That code was used already; {refused}. Wait for the app's next "
                                            "code (a new one every 30 seconds) and type that."))
        user.two_factor_last_step = step
    elif allow_recovery:
        unused = session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                            RecoveryCode.used_at.is_(None))).all()
        typed = cleaned(code)
        found = next((r for r in unused if users.verify_hash(r.code_hash, typed)), None)
        if found is None:
            failed("refused", WrongCode(f"That code is not right; {refused}. Type the six digits your "
                                        "authenticator app shows, or one of your unused recovery codes."))
        found.used_at = now
        audit.record(session, actor, "recovery_code_used", "user", user.id, username=user.username,
                     practice_id=user.practice_id, source=address)
    else:
        failed("refused", WrongCode(f"Type the six digits your authenticator app shows; {refused}. (Recovery "
                                    "codes are for signing in only.)"))
    limits.succeeded()


def check_sign_in_code(db: Database, actor: Actor, code: str, *, address: str | None,
                       now: dt.datetime | None = None) -> None:
    """The second step of a sign-in: an app code or an unused recovery code (then used up). `address` is the
    caller's, for its limit."""
    with db.session(write=True) as session:
        _check(session, db, _user(session, actor), actor, code, now or utcnow(), address, allow_recovery=True,
               refused="you are not signed in")
        audit.record(session, actor, "login", "user", actor.user_id)


def confirm_code(db: Database, actor: Actor, code: str | None, refused: str, now: dt.datetime | None = None) -> None:
    """The app's code typed with the password to sign (as the password, limited by the username only); nothing to
    check when the signer has two-factor off. CodeRequired when it is on and no code was sent."""
    with db.session(write=True) as session:
        user = _user(session, actor)
        if user.two_factor_on_at is None:
            return
        if not code or not code.strip():
            raise CodeRequired(f"Your account has two-factor sign-in: type the code from your authenticator app "
                               f"with your password; {refused}.")
        _check(session, db, user, actor, code, now or utcnow(), None, allow_recovery=False, refused=refused)


def disable(db: Database, actor: Actor, password: str, code: str, source: str) -> None:
    """Turn your own two-factor off, with your password and a current code; refused while the practice requires
    it (an owner's reset lets you enrol a new phone)."""
    from afternote.workflow.passwords import confirm_password  # passwords imports this module for signing

    with db.session() as session:
        if practice_requires(session, actor.practice_id):
            raise NotAllowed("The practice requires two-factor sign-in, so it cannot be turned off. To move it "
                             "to a new phone, ask an owner to reset it, then enrol again.")
    confirm_password(db, actor, password, source, refused="two-factor sign-in stays on", code=code)
    with db.session(write=True) as session:
        _clear(session, _user(session, actor))
        audit.record(session, actor, "two_factor_disable", "user", actor.user_id)


def _clear(session: Session, user: User) -> None:
    user.two_factor_secret_enc = user.two_factor_on_at = user.two_factor_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def reset(db: Database, actor: Actor, user_id: str) -> None:
    """An owner's reset of a user's two-factor (a lost phone): it is off, their recovery codes are gone and their
    sign-ins end; they sign in with their password and enrol again (at once, when the practice requires it)."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can reset someone's two-factor sign-in.")
    with db.session(write=True) as session:
        user = session.scalar(select(User).where(User.id == user_id, User.practice_id == actor.practice_id))
        if user is None:
            raise NotFound(f"No user {user_id} in this practice. `GET /api/v1/users` lists them.")
        if user.two_factor_secret_enc is None:
            raise InputError(f"{user.username} has no two-factor sign-in to reset.")
        _clear(session, user)
        users.end_sign_ins(session, user.id)
        audit.record(session, actor, "two_factor_reset", "user", user.id)


def set_required(db: Database, actor: Actor, required: bool) -> None:
    """Whether everyone in the practice must use two-factor (owners only): who has not enrolled is sent to
    enrolment at their next request and can do nothing else until they have."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can require two-factor sign-in.")
    with db.session(write=True) as session:
        practice = session.get(Practice, actor.practice_id)
        if practice.require_two_factor != required:
            practice.require_two_factor = required
            audit.record(session, actor, "two_factor_required" if required else "two_factor_optional",
                         "practice", practice.id)
