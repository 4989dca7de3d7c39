"""API tokens for scripts and other systems: shown once, stored as a SHA-256, revocable at once, expiring.

A token acts as its user (same role, same scope), or with `read_only` reads only. Only someone signed in with
their password creates tokens: a token cannot make another (a stolen one would otherwise outlive its revocation).
Each expires (default: the `token_days` setting, 90). Its secret has 256 bits of randomness, so a plain SHA-256
is enough to make the stored copy useless; there is no password to stretch. Its name, in the user's own words, is
encrypted like health data: people write who a script is for.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from afternote.records.database import Database
from afternote.records.models import ApiToken, User, new_id, utcnow
from afternote.workflow import audit, names, two_factor, users
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotAllowed, NotFound, NotSignedIn

PREFIX = "afn_"
TOUCH_EVERY = dt.timedelta(seconds=60)
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class TokenView:
    id: str
    name: str
    user_id: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None
    read_only: bool


def _name(db: Database, t: ApiToken) -> str:
    if t.name_enc is None:  # made before names were encrypted (moved into encryption at its next use)
        return t.name or ""
    return db.keyring.decrypt(t.name_enc, "api_tokens", "name_enc", t.id)


def _view(db: Database, t: ApiToken) -> TokenView:
    return TokenView(t.id, _name(db, t), t.user_id, t.created_at, t.last_used_at, t.revoked_at, t.expires_at,
                     bool(t.read_only))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(db: Database, actor: Actor, name: str, *, read_only: bool = False, days: int = DEFAULT_DAYS,
           now: dt.datetime | None = None) -> tuple[TokenView, str]:
    """A new token for the caller, signed in with their password; returns it and its secret, which is shown this
    once and never again. It expires after `days`; `read_only` tokens cannot change anything."""
    if actor.token_id is not None:
        raise NotAllowed("An API token cannot create tokens. Sign in with your password (the Settings page, or "
                         "POST /api/v1/session) and create the token there.")
    name = names.token_name(name)
    now = now or utcnow()
    secret = PREFIX + secrets.token_urlsafe(32)
    with db.session(write=True) as session:
        token_id = new_id()
        token = ApiToken(id=token_id, practice_id=actor.practice_id, user_id=actor.user_id,
                         name_enc=db.keyring.encrypt(name, "api_tokens", "name_enc", token_id), read_only=read_only,
                         token_sha256=_digest(secret), created_at=now, expires_at=now + dt.timedelta(days=days))
        session.add(token)
        audit.record(session, actor, "token_create", "token", token.id)
        return _view(db, token), secret


def _scope(actor: Actor):
    query = select(ApiToken).where(ApiToken.practice_id == actor.practice_id)
    return query if actor.role == "owner" else query.where(ApiToken.user_id == actor.user_id)


def list_tokens(db: Database, actor: Actor) -> list[TokenView]:
    """The caller's tokens (an owner: the practice's), newest first; never their secrets."""
    with db.session() as session:
        return [_view(db, t) for t in session.scalars(_scope(actor).order_by(ApiToken.created_at.desc())).all()]


def revoke(db: Database, actor: Actor, token_id: str) -> TokenView:
    """Revoke one of the caller's tokens (an owner: any of the practice's); it stops working at once."""
    with db.session(write=True) as session:
        token = session.scalar(_scope(actor).where(ApiToken.id == token_id))
        if token is None:
            raise NotFound(f"No token {token_id} that you can see. `GET /api/v1/tokens` lists yours.")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            audit.record(session, actor, "token_revoke", "token", token.id)
        return _view(db, token)


def actor_for_token(db: Database, secret: str, *, source: str, now: dt.datetime | None = None) -> Actor:
    """The user a token acts as (with the token's id and scope); NotSignedIn if it is unknown, revoked or expired,
    or its user is deactivated."""
    now = now or utcnow()
    with db.session() as session:
        found = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                                .where(ApiToken.token_sha256 == _digest(secret))).first()
        if found is None or found[0].revoked_at is not None or not found[1].active:
            raise NotSignedIn("This API token is unknown or was revoked. Create a new one after signing in.")
        token, user = found
        must_enrol = user.two_factor_on_at is None and two_factor.practice_requires(session, user.practice_id)
    if token.expires_at is not None and now >= token.expires_at:
        raise NotSignedIn(f"This API token expired on {token.expires_at:%Y-%m-%d}. Sign in with your password and "
                          "create a new one (Settings, or POST /api/v1/tokens).")
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY or token.name is not None:
        values: dict = {"last_used_at": now}
        if token.name is not None:  # an old plain-text name goes into encryption
            values |= {"name": None, "name_enc": db.keyring.encrypt(token.name, "api_tokens", "name_enc", token.id)}
        with db.session(write=True) as session:
            session.execute(update(ApiToken).where(ApiToken.id == token.id).values(**values))
    return dataclasses.replace(users.actor_for(user, source), token_id=token.id, read_only=bool(token.read_only),
                               must_enrol_two_factor=must_enrol)
