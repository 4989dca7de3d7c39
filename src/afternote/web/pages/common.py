"""What every page shares: the templates, the page route (errors become pages, not JSON), rendering.

A page route that meets a service-layer error shows it as a page with the same status the API would give; a
request from our script (header `X-Requested-With: afternote`) gets `{"error": message}` JSON instead. Not signed in
(or signed out for inactivity) redirects to the sign-in page; a practice with no users yet, to the first-run page.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.concurrency import run_in_threadpool

from afternote import times
from afternote.errors import AfternoteError
from afternote.web.deps import Caller
from afternote.web.problems import status_of
from afternote.web.proxies import client_address
from afternote.web.refusals import audit_refusal
from afternote.workflow import practice, setup
from afternote.workflow.errors import EnrolmentRequired, NotSignedIn, PasswordChangeRequired

TEMPLATES = Path(__file__).parent.parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))
FETCH_HEADER = "X-Requested-With"
FETCH_VALUE = "afternote"


@pass_context
def _when(context, value: dt.datetime | dt.date | None, pattern: str = times.WHEN, label: bool | None = None) -> str:
    """`{{ moment|when }}`: a stored (UTC) moment in the practice's zone, which render() puts in every page."""
    return times.when(value, context.get("time_zone") or "UTC", pattern, label=label)


def _overdue_by(due: dt.datetime, now: dt.datetime) -> str:
    late = now - due
    hours = int(late.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{max(hours, 0)} h {int(late.seconds % 3600 // 60)} min"


templates.env.filters["when"] = _when
templates.env.globals["overdue_by"] = _overdue_by


def wants_json(request: Request) -> bool:
    return request.headers.get(FETCH_HEADER) == FETCH_VALUE


def is_loopback(request: Request) -> bool:
    host = client_address(request)  # behind a trusted proxy, the address it saw, not the proxy's own
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


async def practice_ready(request: Request) -> bool:
    """The records database is open, migrated and has a user (cached once true)."""
    state = request.app.state
    if getattr(state, "pages_ready", False):
        return True
    db = getattr(state, "db", None)
    if db is None:
        return False
    try:
        await run_in_threadpool(db.check)
        state.pages_ready = await run_in_threadpool(setup.has_users, db)
    except AfternoteError:
        return False
    return state.pages_ready


def unusable_records(request: Request) -> AfternoteError | None:
    """Why records that exist cannot be opened (a missing or wrong key, say); None on a first run."""
    state = request.app.state
    if state.not_ready is None or state.settings.fresh:
        return None
    if state.db is not None:
        try:
            state.db.check_key()
        except AfternoteError as error:
            return error
        return None  # the key is right; what else is wrong (not migrated, no users) the first run says
    return state.not_ready


def error_page(request: Request, error: AfternoteError) -> Response:
    status, _slug, title = status_of(error)
    if wants_json(request):
        return JSONResponse({"error": str(error), "title": title}, status_code=status)
    return templates.TemplateResponse(request, "error.html", {"title": title, "message": str(error),
                                                              "caller": None}, status_code=status)


class PageRoute(APIRoute):
    """An HTML page: errors (dependencies' included) become pages or redirects."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()
        path = self.path

        async def page(request: Request) -> Response:
            if not path.startswith("/static") and not await practice_ready(request):
                refused = unusable_records(request)
                if refused is not None:  # records without their key are never offered a first run
                    return error_page(request, refused)
                if path != "/setup":
                    return RedirectResponse("/setup", status_code=303)
            try:
                return await handler(request)
            except NotSignedIn as error:
                if wants_json(request):
                    return JSONResponse({"error": str(error), "signed_out": True}, status_code=401)
                target = request.url.path  # ids only: no health data ever rides in a URL
                return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)
            except PasswordChangeRequired:
                return RedirectResponse("/settings?must_change=1#password", status_code=303)
            except EnrolmentRequired:
                return RedirectResponse("/settings/two-factor", status_code=303)
            except AfternoteError as error:
                await audit_refusal(request, error)
                return error_page(request, error)

        return page


def render(request: Request, name: str, caller: Caller | None, status_code: int = 200, **context) -> Response:
    """A full page; `caller` fills the header (who is signed in, the CSRF token, the inactivity period) and the
    practice's time zone, which every time on the page is shown in."""
    idle, zone = None, "UTC"
    if caller is not None:
        settings = request.app.state.settings
        chosen = practice.settings_of(request.app.state.db, caller.actor,
                                      deadline_default=settings.note_deadline_hours,
                                      idle_default=settings.session_idle_minutes)
        idle, zone = chosen.session_idle_minutes, chosen.time_zone
    return templates.TemplateResponse(request, name, {"caller": caller, "actor": caller.actor if caller else None,
                                                      "csrf": caller.csrf_token if caller else None,
                                                      "idle_minutes": idle, "time_zone": zone, **context},
                                      status_code=status_code)


def fragment(request: Request, name: str, **context) -> str:
    """A part of a page (for our script's partial updates)."""
    return templates.get_template(name).render({"request": request, **context})


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
