"""The chart's forms on the client's page: details (pronouns, referral source, emergency contact), diagnoses
(search the code set, add, end, make primary, remove) and insurance. Each posts, then returns to the client's page
at its card; a refusal shows there with what to do. The ICD-10-CM search is a POST too: words typed on a client's
page say something about that client, so they stay out of the URL."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from starlette.concurrency import run_in_threadpool

from afternote import icd10
from afternote.errors import AfternoteError
from afternote.web.deps import CurrentCaller, DatabaseDep
from afternote.web.pages.clients import client_page_response
from afternote.web.pages.common import PageRoute, see_other
from afternote.workflow import chart, diagnoses, insurance

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
OptionalDay = Annotated[dt.date | Literal[""], Form()]
Short = Annotated[str, Form(max_length=200)]


async def _saved(request: Request, caller, db, client_id: str, section: str, call, *args, **kwargs):
    """Run the change; back to the client's page at `section`, or the page again with the refusal by its form."""
    try:
        await run_in_threadpool(call, *args, **kwargs)
    except AfternoteError as error:
        return client_page_response(request, caller, db, client_id, status_code=422, chart_error=str(error),
                                    chart_section=section)
    return see_other(f"/clients/{client_id}#{section}")


@router.post("/clients/{client_id}/chart")
async def save_details(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep,
                       pronouns: Short = "", referral_source: Short = "", contact_name: Short = "",
                       contact_relationship: Short = "", contact_phone: Short = ""):
    def save():
        contact = chart.emergency_contact(contact_name, contact_relationship, contact_phone)
        chart.update_details(db, caller.actor, client_id, pronouns=pronouns, referral_source=referral_source,
                             emergency_contact=contact)
    return await _saved(request, caller, db, client_id, "chart-details", save)


@router.post("/clients/{client_id}/diagnoses/search")
async def search_codes(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep,
                       q: Annotated[str, Form(max_length=100)] = ""):
    try:
        found = await run_in_threadpool(icd10.search, q) if q.strip() else []
    except AfternoteError as error:
        return client_page_response(request, caller, db, client_id, status_code=422, chart_error=str(error),
                                    chart_section="chart-diagnoses")
    return client_page_response(request, caller, db, client_id, icd10_results=found, icd10_query=q,
                                chart_section="chart-diagnoses")


@router.post("/clients/{client_id}/diagnoses")
async def add_diagnosis(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep,
                        code: Annotated[str, Form(max_length=12)], primary: Annotated[bool, Form()] = False,
                        starts_on: OptionalDay = "", ends_on: OptionalDay = ""):
    return await _saved(request, caller, db, client_id, "chart-diagnoses", diagnoses.add, db, caller.actor,
                        client_id, code, primary=primary, starts_on=starts_on or None, ends_on=ends_on or None)


@router.post("/clients/{client_id}/diagnoses/{diagnosis_id}")
async def change_diagnosis(request: Request, client_id: Id, diagnosis_id: Id, caller: CurrentCaller,
                           db: DatabaseDep, action: Annotated[Literal["end", "primary", "remove"], Form()],
                           ends_on: OptionalDay = ""):
    actor, keep = caller.actor, diagnoses.KEEP
    if action == "remove":
        return await _saved(request, caller, db, client_id, "chart-diagnoses", diagnoses.remove, db, actor,
                            diagnosis_id, client_id)
    def change():
        diagnoses.update_diagnosis(db, actor, diagnosis_id, primary=True if action == "primary" else keep,
                                   ends_on=(ends_on or diagnoses.today_of(db, actor)) if action == "end" else keep,
                                   client_id=client_id)
    return await _saved(request, caller, db, client_id, "chart-diagnoses", change)


@router.post("/clients/{client_id}/insurance")
async def save_insurance(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep,
                         payer: Short = "", member_id: Short = "", authorization: Short = "",
                         authorized_sessions: Annotated[int | Literal[""], Form()] = "",
                         authorized_from: OptionalDay = "", authorized_to: OptionalDay = ""):
    value = insurance.InsuranceView(payer, member_id, authorization, authorized_sessions or None,
                                    authorized_from or None, authorized_to or None)
    return await _saved(request, caller, db, client_id, "chart-insurance", insurance.save, db, caller.actor,
                        client_id, value)
