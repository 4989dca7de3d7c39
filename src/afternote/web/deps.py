"""Typed dependencies: routes declare what they need in their signature.

- `DatabaseDep`: the records `Database` (the services open their own unit of work per call).
- `CurrentCaller` / `CurrentActor`: who is calling, from a bearer API token or the session cookie; a
  cookie-authenticated unsafe request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token (header
  `X-CSRF-Token`, or form field `csrf_token` for the HTML pages; see auth.py), else 403; a read-only token's
  unsafe request is 403 too.
- `SameOrigin`: forms sent before there is a session (sign-in, first-run setup) must come from our own pages.
Authorization itself is the service layer's (workflow/access.py): a route never decides who may see what.
"""
from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from afternote.config import Settings
from afternote.records.database import Database
from afternote.records.errors import DatabaseError
from afternote.web.auth import COOKIE, CSRF_FIELD, CSRF_HEADER
from afternote.web.proxies import client_address, is_trusted_proxy
from afternote.workflow import sign_in, tokens
from afternote.workflow.actor import Actor
from afternote.workflow.errors import EnrolmentRequired, NotAllowed, NotSignedIn, PasswordChangeRequired

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(auto_error=False, description="An API token (POST /api/v1/tokens), shown once.")
cookie_scheme = APIKeyCookie(name=COOKIE, auto_error=False,
                             description="The session cookie set by POST /api/v1/session.")


def get_db(request: Request) -> Database:
    """The records database, refused (503) while its key is missing or does not open its records: nothing is
    read or written under a wrong key."""
    db, reason = request.app.state.db, request.app.state.not_ready
    if db is None and reason is not None and not request.app.state.settings.fresh:  # e.g. a missing key file
        raise type(reason)(str(reason))
    if db is None:  # a fresh data directory: the first visit to / from this computer sets the practice up
        raise DatabaseError("afternote is not set up yet: open the start page from this computer to create the "
                            "practice, or run `afternote init`.")
    db.check_key()  # once per database when it passes
    return db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def now(request: Request) -> dt.datetime:
    return request.app.state.clock()


def source_of(request: Request) -> str:
    """Where a call came from, for the audit trail: the interface and the client's address."""
    return f"web:{client_address(request)}"[:100]


DatabaseDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


@dataclass(frozen=True)
class Caller:
    actor: Actor
    via: str  # "token" or "session"
    csrf_token: str | None = None
    session_secret: str | None = None


async def _check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)  # the form is cached: the route can read it again
    if not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise NotAllowed("This change was refused: it did not carry the page's security token (CSRF). Reload "
                         "the page and try again; scripts should use an API token instead of the cookie.")


# what someone signed in with an owner's one-time password may still do: choose their own, or sign out
_WHILE_MUST_CHANGE = {"/settings", "/settings/password", "/sign-out", "/still-here", "/api/v1/users/me/password",
                      "/api/v1/session"}


# what someone the practice requires two-factor of, who has none yet, may still do: enrol, or sign out
_WHILE_ENROLLING = {"/settings/two-factor", "/sign-out", "/still-here", "/api/v1/session",
                    "/api/v1/users/me/two-factor", "/api/v1/users/me/two-factor/confirmation"}


def _require_own_password(request: Request, actor: Actor) -> None:
    if actor.must_change_password and request.url.path not in _WHILE_MUST_CHANGE:
        raise PasswordChangeRequired("Your password was reset by an owner: choose your own password first "
                                     "(Settings, or POST /api/v1/users/me/password).")
    if actor.must_enrol_two_factor and request.url.path not in _WHILE_ENROLLING:
        raise EnrolmentRequired("The practice requires two-factor sign-in: turn it on first (Settings, "
                                "Two-factor sign-in, or POST /api/v1/users/me/two-factor).")


async def current_caller(request: Request, db: DatabaseDep, settings: SettingsDep,
                         bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
                         cookie: Annotated[str | None, Depends(cookie_scheme)]) -> Caller:
    at, source = now(request), source_of(request)
    if bearer is not None:  # a bad token never falls back to the cookie
        actor = await run_in_threadpool(tokens.actor_for_token, db, bearer.credentials, source=source, now=at)
        request.state.actor = actor  # for the audit of a refusal (web/refusals.py)
        if actor.read_only and request.method not in SAFE_METHODS:
            raise NotAllowed("This API token is read-only: it cannot change anything. Create a token without "
                             "read_only for a script that writes.")
        _require_own_password(request, actor)
        return Caller(actor, "token")
    if cookie:
        resumed = await run_in_threadpool(sign_in.resume, db, cookie, source=source,
                                          idle_default=settings.session_idle_minutes,
                                          max_hours=settings.session_max_hours, now=at)
        request.state.actor = resumed.actor
        if request.method not in SAFE_METHODS:
            await _check_csrf(request, resumed.csrf_token)
        _require_own_password(request, resumed.actor)
        return Caller(resumed.actor, "session", resumed.csrf_token, cookie)
    raise NotSignedIn("Sign in first: POST /api/v1/session with your username and password, or send an API "
                      "token as `Authorization: Bearer <token>`.")


def require_same_origin(request: Request) -> None:
    """Refuse a form sent from another site before there is a session to carry a CSRF token (login CSRF: a page
    elsewhere signing the visitor in as someone else). Browsers say where a request came from in Sec-Fetch-Site,
    and older ones in Origin (which is "null" from our own pages: they send no referrer); a script sends neither."""
    fetch_site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if fetch_site is not None:
        cross = fetch_site in ("cross-site", "same-site")
    elif origin is not None and origin != "null":
        hosts = {request.headers.get("host", "").lower()}
        if is_trusted_proxy(request):  # a proxy that rewrites Host says the original one here
            hosts.add(request.headers.get("x-forwarded-host", "").lower())
        cross = urlsplit(origin).netloc.lower() not in hosts - {""}
    else:
        cross = False
    if cross:
        raise NotAllowed("This form was sent from another site, so it was refused. Open afternote's own page "
                         "and sign in there.")


def current_actor(caller: Annotated[Caller, Depends(current_caller)]) -> Actor:
    return caller.actor


CurrentCaller = Annotated[Caller, Depends(current_caller)]
CurrentActor = Annotated[Actor, Depends(current_actor)]
SameOrigin = Depends(require_same_origin)
