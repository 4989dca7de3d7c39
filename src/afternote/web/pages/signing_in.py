"""Sign in with a password (then, with two-factor on, the code), sign out (a button, or our script when the
inactivity period runs out)."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Cookie, Form, Query, Request
from starlette.concurrency import run_in_threadpool

from afternote.web import auth
from afternote.web.deps import CurrentCaller, DatabaseDep, SameOrigin, SettingsDep, now, source_of
from afternote.web.pages.common import PageRoute, render, see_other
from afternote.workflow import sign_in
from afternote.workflow.errors import LoginFailed, NotSignedIn

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only our own paths (never another site: an open redirect would serve phishing)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/sign-in")
def sign_in_page(request: Request, next: Annotated[str | None, Query(max_length=300)] = None,
                 reason: Annotated[str | None, Query(max_length=20)] = None):
    return render(request, "sign_in.html", None, next=_safe_next(next), error=None, reason=reason, username="")


@router.post("/sign-in", dependencies=[SameOrigin])
async def sign_in_submit(request: Request, db: DatabaseDep, settings: SettingsDep,
                         username: Annotated[str, Form(max_length=100)], password: Annotated[str, Form(max_length=1000)],
                         next: Annotated[str, Form(max_length=300)] = "/"):
    try:
        signed = await run_in_threadpool(sign_in.start, db, username, password, source=source_of(request),
                                         idle_default=settings.session_idle_minutes, now=now(request))
    except LoginFailed as error:
        status = 429 if getattr(error, "retry_after", None) else 401
        return render(request, "sign_in.html", None, status_code=status, next=_safe_next(next), error=str(error),
                      reason=None, username=username)
    # with two-factor on the cookie holds a pending sign-in only: it opens nothing until the code is right
    response = see_other(f"/sign-in/code?next={quote(_safe_next(next))}" if signed.pending else _safe_next(next))
    auth.set_session_cookie(response, signed.secret)
    return response


PendingCookie = Annotated[str | None, Cookie(alias=auth.COOKIE, max_length=200)]


@router.get("/sign-in/code")
def code_page(request: Request, pending: PendingCookie = None,
              next: Annotated[str | None, Query(max_length=300)] = None):
    if not pending:
        return see_other("/sign-in")
    return render(request, "sign_in_code.html", None, next=_safe_next(next), error=None)


@router.post("/sign-in/code", dependencies=[SameOrigin])
async def code_submit(request: Request, db: DatabaseDep, settings: SettingsDep,
                      code: Annotated[str, Form(max_length=50)], pending: PendingCookie = None,
                      next: Annotated[str, Form(max_length=300)] = "/"):
    try:
        signed = await run_in_threadpool(sign_in.complete, db, pending or "", code, source=source_of(request),
                                         idle_default=settings.session_idle_minutes, now=now(request))
    except NotSignedIn as error:  # waited too long, or never started: back to the password
        response = render(request, "sign_in.html", None, status_code=401, next=_safe_next(next), error=str(error),
                          reason=None, username="")
        auth.clear_session_cookie(response)
        return response
    except LoginFailed as error:  # a wrong or used code, or the account delayed: the message says which
        status = 429 if getattr(error, "retry_after", None) else 401
        return render(request, "sign_in_code.html", None, status_code=status, next=_safe_next(next),
                      error=str(error))
    response = see_other(_safe_next(next))
    auth.set_session_cookie(response, signed.secret)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, caller: CurrentCaller, db: DatabaseDep,
                   reason: Annotated[str | None, Form(max_length=20)] = None):
    if caller.session_secret:
        await run_in_threadpool(sign_in.end, db, caller.session_secret, caller.actor, now(request))
    response = see_other("/sign-in?reason=idle" if reason == "idle" else "/sign-in?reason=signed-out")
    auth.clear_session_cookie(response)
    return response


@router.post("/still-here")
def still_here(caller: CurrentCaller):
    """Our script's 'Stay signed in': resuming the session (the dependency) is the whole point."""
    return {"ok": True}
