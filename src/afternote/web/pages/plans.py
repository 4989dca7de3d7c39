"""A client's treatment plan on one plain form: problems, their goals (the client's own words too), each goal's
measurable objectives, each problem's interventions; the start date and the client's agreement. Save makes a new
version (a stale save shows a conflict and keeps what was typed); sign asks for the password again and lists what
is missing while the plan is incomplete.

Rows are added by submit buttons (`add` names where), which send the form back with one more empty row and save
nothing: no script is needed. Field names spell where a value sits: `p0.g1.o0.target` is problem 1, goal 2,
objective 1's target.
"""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from afternote.errors import AfternoteError
from afternote.web.charts import objective_charts
from afternote.web.deps import CurrentCaller, DatabaseDep, source_of
from afternote.web.pages.common import PageRoute, render, see_other
from afternote.web.problems import status_of
from afternote.workflow import clients, history, objective_measures, passwords, plan_drafts, plans
from afternote.workflow.errors import LoginFailed, StalePlan

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
FIELDS = {"p": ("id", "text"), "g": ("id", "text", "client_words"),
          "o": ("id", "text", "baseline", "target", "target_date", "measure"),
          "v": ("id", "modality", "frequency", "duration")}
KEY = re.compile(r"^p(\d{1,2})(?:\.g(\d{1,2})(?:\.o(\d{1,2}))?|\.v(\d{1,2}))?\.(\w+)$")


def empty_goal() -> dict:
    return {"id": "", "text": "", "client_words": "", "objectives": [empty_objective()]}


def empty_objective() -> dict:
    return {"id": "", "text": "", "baseline": "", "target": "", "target_date": "", "measure": ""}


def empty_problem() -> dict:
    return {"id": "", "text": "", "goals": [empty_goal()],
            "interventions": [{"id": "", "modality": "", "frequency": "", "duration": ""}]}


def blank_plan() -> dict:
    return {"start_date": "", "agreement": "", "agreement_date": "", "problems": [empty_problem()]}


def document_of(form) -> dict:
    """The plan document as the form spells it (rows in their order; unknown names ignored)."""
    problems: dict[int, dict] = {}
    for name, value in form.multi_items():
        match = KEY.match(name)
        if not match or not isinstance(value, str):
            continue
        p, g, o, v, field = match.groups()
        problem = problems.setdefault(int(p), {"goals": {}, "interventions": {}})
        if v is not None:
            row, kind = problem["interventions"].setdefault(int(v), {}), "v"
        elif g is not None:
            goal = problem["goals"].setdefault(int(g), {"objectives": {}})
            row, kind = (goal["objectives"].setdefault(int(o), {}), "o") if o is not None else (goal, "g")
        else:
            row, kind = problem, "p"
        if field in FIELDS[kind]:
            row[field] = value

    def ordered(rows: dict) -> list:
        return [rows[i] for i in sorted(rows)]

    out = []
    for problem in ordered(problems):
        for goal in problem["goals"].values():
            goal["objectives"] = ordered(goal["objectives"])
        problem["goals"], problem["interventions"] = ordered(problem["goals"]), ordered(problem["interventions"])
        out.append(problem)
    return {"start_date": form.get("start_date", ""), "agreement": form.get("agreement", ""),
            "agreement_date": form.get("agreement_date", ""), "problems": out}


def with_row(document: dict, where: str) -> dict:
    """The document with one more empty row where `add` says: 'problem', 'p0.goal', 'p0.g1.objective',
    'p0.intervention' (anything else: unchanged)."""
    parts = where.split(".")
    try:
        if parts == ["problem"]:
            document["problems"].append(empty_problem())
        elif len(parts) == 2 and parts[1] in ("goal", "intervention"):
            problem = document["problems"][int(parts[0][1:])]
            if parts[1] == "goal":
                problem.setdefault("goals", []).append(empty_goal())
            else:
                problem.setdefault("interventions", []).append({"id": "", "modality": "", "frequency": "",
                                                                "duration": ""})
        elif len(parts) == 3 and parts[2] == "objective":
            goal = document["problems"][int(parts[0][1:])]["goals"][int(parts[1][1:])]
            goal.setdefault("objectives", []).append(empty_objective())
    except (IndexError, ValueError):
        pass  # a button of a row that is no longer there: nothing to add to
    return document


async def _form(request: Request):
    form = await request.form()  # (read once already, for the CSRF check: at most 1000 fields)
    return form, document_of(form), str(form.get("add", ""))[:30]


def _page(request: Request, caller, db, client_id: str, document: dict, plan: plans.PlanView | None = None,
          status_code: int = 200, **extra):
    actor = caller.actor
    client = clients.show_client(db, actor, client_id)
    context = {"client": client, "plan": plan, "document": document, "error": None, "sign_error": None,
               "conflict": None, "verification": None, "proposed_from": None, "notes_of_client": [],
               "objective_measures": {}, "objective_charts": {},
               "can_write": actor.writes_notes and client.clinician_id == actor.user_id}
    if plan is not None and plan.signatures:
        context["verification"] = plans.verify(db, actor, plan.id)
    if plan is not None:  # each objective tracked by a measure shows the client's latest score and trend
        found = objective_measures.objective_measures(db, actor, client_id, plan.document)
        context.update(objective_measures=found, objective_charts=objective_charts(found))
    context.update(extra)
    return render(request, "plan.html", caller, status_code=status_code, **context)


def fillable(document: dict) -> dict:
    """The proposal with an empty row wherever the form needs one to fill in (a goal's objective, say)."""
    if not document["problems"]:
        document["problems"].append(empty_problem())
    for problem in document["problems"]:
        problem["goals"] = problem["goals"] or [empty_goal()]
        problem["interventions"] = problem["interventions"] or empty_problem()["interventions"]
        for goal in problem["goals"]:
            goal["objectives"] = goal["objectives"] or [empty_objective()]
    return document


@router.get("/clients/{client_id}/treatment-plans/new")
def new_plan(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep,
             from_note: Annotated[str | None, Query(pattern=r"^[0-9a-f]{32}$")] = None):
    """A blank plan, or one proposed from a note's key points (`from_note`: its id; nothing saved yet)."""
    document = fillable(plan_drafts.proposal(db, caller.actor, client_id, from_note)) if from_note else blank_plan()
    notes_of_client = [s for s in history.sessions_of(db, caller.actor, client_id) if s.note_id]
    return _page(request, caller, db, client_id, document, proposed_from=from_note, notes_of_client=notes_of_client)


@router.post("/clients/{client_id}/treatment-plans")
async def create(request: Request, client_id: Id, caller: CurrentCaller, db: DatabaseDep):
    _form_data, document, add = await _form(request)
    if add:
        return _page(request, caller, db, client_id, with_row(document, add))
    try:
        plan = await run_in_threadpool(plans.create, db, caller.actor, client_id, document)
    except AfternoteError as error:
        return _page(request, caller, db, client_id, document, status_code=status_of(error)[0], error=str(error))
    return see_other(f"/treatment-plans/{plan.id}")


@router.get("/treatment-plans/{plan_id}")
def show(request: Request, plan_id: Id, caller: CurrentCaller, db: DatabaseDep):
    plan = plans.show(db, caller.actor, plan_id)
    return _page(request, caller, db, plan.client_id, plan.document.to_dict(), plan)


@router.post("/treatment-plans/{plan_id}")
async def save(request: Request, plan_id: Id, caller: CurrentCaller, db: DatabaseDep):
    form, document, add = await _form(request)
    plan = await run_in_threadpool(plans.show, db, caller.actor, plan_id)
    if add:
        return _page(request, caller, db, plan.client_id, with_row(document, add), plan)
    try:
        base = int(str(form.get("base_version", "0")))
    except ValueError:
        base = 0
    try:
        await run_in_threadpool(plans.save, db, caller.actor, plan_id, document, base)
    except StalePlan as stale:  # what was typed stays in the form; the saved plan is one reload away
        return _page(request, caller, db, plan.client_id, document, plan, status_code=409, conflict=str(stale))
    except AfternoteError as error:
        return _page(request, caller, db, plan.client_id, document, plan, status_code=status_of(error)[0],
                     error=str(error))
    return see_other(f"/treatment-plans/{plan_id}#h-sign")


@router.post("/treatment-plans/{plan_id}/sign")
async def sign(request: Request, plan_id: Id, caller: CurrentCaller, db: DatabaseDep,
               version: Annotated[int, Form(ge=1, le=1_000_000)], password: Annotated[str, Form(max_length=1000)],
               code: Annotated[str, Form(max_length=50)] = ""):
    actor = caller.actor
    plan = await run_in_threadpool(plans.show, db, actor, plan_id)
    try:  # the password again: a signature is the clinician's own act
        await run_in_threadpool(passwords.confirm_password, db, actor, password, source_of(request),
                                "the treatment plan was not signed", code=code)
        await run_in_threadpool(plans.sign, db, actor, plan_id, version)
    except LoginFailed as error:
        return _page(request, caller, db, plan.client_id, plan.document.to_dict(), plan, status_code=401,
                     sign_error=str(error))
    except AfternoteError as error:
        return _page(request, caller, db, plan.client_id, plan.document.to_dict(), plan,
                     status_code=status_of(error)[0], sign_error=str(error))
    return see_other(f"/treatment-plans/{plan_id}")
