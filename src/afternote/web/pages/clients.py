"""Clients: the list (with search), add one, a client's page with their sessions and notes, add a session."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from starlette.concurrency import run_in_threadpool

from afternote import times
from afternote.errors import AfternoteError
from afternote.session import Modality, Service
from afternote.web.charts import chart_of
from afternote.web.deps import CurrentActor, CurrentCaller, DatabaseDep
from afternote.web.pages.common import PageRoute, render, see_other
from afternote.workflow import chart, clients, history, measures, plans, practice

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
SERVICES = ("psychotherapy", "intake", "family", "couples", "group", "crisis")
MODALITIES = ("individual", "couples", "family", "group")


@router.get("/clients")
def client_list(request: Request, caller: CurrentCaller, db: DatabaseDep):
    return render(request, "clients.html", caller, clients=clients.list_clients(db, caller.actor), q="")


@router.post("/clients/search")
def search(request: Request, caller: CurrentCaller, db: DatabaseDep, q: Annotated[str, Form(max_length=100)] = ""):
    """A POST, so no part of a name rides in a URL (or an access log). Names are encrypted at rest, so the search
    runs here, over the clients the caller may see."""
    needle = q.casefold().strip()
    found = [c for c in clients.list_clients(db, caller.actor)
             if needle in c.name.casefold() or needle in (c.identifier or "").casefold()]
    return render(request, "clients.html", caller, clients=found, q=q)


@router.post("/clients")
async def add_client(request: Request, caller: CurrentCaller, db: DatabaseDep,
                     name: Annotated[str, Form(max_length=200)],
                     identifier: Annotated[str, Form(max_length=100)] = ""):
    try:
        added = await run_in_threadpool(clients.add_client, db, caller.actor, name, identifier.strip() or None)
    except AfternoteError as error:
        return render(request, "clients.html", caller, status_code=422, clients=clients.list_clients(db, caller.actor),
                      q="", add_error=str(error))
    return see_other(f"/clients/{added.id}")


@router.get("/clients/{client_id}")
def client_page(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep):
    return client_page_response(request, caller, db, client_id)


def client_page_response(request: Request, caller, db, client_id: str, status_code: int = 200, **extra):
    """The client's page; `extra`: an error to show by the form it belongs to, or ICD-10-CM search results."""
    actor = caller.actor
    context = {"client": clients.show_client(db, actor, client_id),
               "sessions": history.sessions_of(db, actor, client_id),
               "today": _today(request, db, actor), "services": SERVICES, "modalities": MODALITIES, "error": None,
               "charts": _charts(db, actor, client_id), "plans": plans.list_plans(db, actor, client_id),
               "chart": chart.show_chart(db, actor, client_id), "chart_error": None, "chart_section": None,
               "icd10_results": None, "icd10_query": ""}
    context.update(extra)
    return render(request, "client.html", caller, status_code=status_code, **context)


def _today(request: Request, db, actor) -> dt.date:
    """Today in the practice's zone: the default date of a new session and of a record export's end."""
    return times.today(request.app.state.clock(), practice.time_zone_of(db, actor))


def _charts(db, actor, client_id: str) -> list:
    return [chart_of(series) for series in measures.series_of(db, actor, client_id)]


@router.post("/clients/{client_id}")
async def edit_client(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep,
                      name: Annotated[str, Form(max_length=200)], identifier: Annotated[str, Form(max_length=100)] = "",
                      birth_date: Annotated[dt.date | Literal[""], Form()] = ""):
    try:
        await run_in_threadpool(clients.update_client, db, caller.actor, client_id, name, identifier.strip() or None,
                                birth_date or None)
    except AfternoteError as error:
        return client_page_response(request, caller, db, client_id, status_code=422, error=str(error))
    return see_other(f"/clients/{client_id}")


@router.post("/clients/{client_id}/appointments")
async def add_appointment(request: Request, client_id: Id, actor: CurrentActor, db: DatabaseDep,
                          date: Annotated[dt.date, Form()], start: Annotated[dt.time, Form()],
                          end: Annotated[dt.time | None, Form()] = None,
                          minutes: Annotated[int | None, Form(ge=1, le=600)] = None,
                          service: Annotated[Service | Literal[""], Form()] = "",
                          modality: Annotated[Modality | Literal[""], Form()] = "",
                          telehealth: Annotated[Literal["", "video", "audio"], Form()] = "",
                          attendees: Annotated[str, Form(max_length=500)] = ""):
    people = [a.strip() for a in attendees.split(",") if a.strip()]
    appointment_id = await run_in_threadpool(clients.add_appointment, db, actor, client_id, date, start, end,
                                             minutes, service or None, modality or None, telehealth or None,
                                             people or None)
    return see_other(f"/appointments/{appointment_id}/note")
