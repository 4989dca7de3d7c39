"""Clients: list the ones you may see, add one, read one, correct one (name, record number, date of birth)."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel, Field

from afternote.web.api.fields import Line, Name, RecordId
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import clients

router = APIRouter(prefix="/clients", tags=["clients"], responses=responses(401, 403, 404, 422))


class ClientBody(BaseModel):
    name: Line = Field(min_length=1)
    identifier: Line | None = Field(default=None, description="The practice's record number (MRN), if any.")
    clinician: Name | None = Field(default=None, description="Owners: the username of the client's clinician.")
    birth_date: dt.date | None = Field(default=None, description="Date of birth (stored encrypted).")


class ClientPatch(BaseModel):
    name: Line | None = Field(default=None, min_length=1)
    identifier: Line | None = Field(default=None, description="The record number; an empty string clears it.")
    birth_date: dt.date | None = Field(default=None, description="Date of birth; null (given) clears it.")


class ClientOut(BaseModel):
    id: str
    name: str
    identifier: str | None
    clinician_id: str
    birth_date: dt.date | None = None


def _out(view: clients.ClientView) -> ClientOut:
    return ClientOut.model_validate(view, from_attributes=True)


@router.get("")
def list_clients(actor: CurrentActor, db: DatabaseDep, page: PageDep) -> Page[ClientOut]:
    """The clients you may see, by name."""
    return paginate(clients.list_clients(db, actor), page, _out)


@router.post("", status_code=201, responses={201: {"links": {
    "get_client": {"operationId": "get_client", "parameters": {"client_id": "$response.body#/id"}},
    "add_appointment": {"operationId": "add_appointment", "requestBody": {
        "client_id": "$response.body#/id", "date": "2026-01-05", "start": "10:00", "minutes": 53}}}}})
def add_client(body: ClientBody, actor: CurrentActor, db: DatabaseDep) -> ClientOut:
    return _out(clients.add_client(db, actor, body.name, body.identifier, body.clinician, body.birth_date))


@router.get("/{client_id}")
def get_client(client_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> ClientOut:
    return _out(clients.show_client(db, actor, client_id))


@router.patch("/{client_id}")
def update_client(client_id: RecordId, body: ClientPatch, actor: CurrentActor, db: DatabaseDep) -> ClientOut:
    """Correct what you give (name, record number, date of birth); the rest stays. Audited."""
    given = body.model_fields_set
    return _out(clients.update_client(
        db, actor, client_id, body.name if body.name else clients.KEEP,
        (body.identifier or None) if "identifier" in given else clients.KEEP,
        body.birth_date if "birth_date" in given else clients.KEEP))
