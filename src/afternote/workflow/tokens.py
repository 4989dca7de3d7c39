"""API tokens for scripts and other systems: shown once, stored as a SHA-256, revocable at once.

A token acts as its user (same role, same scope). Its secret has 256 bits of randomness, so a plain SHA-256 is
enough to make the stored copy useless; there is no password to stretch.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import ApiToken, User, new_id, utcnow
from afternote.workflow import audit, users
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotFound, NotSignedIn

PREFIX = "afn_"
TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class TokenView:
    id: str
    name: str
    user_id: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _view(t: ApiToken) -> TokenView:
    return TokenView(t.id, t.name, t.user_id, t.created_at, t.last_used_at, t.revoked_at)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(db: Database, actor: Actor, name: str) -> tuple[TokenView, str]:
    """A new token for the caller; returns it and its secret, which is shown this once and never again."""
    if not name.strip() or len(name) > 100:
        raise InputError("A token needs a name of 1 to 100 characters (say what script uses it).")
    secret = PREFIX + secrets.token_urlsafe(32)
    with db.session(write=True) as session:
        token = ApiToken(id=new_id(), practice_id=actor.practice_id, user_id=actor.user_id, name=name.strip(),
                         token_sha256=_digest(secret), created_at=utcnow())
        session.add(token)
        audit.record(session, actor, "token_create", "token", token.id)
        return _view(token), secret


def _scope(actor: Actor):
    query = select(ApiToken).where(ApiToken.practice_id == actor.practice_id)
    return query if actor.role == "owner" else query.where(ApiToken.user_id == actor.user_id)


def list_tokens(db: Database, actor: Actor) -> list[TokenView]:
    """The caller's tokens (an owner: the practice's), newest first; never their secrets."""
    with db.session() as session:
        return [_view(t) for t in session.scalars(_scope(actor).order_by(ApiToken.created_at.desc())).all()]


def revoke(db: Database, actor: Actor, token_id: str) -> TokenView:
    """Revoke one of the caller's tokens (an owner: any of the practice's); it stops working at once."""
    with db.session(write=True) as session:
        token = session.scalar(_scope(actor).where(ApiToken.id == token_id))
        if token is None:
            raise NotFound(f"No token {token_id} that you can see. `GET /api/v1/tokens` lists yours.")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            audit.record(session, actor, "token_revoke", "token", token.id)
        return _view(token)


def actor_for_token(db: Database, secret: str, *, source: str, now: dt.datetime | None = None) -> Actor:
    """The user a token acts as; NotSignedIn if it is unknown or revoked, or its user is deactivated."""
    now = now or utcnow()
    with db.session() as session:
        found = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                                .where(ApiToken.token_sha256 == _digest(secret))).first()
        if found is None or found[0].revoked_at is not None or not found[1].active:
            raise NotSignedIn("This API token is unknown or was revoked. Create a new one after signing in.")
        token, user = found
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        with db.session(write=True) as session:
            session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return users.actor_for(user, source)
