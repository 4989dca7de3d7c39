"""First run: from this computer only, the first visit creates the practice and its first user (an owner), with
the data directory, key and database `afternote init` would make; then signs them in."""
from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool

from afternote.errors import AfternoteError, InputError
from afternote.web import auth
from afternote.web.deps import SameOrigin, SettingsDep, now, source_of
from afternote.web.pages.common import PageRoute, is_loopback, practice_ready, render, see_other
from afternote.workflow import setup, sign_in

router = APIRouter(route_class=PageRoute, include_in_schema=False)
_once = threading.Lock()  # two first visits at the same moment make one practice


def _initialize_once(settings, **kwargs) -> setup.Initialized:
    with _once:
        return setup.initialize(settings, **kwargs)


@router.get("/setup")
async def setup_page(request: Request):
    if await practice_ready(request):
        return see_other("/")
    return render(request, "first_run.html", None, status_code=200 if is_loopback(request) else 403,
                  local=is_loopback(request), error=None, form={})


@router.post("/setup", dependencies=[SameOrigin])
async def create_practice(request: Request, settings: SettingsDep,
                          practice: Annotated[str, Form(max_length=200)], display_name: Annotated[str, Form(max_length=200)],
                          username: Annotated[str, Form(max_length=100)], password: Annotated[str, Form(max_length=1000)],
                          password_again: Annotated[str, Form(max_length=1000)],
                          credentials: Annotated[str, Form(max_length=50)] = ""):
    if await practice_ready(request) or not is_loopback(request):
        return see_other("/")
    form = {"practice": practice, "display_name": display_name, "username": username, "credentials": credentials}
    try:
        if password != password_again:
            raise InputError("The two passwords differ. Type the same password twice.")
        done = await run_in_threadpool(_initialize_once, settings, practice=practice.strip() or "My practice",
                                       username=username.strip(), password=password,
                                       display_name=display_name.strip(), credentials=credentials.strip(),
                                       source=source_of(request))
    except AfternoteError as error:
        return render(request, "first_run.html", None, status_code=422, local=True, error=str(error), form=form)
    if done.owner is None:  # someone else finished the first run a moment ago
        request.app.state.db, request.app.state.not_ready = done.db, None
        return see_other("/sign-in")
    old, request.app.state.db = request.app.state.db, done.db
    request.app.state.not_ready = None
    if old is not None and old is not done.db:
        old.dispose()
    signed = await run_in_threadpool(sign_in.start, done.db, username.strip(), password, source=source_of(request),
                                     idle_default=settings.session_idle_minutes, now=now(request))
    response = see_other("/")
    auth.set_session_cookie(response, signed.secret)
    return response
