"""Write a note on one screen: the appointment, the key points (autosaved), the draft beside them with where each
sentence came from, the findings; edit sections in place (a stale save is shown as a conflict, never lost), switch
format, copy, print; sign with the password; then only addenda. A supervisor co-signs, or returns the note to its
author with a comment, which the author answers with an addendum.

Every form posts and works without our script; the script sends the same forms with `X-Requested-With` and gets
JSON (the new version and an HTML fragment) instead of a redirect.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from afternote.errors import AfternoteError, InputError
from afternote.formats import available_formats
from afternote.session import Modality, Service
from afternote.web.charts import objective_charts
from afternote.web.deps import CurrentActor, CurrentCaller, DatabaseDep, SettingsDep, source_of
from afternote.web.problems import status_of
from afternote.web.pages.common import PageRoute, fragment, render, see_other, wants_json
from afternote.workflow import clients, note_goals, notes, passwords, practice, supervision
from afternote.workflow.errors import KeyPointsConflict, LoginFailed, StaleVersion
from afternote.web.pages.clients import MODALITIES, SERVICES

router = APIRouter(route_class=PageRoute, include_in_schema=False)
log = logging.getLogger("afternote.web")
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
KeyPoints = Annotated[str, Form(max_length=20_000)]
Version = Annotated[int, Form(ge=1, le=1_000_000)]
Revision = Annotated[int, Form(ge=1, le=1_000_000)]  # the key points' revision the page was based on
FormatKey = Annotated[str, Form(pattern=r"^[A-Za-z0-9_-]{1,50}$")]


def segments(text: str, spans) -> list[tuple[int, int, str]]:
    """The key points cut at every source span's edges, so a sentence can light up exactly its sources."""
    cuts = {0, len(text)}
    for start, end in spans:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    edges = sorted(cuts)
    return [(a, b, text[a:b]) for a, b in zip(edges, edges[1:]) if b > a]


def _draft_context(view: notes.NoteView) -> dict:
    drafted_from = view.content.get("key_points", view.key_points)
    spans = [tuple(s) for sec in view.content["sections"] for sen in sec.get("sentences", [])
             for s in sen.get("sources", [])]
    unsupported = sum(not sen.get("supported", True) for sec in view.content["sections"]
                      for sen in sec.get("sentences", []))
    return {"note": view, "content": view.content, "drafted_from": segments(drafted_from, spans),
            "unsupported": unsupported}


def _formats(settings) -> dict[str, str]:
    return {key: fmt.name for key, fmt in available_formats(settings.formats_dir).items()}


def _write_page(request: Request, caller, db, settings, appointment_id: str, view: notes.NoteView | None,
                status_code: int = 200, **extra):
    actor = caller.actor
    appointment = clients.show_appointment(db, actor, appointment_id)
    client = clients.show_client(db, actor, appointment.client_id)
    formats = _formats(settings)
    if view is not None:
        fmt = view.format
    else:  # the clinician's chosen default, else their usual format (a default since removed falls back too)
        fmt = notes.starting_format(db, actor)
        fmt = fmt if fmt in formats else notes.usual_format(db, actor)
    context = {"appointment": appointment, "client": client, "formats": formats, "format": fmt,
               "key_points": view.key_points if view else "", "note": view, "conflict": None, "kp_conflict": None,
               "verification": None, "draft_error": None, "appointment_error": None, "services": SERVICES,
               "modalities": MODALITIES, "paste_headings": practice.letterhead_of(db, actor).paste_headings,
               "goals_error": None,
               "linked": linked_ids(view.content if view else {}), "sign_preview": None, "sign_cpt": None}
    # the active plan's goals, each objective's measure, and (a draft's) what the key points propose: one read;
    # the screen shows them once the note exists
    goals = note_goals.goals_of(db, actor, view.id) if view is not None else note_goals.NoteGoals("", 0, None, {})
    context.update(plan=goals.plan, objective_measures=goals.measures, proposals=goals.proposed,
                   objective_charts=objective_charts(goals.measures))
    if view is not None:
        context.update(_draft_context(view))
        if view.status != "draft" or view.signatures or view.addenda:  # a draft with either was un-signed
            context["verification"] = notes.verify(db, actor, view.id)
        if view.status == "draft":
            context["signing_late"] = notes.signing_late(db, actor, view.id)
            context["sign_preview"] = notes.sign_preview(db, actor, view.id)
        else:
            context["returns"] = supervision.returns(db, actor, view.id)
    context.update(extra)
    return render(request, "write.html", caller, status_code=status_code, **context)


def linked_ids(content: dict) -> dict:
    """What the note links of the plan, for the ticks: goal ids, objective ids, and the progress by objective."""
    goals = (content.get("plan_links") or {}).get("goals", [])
    objectives = [o for g in goals for o in g.get("objectives", [])]
    return {"goals": {g["id"] for g in goals}, "objectives": {o["id"] for o in objectives},
            "progress": {o["id"]: o.get("progress", "") for o in objectives}}


def chosen_goals(plan, form) -> list[dict]:
    """The goals and objectives ticked on the form, in the plan's order (an objective ticked brings its goal)."""
    goals, objectives = set(form.getlist("goal")), set(form.getlist("objective"))
    out = []
    for goal in plan.document.goals():
        picks = [{"objective_id": o.id, "progress": str(form.get(f"progress.{o.id}", ""))[:2001]}
                 for o in goal.objectives if o.id in objectives]
        if goal.id in goals or picks:
            out.append({"goal_id": goal.id, "objectives": picks})
    return out


@router.get("/appointments/{appointment_id}/note")
def write_new(request: Request, appointment_id: Id, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep):
    appointment = clients.show_appointment(db, caller.actor, appointment_id)
    if appointment.note_id:
        return see_other(f"/notes/{appointment.note_id}")
    return _write_page(request, caller, db, settings, appointment_id, None)


@router.post("/appointments/{appointment_id}/note")
async def create(request: Request, appointment_id: Id, caller: CurrentCaller, db: DatabaseDep,
                 settings: SettingsDep, key_points: KeyPoints, format: FormatKey = "soap"):
    view = await run_in_threadpool(notes.create, db, caller.actor, appointment_id, key_points, format,
                                   settings.engine, settings.formats_dir)
    if wants_json(request):
        context = _draft_context(view)
        return {"note_id": view.id, "version": view.version, "url": f"/notes/{view.id}",
                "html": fragment(request, "_draft.html", csrf=caller.csrf_token, **context),
                "sources": fragment(request, "_sources.html", **context)}
    return see_other(f"/notes/{view.id}")


@router.post("/appointments/{appointment_id}")
async def update_appointment(request: Request, appointment_id: Id, caller: CurrentCaller, db: DatabaseDep,
                             settings: SettingsDep, date: Annotated[dt.date, Form()],
                             start: Annotated[dt.time, Form()], end: Annotated[dt.time | None, Form()] = None,
                             minutes: Annotated[int | None, Form(ge=1, le=600)] = None,
                             service: Annotated[Service | Literal[""], Form()] = "",
                             modality: Annotated[Modality | Literal[""], Form()] = "",
                             telehealth: Annotated[Literal["", "video", "audio"], Form()] = "",
                             attendees: Annotated[str, Form(max_length=500)] = ""):
    """The session's details, corrected on the note screen while the note is a draft."""
    people = [a.strip() for a in attendees.split(",") if a.strip()]
    try:
        view = await run_in_threadpool(clients.update_appointment, db, caller.actor, appointment_id, date, start,
                                       end, minutes, service or None, modality or None, telehealth or None,
                                       people or None)
    except AfternoteError as error:
        appointment = clients.show_appointment(db, caller.actor, appointment_id)
        note = notes.show(db, caller.actor, appointment.note_id) if appointment.note_id else None
        return _write_page(request, caller, db, settings, appointment_id, note, status_code=status_of(error)[0],
                           appointment_error=str(error))
    target = f"/notes/{view.note_id}" if view.note_id else f"/appointments/{appointment_id}/note"
    return see_other(target + "#h-appt")


@router.get("/notes/{note_id}")
def show(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep):
    view = notes.show(db, caller.actor, note_id)
    return _write_page(request, caller, db, settings, view.appointment_id, view)


@router.post("/notes/{note_id}/key-points")
async def save_key_points(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep,
                          settings: SettingsDep, key_points: KeyPoints, key_points_revision: Revision):
    try:
        revision = await run_in_threadpool(notes.save_key_points, db, caller.actor, note_id, key_points,
                                           key_points_revision)
    except KeyPointsConflict as conflict:
        return _key_points_refused(request, caller, db, settings, note_id, conflict)
    return {"saved": True, "key_points_revision": revision} if wants_json(request) else see_other(f"/notes/{note_id}")


def _key_points_refused(request: Request, caller, db, settings, note_id: str, conflict: KeyPointsConflict):
    """Both texts side by side (keep mine / take theirs); nothing was saved."""
    view = notes.show(db, caller.actor, note_id)
    if wants_json(request):
        return JSONResponse({"conflict": True, "error": str(conflict), "key_points_revision": conflict.current_revision,
                             "html": fragment(request, "_key_points_conflict.html", note=view, kp_conflict=conflict,
                                              csrf=caller.csrf_token)}, status_code=409)
    return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=409,
                       kp_conflict=conflict)


def _stale_message(stale: StaleVersion) -> str:
    return (f"Not drafted: the note was saved {stale.by_whom()} (now version "
            f"{stale.current_version}) since this page loaded, and nothing was saved. Copy your key points if you "
            "need them, reload the note to see that save, then draft again.")


@router.post("/notes/{note_id}/draft")
async def redraft(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                  key_points: KeyPoints, base_version: Version, key_points_revision: Revision,
                  format: FormatKey = "soap"):
    actor = caller.actor
    try:  # a stale draft saves nothing, not even its key points: they would then be in no version
        await run_in_threadpool(notes.redraft, db, actor, note_id, base_version, format, key_points, None, None,
                                key_points_revision, settings.formats_dir)
    except KeyPointsConflict as conflict:
        return _key_points_refused(request, caller, db, settings, note_id, conflict)
    except StaleVersion as stale:
        message = _stale_message(stale)
        if wants_json(request):
            return JSONResponse({"error": message, "version": stale.current_version}, status_code=409)
        view = notes.show(db, actor, note_id)
        return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=409,
                           draft_error=message, key_points=key_points)
    if wants_json(request):
        view = await run_in_threadpool(notes.show, db, actor, note_id)
        context = _draft_context(view)
        return {"version": view.version, "key_points_revision": view.key_points_revision,
                "html": fragment(request, "_draft.html", csrf=caller.csrf_token, **context),
                "sources": fragment(request, "_sources.html", **context)}
    return see_other(f"/notes/{note_id}")


@router.post("/notes/{note_id}/draft/stream")
async def redraft_streamed(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep,
                           settings: SettingsDep, key_points: KeyPoints, base_version: Version,
                           key_points_revision: Revision, format: FormatKey = "soap"):
    """Draft again, sending each section as the engine writes it: newline-delimited JSON, `{"section": {key,
    title, text}}` per section, then `{"done": true, version, html, sources}` (the saved draft, as /draft gives
    it) or `{"error": message}` (with `conflict` and its `html` when the key points were saved elsewhere). Our
    script reads it as it comes; the form post to /draft stays the fallback. A stale draft saves nothing."""
    actor = caller.actor
    lines: queue.Queue = queue.Queue()

    def work() -> None:
        def section(written) -> None:
            lines.put({"section": {"key": written.key, "title": written.title, "text": written.text}})
        try:
            notes.redraft(db, actor, note_id, base_version, format, key_points, on_section=section,
                          key_points_revision=key_points_revision, formats_dir=settings.formats_dir)
            view = notes.show(db, actor, note_id)
            context = _draft_context(view)
            lines.put({"done": True, "version": view.version, "key_points_revision": view.key_points_revision,
                       "html": fragment(request, "_draft.html", csrf=caller.csrf_token, **context),
                       "sources": fragment(request, "_sources.html", **context)})
        except KeyPointsConflict as conflict:
            view = notes.show(db, actor, note_id)
            lines.put({"error": str(conflict), "conflict": True, "key_points_revision": conflict.current_revision,
                       "html": fragment(request, "_key_points_conflict.html", note=view, kp_conflict=conflict,
                                        csrf=caller.csrf_token)})
        except StaleVersion as stale:
            lines.put({"error": _stale_message(stale), "version": stale.current_version})
        except AfternoteError as error:
            lines.put({"error": str(error)})
        except Exception as error:  # noqa: BLE001  (only its type is logged: a message might quote the note)
            log.error("unexpected %s in the streamed draft of a note", type(error).__name__)
            lines.put({"error": "The draft could not be made; nothing was saved. Try Draft again."})
        finally:
            lines.put(None)

    threading.Thread(target=work, name="afternote-draft", daemon=True).start()

    def stream():
        while (line := lines.get()) is not None:
            yield json.dumps(line, ensure_ascii=False) + "\n"

    return StreamingResponse(stream(), media_type="application/x-ndjson",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.post("/notes/{note_id}/sections/{section}/proposal")
async def take_proposal(request: Request, note_id: Id,
                        section: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,50}$")], caller: CurrentCaller,
                        db: DatabaseDep, settings: SettingsDep, base_version: Version):
    await run_in_threadpool(notes.take_proposal, db, caller.actor, note_id, section, base_version,
                            settings.formats_dir)
    return see_other(f"/notes/{note_id}#section-{section}")


@router.post("/notes/{note_id}/sections/{section}")
async def edit_section(request: Request, note_id: Id, section: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,50}$")],
                       caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                       base_version: Version, text: Annotated[str, Form(max_length=20_000)] = ""):
    actor = caller.actor
    try:
        version = await run_in_threadpool(notes.edit_section, db, actor, note_id, section, text, base_version,
                                          settings.formats_dir)
    except StaleVersion as stale:
        view = await run_in_threadpool(notes.show, db, actor, note_id)
        theirs = next((s for s in view.content["sections"] if s["key"] == section), None)
        conflict = {"section": section, "mine": text, "theirs": theirs["text"] if theirs else "",
                    "version": view.version, "saved_by": stale.by_whom()}
        if wants_json(request):
            return JSONResponse({"conflict": True, "version": view.version,
                                 "html": fragment(request, "_conflict.html", note=view, conflict=conflict,
                                                  csrf=caller.csrf_token)}, status_code=409)
        return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=409,
                           conflict=conflict)
    if wants_json(request):  # the findings follow the text just saved: our script swaps them in
        view = await run_in_threadpool(notes.show, db, actor, note_id)
        return {"version": version, "section": section,
                "findings": fragment(request, "_findings.html", content=view.content)}
    return see_other(f"/notes/{note_id}#section-{section}")


@router.post("/notes/{note_id}/goals")
async def link_goals(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep):
    actor = caller.actor
    form = await request.form()
    view = await run_in_threadpool(notes.show, db, actor, note_id)
    plan = await run_in_threadpool(note_goals.plan_of_note, db, actor, view.client_id)
    try:
        base = int(str(form.get("base_version", "0")))
        chosen = chosen_goals(plan, form) if plan else []
        await run_in_threadpool(note_goals.link, db, actor, note_id, base, chosen, settings.formats_dir)
    except ValueError:
        return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=422,
                           goals_error="Reload the note and tick the goals again.")
    except StaleVersion as stale:
        message = (f"Not linked: the note was saved {stale.by_whom()} (now "
                   f"version {stale.current_version}) since this page loaded. Reload the note and tick the goals "
                   "again.")
        return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=409,
                           goals_error=message)
    except AfternoteError as error:
        return _write_page(request, caller, db, settings, view.appointment_id, view,
                           status_code=status_of(error)[0], goals_error=str(error))
    return see_other(f"/notes/{note_id}#h-goals")


@router.post("/notes/{note_id}/sign")
async def sign(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
               version: Version, password: Annotated[str, Form(max_length=1000)],
               code: Annotated[str, Form(max_length=50)] = "",
               acknowledged: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006 (FastAPI copies it)
               late_reason: Annotated[str, Form(max_length=1000)] = "",
               cpt: Annotated[str | None, Form(max_length=60)] = None):
    actor = caller.actor
    try:  # signing asks for the password again: the signature is the clinician's own act
        await run_in_threadpool(passwords.confirm_password, db, actor, password, source_of(request), code=code)
    except LoginFailed as error:  # the password or code not right, or the account locked: the message says which
        view = notes.show(db, actor, note_id)
        return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=401,
                           sign_error=str(error), sign_cpt=cpt)
    try:  # a form without the field (an older page) takes the suggestion, as the API does
        await run_in_threadpool(notes.sign, db, actor, note_id, version, acknowledged, late_reason or None, None,
                                notes.SUGGESTED if cpt is None else cpt)
    except InputError as refused:  # open warnings, or a CPT code that is not one: nothing was signed
        view = notes.show(db, actor, note_id)
        return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=422,
                           sign_error=str(refused), sign_cpt=cpt)
    return see_other(f"/notes/{note_id}")


@router.post("/notes/{note_id}/cosign")
async def co_sign(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                  password: Annotated[str, Form(max_length=1000)], code: Annotated[str, Form(max_length=50)] = ""):
    actor = caller.actor
    try:
        await run_in_threadpool(passwords.confirm_password, db, actor, password, source_of(request),
                                "the note was not co-signed", code=code)
    except LoginFailed as error:
        view = notes.show(db, actor, note_id)
        return _write_page(request, caller, db, settings, view.appointment_id, view, status_code=401,
                           sign_error=str(error))
    await run_in_threadpool(notes.co_sign, db, actor, note_id)
    return see_other(f"/notes/{note_id}")


@router.post("/notes/{note_id}/return")
async def return_note(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep, settings: SettingsDep,
                      comment: Annotated[str, Form(max_length=supervision.MAX_COMMENT_CHARS)] = ""):
    """Back to the author with the supervisor's comment; an empty one is shown again with what to do, the text
    typed kept in the box."""
    try:
        await run_in_threadpool(supervision.return_note, db, caller.actor, note_id, comment)
    except AfternoteError as error:
        view = notes.show(db, caller.actor, note_id)
        return _write_page(request, caller, db, settings, view.appointment_id, view,
                           status_code=status_of(error)[0], return_error=str(error), return_comment=comment)
    return see_other(f"/notes/{note_id}#returns")


@router.post("/notes/{note_id}/addenda")
async def addend(request: Request, note_id: Id, actor: CurrentActor, db: DatabaseDep,
                 reason: Annotated[str, Form(max_length=500)], text: Annotated[str, Form(max_length=20_000)]):
    await run_in_threadpool(notes.addend, db, actor, note_id, text, reason)
    return see_other(f"/notes/{note_id}#addenda")


@router.get("/notes/{note_id}/print")
def print_view(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep):
    view = notes.show(db, caller.actor, note_id)
    notes.record_print(db, caller.actor, note_id)
    appointment = clients.show_appointment(db, caller.actor, view.appointment_id)
    client = clients.show_client(db, caller.actor, view.client_id)
    return render(request, "print.html", caller, note=view, appointment=appointment, client=client)
