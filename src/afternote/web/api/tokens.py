"""API tokens for scripts: created (the secret is shown once), listed, revoked."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel, Field

from afternote.web.api.fields import UtcDateTime
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import tokens

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=responses(401, 403))


class TokenBody(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What uses it, e.g. 'billing export script'.")


class TokenOut(BaseModel):
    id: str
    name: str
    user_id: str
    created_at: UtcDateTime
    last_used_at: UtcDateTime | None
    revoked_at: UtcDateTime | None


class NewToken(BaseModel):
    token: TokenOut
    secret: str = Field(description="Send as `Authorization: Bearer <secret>`. Shown this once only.")


def _out(view: tokens.TokenView) -> TokenOut:
    return TokenOut.model_validate(view, from_attributes=True)


@router.post("", status_code=201, responses=responses(422))
def create_token(body: TokenBody, actor: CurrentActor, db: DatabaseDep) -> NewToken:
    view, secret = tokens.create(db, actor, body.name)
    return NewToken(token=_out(view), secret=secret)


@router.get("")
def list_tokens(actor: CurrentActor, db: DatabaseDep, page: PageDep) -> Page[TokenOut]:
    """Your tokens (an owner: the practice's), never their secrets."""
    return paginate(tokens.list_tokens(db, actor), page, _out)


@router.delete("/{token_id}", responses=responses(404, 422))
def revoke_token(token_id: str, actor: CurrentActor, db: DatabaseDep) -> TokenOut:
    """Revoke a token: it stops working at once."""
    return _out(tokens.revoke(db, actor, token_id))
