"""Settings, Two-factor sign-in: turn it on (scan the QR code or type the secret, then a current code; the
recovery codes are shown once), see it is on, turn it off (password and code). For the owner, on Settings:
require it of the practice, reset a user's."""
from __future__ import annotations

from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Form, Path, Request
from starlette.concurrency import run_in_threadpool

from afternote.errors import AfternoteError
from afternote.web.api.fields import ID_PATTERN
from afternote.web.deps import CurrentCaller, DatabaseDep, now, source_of
from afternote.web.pages.common import PageRoute, render, see_other
from afternote.workflow import two_factor

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def qr_svg(uri: str) -> str:
    """The otpauth address as an inline SVG QR code (segno: no image library, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=4, svgclass="qr-code", omitsize=False)


def _page(request: Request, caller, db, status_code: int = 200, **extra):
    state = two_factor.status(db, caller.actor)
    context = {"state": state, "error": None, "recovery_codes": None, "enrolment": None, "qr": None}
    if not state.on:
        enrolment = two_factor.begin_enrolment(db, caller.actor)
        context |= {"enrolment": enrolment, "grouped": two_factor.grouped(enrolment.secret),
                    "qr": qr_svg(enrolment.uri)}
    context.update(extra)
    return render(request, "two_factor.html", caller, status_code=status_code, **context)


@router.get("/settings/two-factor")
def two_factor_page(request: Request, caller: CurrentCaller, db: DatabaseDep):
    return _page(request, caller, db)


@router.post("/settings/two-factor")
async def turn_on(request: Request, caller: CurrentCaller, db: DatabaseDep,
                  code: Annotated[str, Form(max_length=50)]):
    try:
        codes = await run_in_threadpool(two_factor.confirm_enrolment, db, caller.actor, code, now(request))
    except AfternoteError as error:
        return _page(request, caller, db, status_code=422, error=str(error))
    # shown once, on this response only: stored as hashes, never in a URL or a log
    return _page(request, caller, db, recovery_codes=codes)


@router.post("/settings/two-factor/off")
async def turn_off(request: Request, caller: CurrentCaller, db: DatabaseDep,
                   password: Annotated[str, Form(max_length=1000)], code: Annotated[str, Form(max_length=50)]):
    try:
        await run_in_threadpool(two_factor.disable, db, caller.actor, password, code, source_of(request))
    except AfternoteError as error:
        return _page(request, caller, db, status_code=422, error=str(error))
    return see_other("/settings?saved=two-factor-off")


@router.post("/settings/two-factor/requirement")
async def require(caller: CurrentCaller, db: DatabaseDep, required: Annotated[Literal["yes", "no"], Form()]):
    await run_in_threadpool(two_factor.set_required, db, caller.actor, required == "yes")
    return see_other("/settings?saved=two-factor-requirement#two-factor-practice")


@router.post("/settings/users/{user_id}/two-factor-reset")
async def reset(caller: CurrentCaller, db: DatabaseDep, user_id: Annotated[str, Path(pattern=ID_PATTERN)]):
    await run_in_threadpool(two_factor.reset, db, caller.actor, user_id)
    return see_other("/settings?saved=two-factor-reset#two-factor-practice")
