"""Sign in with a password (a server-side session in a cookie), see who is signed in, sign out."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from afternote.web import auth
from afternote.web.deps import CurrentCaller, DatabaseDep, SameOrigin, SettingsDep, now, source_of
from afternote.web.problems import responses
from afternote.workflow import practice, sign_in
from afternote.workflow.actor import Actor

router = APIRouter(prefix="/session", tags=["session"])


class SignInBody(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)
    code: str | None = Field(default=None, max_length=50, description="With two-factor sign-in on: the six digits "
                             "your authenticator app shows now, or an unused recovery code. Without it the right "
                             "password is refused (401, second-factor-required) and opens no session.")


class Me(BaseModel):
    user_id: str
    username: str
    display_name: str
    role: str
    credentials: str


class SessionOut(BaseModel):
    user: Me
    via: str = Field(description="session (cookie) or token")
    csrf_token: str | None = Field(description="Send as X-CSRF-Token on changes made with the cookie.")
    idle_minutes: int | None = Field(default=None, description="Signed out after this long without activity.")
    time_zone: str | None = Field(default=None, description="The practice's IANA zone (America/New_York), to show "
                                  "the API's UTC times as the pages do.")


def me(actor: Actor) -> Me:
    return Me(user_id=actor.user_id, username=actor.username, display_name=actor.display_name, role=actor.role,
              credentials=actor.credentials)


@router.post("", status_code=201, responses=responses(401, 403, 422, 429, 503), dependencies=[SameOrigin])
def sign_in_with_password(body: SignInBody, request: Request, response: Response, db: DatabaseDep,
                          settings: SettingsDep) -> SessionOut:
    """Sign in: sets the HttpOnly session cookie and returns the CSRF token. Every attempt is audited; past a few
    failures each attempt for the username (or from the address) must wait longer (429 with Retry-After); 503
    while the server is busy checking other passwords; 403 when sent from another site's page. With two-factor on,
    `code` is needed too: a wrong or already used one is 401 and counts like a wrong password."""
    signed = sign_in.start(db, body.username, body.password, source=source_of(request), code=body.code,
                           allow_pending=False, idle_default=settings.session_idle_minutes, now=now(request))
    auth.set_session_cookie(response, signed.secret)
    return SessionOut(user=me(signed.actor), via="session", csrf_token=signed.csrf_token,
                      idle_minutes=signed.idle_minutes, time_zone=practice.time_zone_of(db, signed.actor))


@router.get("", responses=responses(401))
def who_am_i(caller: CurrentCaller, db: DatabaseDep) -> SessionOut:
    """The signed-in user, (for the cookie) the CSRF token, and the practice's time zone."""
    return SessionOut(user=me(caller.actor), via=caller.via, csrf_token=caller.csrf_token,
                      time_zone=practice.time_zone_of(db, caller.actor))


@router.delete("", status_code=204, responses=responses(401, 403))
def sign_out(caller: CurrentCaller, db: DatabaseDep, request: Request, response: Response) -> None:
    """Sign out: the session ends on the server and the cookie is cleared (an API token stays valid)."""
    if caller.session_secret:
        sign_in.end(db, caller.session_secret, caller.actor, now(request))
    auth.clear_session_cookie(response)
