"""Settings: your name, credentials and licence number (as signed), your usual format; for the owner: the
practice's note deadline, inactivity period and treatment-plan review period, the letterhead and EHR-paste headings of its exports, and its
users (add one; change one's role or supervisor; deactivate or reactivate them)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from afternote import times
from afternote.errors import AfternoteError
from afternote.formats import available_formats, practice_formats
from afternote.records.models import ROLES
from afternote.web.api.fields import ID_PATTERN
from afternote.web.deps import CurrentCaller, DatabaseDep, SettingsDep, source_of
from afternote.web.pages.common import PageRoute, render, see_other
from afternote.workflow import notes, passwords, practice, sign_in, two_factor, users

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _formats(settings) -> dict[str, str]:
    return {key: fmt.name for key, fmt in available_formats(settings.formats_dir).items()}


def _page(request: Request, caller, db, settings, status_code: int = 200, **extra):
    actor = caller.actor
    context = {"practice": practice.settings_of(db, actor, deadline_default=settings.note_deadline_hours,
                                                idle_default=settings.session_idle_minutes),
               "usual_format": notes.usual_format(db, actor), "default_format": practice.default_format(db, actor),
               "formats": _formats(settings), "format_problems": practice_formats(settings.formats_dir)[1],
               "roles": ROLES, "error": None, "saved": None, "zones": sorted(times.available()),
               "licence_number": practice.licence_number(db, actor), "letterhead": practice.letterhead_of(db, actor),
               "users": users.list_users(db, actor) if actor.role == "owner" else [],
               "two_factor": two_factor.status(db, actor)}
    context.update(extra)
    return render(request, "settings.html", caller, status_code=status_code, **context)


@router.get("/settings")
def settings_page(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                  saved: Annotated[str | None, Query(max_length=20)] = None):
    return _page(request, caller, db, settings, saved=saved, must_change=caller.actor.must_change_password)


async def _apply(request, caller, db, settings, what: str, call, *args, **kwargs):
    try:
        await run_in_threadpool(call, *args, **kwargs)
    except AfternoteError as error:
        return _page(request, caller, db, settings, status_code=422, error=str(error))
    return see_other(f"/settings?saved={what}")


@router.post("/settings/profile")
async def save_profile(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                       display_name: Annotated[str, Form(max_length=200)],
                       credentials: Annotated[str, Form(max_length=50)] = "",
                       default_format: Annotated[str, Form(max_length=50)] = "",
                       licence_number: Annotated[str, Form(max_length=50)] = ""):
    return await _apply(request, caller, db, settings, "profile", practice.update_profile, db, caller.actor,
                        display_name=display_name, credentials=credentials, default_format=default_format,
                        known_formats=_formats(settings), licence_number=licence_number)


@router.post("/settings/password")
async def change_password(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                          current_password: Annotated[str, Form(max_length=1000)],
                          new_password: Annotated[str, Form(max_length=1000)],
                          repeat_password: Annotated[str, Form(max_length=1000)]):
    if new_password != repeat_password:
        return _page(request, caller, db, settings, status_code=422, must_change=caller.actor.must_change_password,
                     error="The two new passwords differ. Type the same new password twice.")
    try:
        await run_in_threadpool(passwords.change_password, db, caller.actor, current_password, new_password,
                                source_of(request), keep_session=sign_in.digest(caller.session_secret or ""))
    except AfternoteError as error:
        return _page(request, caller, db, settings, status_code=422, must_change=caller.actor.must_change_password,
                     error=str(error))
    return see_other("/settings?saved=password")


@router.post("/settings/users/{user_id}/password-reset")
async def reset_password(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                         user_id: Annotated[str, Path(pattern=ID_PATTERN)]):
    try:
        one_time = await run_in_threadpool(passwords.reset_password, db, caller.actor, user_id)
    except AfternoteError as error:
        return _page(request, caller, db, settings, status_code=422, error=str(error))
    username = next((u.username for u in users.list_users(db, caller.actor) if u.id == user_id), "")
    # shown once, on this response only: never in a URL, a log or the database
    return _page(request, caller, db, settings, one_time={"username": username, "password": one_time})


@router.post("/settings/practice")
async def save_practice(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                        note_deadline_hours: Annotated[int, Form(ge=1, le=720)],
                        session_idle_minutes: Annotated[int, Form(ge=1, le=720)],
                        plan_review_days: Annotated[int | None, Form(ge=1, le=practice.PLAN_REVIEW_MAX)] = None):
    return await _apply(request, caller, db, settings, "practice", practice.update_settings, db, caller.actor,
                        note_deadline_hours=note_deadline_hours, session_idle_minutes=session_idle_minutes,
                        plan_review_days=plan_review_days)


@router.post("/settings/time-zone")
async def save_time_zone(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                         time_zone: Annotated[str, Form(max_length=64)]):
    return await _apply(request, caller, db, settings, "time-zone", practice.set_time_zone, db, caller.actor,
                        time_zone)


@router.post("/settings/letterhead")
async def save_letterhead(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                          name: Annotated[str, Form(max_length=200)],
                          address: Annotated[str, Form(max_length=300)] = "",
                          phone: Annotated[str, Form(max_length=50)] = "",
                          npi: Annotated[str, Form(max_length=10)] = "",
                          paste_headings: Annotated[str, Form(max_length=10)] = "plain"):
    return await _apply(request, caller, db, settings, "letterhead", practice.update_letterhead, db, caller.actor,
                        name=name, address=address, phone=phone, npi=npi, paste_headings=paste_headings)


@router.post("/settings/users")
async def add_user(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                   username: Annotated[str, Form(max_length=100)], display_name: Annotated[str, Form(max_length=200)],
                   password: Annotated[str, Form(max_length=1000)], role: Annotated[str, Form(max_length=20)],
                   credentials: Annotated[str, Form(max_length=50)] = "",
                   supervisor: Annotated[str, Form(max_length=100)] = ""):
    return await _apply(request, caller, db, settings, "user", users.add_user, db, caller.actor,
                        username=username.strip(), password=password, display_name=display_name.strip(), role=role,
                        credentials=credentials.strip(), supervisor=supervisor.strip() or None, temporary=True)


@router.post("/settings/users/{user_id}")
async def change_user(request: Request, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                      user_id: Annotated[str, Path(pattern=ID_PATTERN)], role: Annotated[str, Form(max_length=20)],
                      active: Annotated[Literal["yes", "no"], Form()],
                      supervisor: Annotated[str, Form(max_length=100)] = ""):
    return await _apply(request, caller, db, settings, "user", users.update_user, db, caller.actor, user_id,
                        role=role, supervisor=supervisor.strip() or None, active=active == "yes")
