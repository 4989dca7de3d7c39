"""Treatment plans of a client: list, create, read (a version), save a version against the one read (409 if
stale), sign with the password typed again (422 listing what is missing while incomplete), verify. Every rule is
the service layer's (workflow/plans.py, afternote/plans.py)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from afternote.web.api.fields import NO_NUL, BodyId, RecordId, UtcDateTime
from afternote.web.deps import CurrentActor, DatabaseDep, source_of
from afternote.web.problems import responses
from afternote.workflow import passwords, plan_drafts, plans

router = APIRouter(prefix="/clients/{client_id}/treatment-plans", tags=["treatment plans"],
                   responses=responses(401, 403, 404, 422))
Words = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]
Short = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
ItemId = Annotated[str, Field(default="", max_length=32, pattern=r"^[0-9a-zA-Z]*$",
                              description="Keep the id you read to keep the row's identity (notes link to it); "
                                          "leave it empty for a new row.")]
Rows = Field(default=[], max_length=50)
Version = Field(ge=1, le=1_000_000, description="The version you read (optimistic locking).")


class ObjectiveDoc(BaseModel):
    id: ItemId = ""
    text: Words = ""
    baseline: Short = ""
    target: Short = ""
    target_date: dt.date | None = None
    measure: Short = Field(default="", max_length=200, description="The measure that tracks it, e.g. PHQ-9.")


class GoalDoc(BaseModel):
    id: ItemId = ""
    text: Words = ""
    client_words: Words = Field(default="", max_length=2000, description="The goal in the client's own words.")
    objectives: list[ObjectiveDoc] = Rows


class InterventionDoc(BaseModel):
    id: ItemId = ""
    modality: Short = ""
    frequency: Short = ""
    duration: Short = ""


class ProblemDoc(BaseModel):
    id: ItemId = ""
    text: Words = ""
    goals: list[GoalDoc] = Rows
    interventions: list[InterventionDoc] = Rows


class PlanDoc(BaseModel):
    start_date: dt.date | None = Field(default=None, description="When the plan was established.")
    problems: list[ProblemDoc] = Rows
    agreement: Literal["", "verbal", "signed"] = Field(default="", description="How the client agreed to it.")
    agreement_date: dt.date | None = None


class SaveBody(BaseModel):
    document: PlanDoc
    base_version: int = Version


class SignBody(BaseModel):
    version: int = Version
    password: str = Field(min_length=1, max_length=1000,
                          description="Your own password, typed again: a signature is your own act.")
    code: str | None = Field(default=None, max_length=50, description="With two-factor sign-in on: the six digits "
                             "your authenticator app shows now; without it signing is refused (401).")


class ProposalBody(BaseModel):
    note_id: BodyId = Field(description="One of the client's notes (an intake, usually) whose key points propose "
                                        "the plan.")


class PlanSignatureOut(BaseModel):
    version: int
    signer: str
    credentials: str
    signed_at: UtcDateTime
    content_sha256: str


class PlanOut(BaseModel):
    id: str
    client_id: str
    version: int = Field(description="The version shown.")
    current_version: int = Field(description="Send it as base_version with the next save.")
    status: Literal["draft", "signed"] = Field(description="Whether the version shown is signed.")
    signed_version: int | None = Field(description="The latest signed version, if any.")
    active: bool = Field(description="The client's active plan (the one signed last).")
    review_due: dt.date | None = Field(description="When the active plan's review is due.")
    missing: list[str] = Field(description="What signing needs that the version shown lacks.")
    document: PlanDoc
    signatures: list[PlanSignatureOut]


class Saved(BaseModel):
    plan_id: str
    version: int = Field(description="The new current version: send it as base_version with the next save.")


class VerificationOut(BaseModel):
    plan_id: str
    ok: bool
    problems: list[str]


def _out(view: plans.PlanView) -> PlanOut:
    return PlanOut(id=view.id, client_id=view.client_id, version=view.version, current_version=view.current_version,
                   status=view.status, signed_version=view.signed_version, active=view.active,
                   review_due=view.review_due, missing=view.missing,
                   document=PlanDoc.model_validate(view.document.to_dict()),
                   signatures=[PlanSignatureOut.model_validate(s, from_attributes=True) for s in view.signatures])


@router.get("")
def list_plans(client_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> list[PlanOut]:
    """The client's treatment plans, newest first, each at its current version."""
    return [_out(v) for v in plans.list_plans(db, actor, client_id)]


@router.post("", status_code=201)
def create_plan(client_id: RecordId, body: PlanDoc, actor: CurrentActor, db: DatabaseDep) -> PlanOut:
    """A new treatment plan for one of your clients (version 1, a draft until you sign it)."""
    return _out(plans.create(db, actor, client_id, body.model_dump(mode="json")))


@router.post("/proposal")
def propose_plan(client_id: RecordId, body: ProposalBody, actor: CurrentActor, db: DatabaseDep) -> PlanDoc:
    """A plan proposed from a note's key points: its goal clauses as goals, its planned interventions with the
    frequency and duration they state, its presenting concerns as the problem. Nothing is invented and nothing is
    saved: objectives, targets, dates and the client's agreement stay empty; POST the document, filled in, to
    create the plan."""
    return PlanDoc.model_validate(plan_drafts.proposal(db, actor, client_id, body.note_id))


@router.get("/{plan_id}")
def get_plan(client_id: RecordId, plan_id: RecordId, actor: CurrentActor, db: DatabaseDep,
             version: int | None = Query(default=None, ge=1, le=1_000_000)) -> PlanOut:
    """The plan at its current version, or an earlier one."""
    plans.of_client(db, actor, plan_id, client_id)
    return _out(plans.show(db, actor, plan_id, version))


@router.put("/{plan_id}", responses=responses(409))
def save_plan(client_id: RecordId, plan_id: RecordId, body: SaveBody, actor: CurrentActor,
              db: DatabaseDep) -> Saved:
    """Save the plan as a new version (after a signature too: the signed version stays). 409 with
    `current_version` if it was saved since the version you read."""
    plans.of_client(db, actor, plan_id, client_id)
    return Saved(plan_id=plan_id, version=plans.save(db, actor, plan_id, body.document.model_dump(mode="json"),
                                                     body.base_version))


@router.post("/{plan_id}/sign", responses=responses(401, 409, 429))
def sign_plan(client_id: RecordId, plan_id: RecordId, body: SignBody, request: Request, actor: CurrentActor,
              db: DatabaseDep) -> PlanSignatureOut:
    """Sign the version you read, with your password typed again. 422 with `missing` while the plan lacks what an
    auditor checks (a goal, an objective's target and target date, an intervention's frequency, the client's
    agreement)."""
    plans.of_client(db, actor, plan_id, client_id)
    passwords.confirm_password(db, actor, body.password, source_of(request),
                               refused="the treatment plan was not signed", code=body.code)
    return PlanSignatureOut.model_validate(plans.sign(db, actor, plan_id, body.version), from_attributes=True)


@router.get("/{plan_id}/verification")
def verify_plan(client_id: RecordId, plan_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> VerificationOut:
    """Recompute each signature's hash and seal: `ok` false names what was changed."""
    plans.of_client(db, actor, plan_id, client_id)
    found = plans.verify(db, actor, plan_id)
    return VerificationOut(plan_id=plan_id, ok=not found, problems=found)
