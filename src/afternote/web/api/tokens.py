"""API tokens for scripts: created (the secret is shown once), listed, revoked."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from afternote.web.api.fields import UtcDateTime
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, DatabaseDep, SettingsDep, now
from afternote.web.problems import responses
from afternote.workflow import tokens

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=responses(401, 403))


class TokenBody(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What uses it, e.g. 'billing export script'.")
    read_only: bool = Field(default=False, description="Reads only: any change it attempts is refused (403).")
    expires_in_days: int | None = Field(default=None, ge=1, le=3650, description=(
        "Days until it stops working; default: the server's token_days setting (90)."))


class TokenOut(BaseModel):
    id: str
    name: str
    user_id: str
    created_at: UtcDateTime
    last_used_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    expires_at: UtcDateTime | None
    read_only: bool


class NewToken(BaseModel):
    token: TokenOut
    secret: str = Field(description="Send as `Authorization: Bearer <secret>`. Shown this once only.")


def _out(view: tokens.TokenView) -> TokenOut:
    return TokenOut.model_validate(view, from_attributes=True)


@router.post("", status_code=201, responses=responses(422))
def create_token(body: TokenBody, actor: CurrentActor, db: DatabaseDep, settings: SettingsDep,
                 request: Request) -> NewToken:
    """A new token; only with a password sign-in (the session cookie), never with another token (403)."""
    view, secret = tokens.create(db, actor, body.name, read_only=body.read_only,
                                 days=body.expires_in_days or settings.token_days, now=now(request))
    return NewToken(token=_out(view), secret=secret)


@router.get("")
def list_tokens(actor: CurrentActor, db: DatabaseDep, page: PageDep) -> Page[TokenOut]:
    """Your tokens (an owner: the practice's), never their secrets."""
    return paginate(tokens.list_tokens(db, actor), page, _out)


@router.delete("/{token_id}", responses=responses(404, 422))
def revoke_token(token_id: str, actor: CurrentActor, db: DatabaseDep) -> TokenOut:
    """Revoke a token: it stops working at once."""
    return _out(tokens.revoke(db, actor, token_id))
