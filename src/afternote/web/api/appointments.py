"""Appointments (sessions): add one for a client, read one (with the id of its note, if any)."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from afternote.session import Modality, Service
from afternote import times
from afternote.web.api.fields import BodyId, Line, RecordId, UtcDateTime
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import clients

router = APIRouter(prefix="/appointments", tags=["appointments"], responses=responses(401, 403, 404, 422))


class AppointmentBody(BaseModel):
    client_id: BodyId
    date: dt.date = Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))
    start: dt.time = Field(description="The practice's wall-clock time (its `time_zone`, GET /practice), no offset; "
                           "in the hour that repeats when clocks fall back, the first one.")
    end: dt.time | None = Field(default=None, description="End time, like `start`; or give `minutes`.")
    minutes: int | None = Field(default=None, ge=1, le=600)
    service: Service | None = None
    modality: Modality | None = None
    telehealth: Literal["video", "audio"] | None = None
    attendees: list[Line] | None = Field(default=None, max_length=20, description="Stored encrypted.")

    @field_validator("start", "end")
    @classmethod
    def _local_time(cls, value: dt.time | None) -> dt.time | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("give the practice's wall-clock time without a UTC offset, e.g. 10:00")
        return value


class AppointmentOut(BaseModel):
    id: str
    client_id: str
    clinician_id: str
    date: dt.date
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    time_zone: str = Field(description="The practice's IANA zone, which the local times are in.")
    local_starts_at: str = Field(description="The start in the practice's zone, ISO 8601 with its offset.")
    local_ends_at: str = Field(description="The end in the practice's zone, ISO 8601 with its offset.")
    minutes: int | None
    service: str | None
    modality: str | None
    telehealth: str | None
    attendees: list[str]
    note_id: str | None


def _out(view: clients.AppointmentView) -> AppointmentOut:
    return AppointmentOut(**{**view.__dict__, "attendees": list(view.attendees),
                             "local_starts_at": times.iso(view.starts_at, view.time_zone),
                             "local_ends_at": times.iso(view.ends_at, view.time_zone)})


@router.post("", status_code=201, responses={201: {"links": {
    "get_appointment": {"operationId": "get_appointment", "parameters": {"appointment_id": "$response.body#/id"}},
    "draft_note": {"operationId": "draft_note", "requestBody": {
        "appointment_id": "$response.body#/id", "key_points": "Client reported less anxiety. Plan: f/u 1wk."}}}}})
def add_appointment(body: AppointmentBody, actor: CurrentActor, db: DatabaseDep) -> AppointmentOut:
    """A session with one of your clients; its note is then due by the practice's deadline."""
    appointment_id = clients.add_appointment(db, actor, body.client_id, body.date, body.start, body.end,
                                             body.minutes, body.service, body.modality, body.telehealth,
                                             body.attendees)
    return _out(clients.show_appointment(db, actor, appointment_id))


@router.get("/{appointment_id}")
def get_appointment(appointment_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> AppointmentOut:
    return _out(clients.show_appointment(db, actor, appointment_id))
