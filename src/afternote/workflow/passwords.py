"""Passwords: the policy for a new one, changing your own, an owner's reset to a one-time password, and the
password asked again before signing (a signature is the clinician's own act, whoever holds the session).

The policy: at least 12 characters, not the username, not easy to guess (zxcvbn's estimate, which knows the common
password lists, keyboard runs and dates). Every change is audited by ids only; no password is ever logged.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import User
from afternote.workflow import audit, two_factor, users
from afternote.workflow.actor import Actor
from afternote.workflow.errors import LoginFailed, LoginLocked, NotAllowed, NotFound, wait_text

MIN_LENGTH = 12
MIN_STRENGTH = 3  # zxcvbn's score, 0-4: 3 is "safely unguessable" against an offline attack on a slow hash


class WrongPassword(LoginFailed):
    """The password typed to confirm an act (signing) is not the signer's."""


def check_new_password(password: str, username: str) -> None:
    """InputError saying what to change when `password` does not meet the policy."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"A password needs at least {MIN_LENGTH} characters; a few unrelated words work well.")
    if len(password) > 1000:
        raise InputError("A password is at most 1000 characters.")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a broken client: it could never be typed again
        raise InputError("A password must be ordinary text; it holds characters that cannot be stored.") from None
    if len(username) >= 3 and username.lower() in password.lower():
        raise InputError("A password must not contain the username. Choose something else.")
    from zxcvbn import zxcvbn  # its word lists load on first use

    estimate = zxcvbn(password[:72], user_inputs=[username])  # its limit: longer ones are no weaker
    if estimate["score"] < MIN_STRENGTH:
        warning = estimate["feedback"]["warning"] or "It is easy to guess."
        raise InputError(f"That password is too easy to guess ({warning.rstrip('.')}). Add a few unrelated words.")


def confirm_password(db: Database, actor: Actor, password: str, source: str,
                     refused: str = "the note was not signed", code: str | None = None,
                     second_factor: bool = True) -> None:
    """The signed-in user's own password, typed again, and their authenticator's `code` when they have two-factor
    on; WrongPassword, CodeRequired or WrongCode, or LoginLocked while the account is locked after repeated
    failures (then nothing is checked, and the message says to wait or ask an owner).
    `refused` says what did not happen ("the note was not signed"); `second_factor` False asks the password only
    (changing it: the session already passed the code step)."""
    try:
        users.login(db, actor.username, password, source, user_id=actor.user_id)
    except LoginLocked as locked:
        wait = wait_text(locked.retry_after)
        raise LoginLocked(locked.retry_after, f"Your account is locked for now after repeated wrong passwords, so "
                          f"{refused}; no password was checked. Wait {wait} and try again, or ask an owner to "
                          "check the account.") from None
    except LoginFailed:
        raise WrongPassword(f"That password is not right; {refused}. Type your own password.") from None
    if not second_factor:
        return
    try:
        two_factor.confirm_code(db, actor, code, refused)
    except LoginLocked as locked:
        wait = wait_text(locked.retry_after)
        raise LoginLocked(locked.retry_after, f"Your account is locked for now after repeated wrong codes, so "
                          f"{refused}. Wait {wait} and try again, or ask an owner to check the account.") from None


def change_password(db: Database, actor: Actor, current: str, new: str, source: str,
                    keep_session: str | None = None) -> None:
    """Change your own password: the current one first, then the new one by the policy. Ends your sign-in sessions
    but `keep_session` (the one you changed it from: someone who knew the old password is signed out) and clears
    a reset's must-change mark."""
    confirm_password(db, actor, current, source, refused="the password was not changed", second_factor=False)
    check_new_password(new, actor.username)
    if new == current:
        raise InputError("The new password is the same as the current one. Choose a new one.")
    with db.session(write=True) as session:
        user = session.get(User, actor.user_id)
        user.password_hash = users.hash_password(new)
        user.must_change_password = False
        users.end_sign_ins(session, user.id, keep=keep_session)
        audit.record(session, actor, "password_change", "user", user.id)


def reset_password(db: Database, actor: Actor, user_id: str) -> str:
    """An owner's reset of another user's password: returns a one-time password, which the user must change at
    their next sign-in; their sign-in sessions end now."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can reset a password.")
    if user_id == actor.user_id:
        raise InputError("Change your own password with your current one (Settings, or `afternote user passwd`).")
    one_time = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    with db.session(write=True) as session:
        user = session.scalar(select(User).where(User.id == user_id, User.practice_id == actor.practice_id))
        if user is None:
            raise NotFound(f"No user {user_id} in this practice. `GET /api/v1/users` lists them.")
        user.password_hash = users.hash_password(one_time)
        user.must_change_password = True
        users.end_sign_ins(session, user.id)
        audit.record(session, actor, "password_reset", "user", user.id)
    return one_time


def must_change(db: Database, actor: Actor) -> bool:
    """Whether the user signed in with a one-time password and must choose their own before anything else."""
    with db.session() as session:
        return bool(session.scalar(select(User.must_change_password).where(User.id == actor.user_id)))
