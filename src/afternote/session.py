"""What the clinician's software knows about the session, apart from the key points: minutes, service, modality."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from afternote.errors import InputError

Service = Literal["psychotherapy", "intake", "family", "couples", "group", "crisis"]
Modality = Literal["individual", "couples", "family", "group"]


class Session(BaseModel):
    """Session facts used by the checks (CPT code, time recorded) and by the records; all optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    service: Service | None = None
    modality: Modality | None = None
    attendees: tuple[str, ...] = ()
    telehealth: Literal["video", "audio"] | None = None
    client_present: bool | None = Field(
        default=None, description="For family or couples sessions: whether the identified client attended.")

    @model_validator(mode="after")
    def _end_after_start(self) -> "Session":
        if self.start and self.end and self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    @property
    def minutes(self) -> int | None:
        """Session minutes: the recorded duration, else end minus start, else None (unknown)."""
        if self.duration_minutes is not None:
            return self.duration_minutes
        if self.start and self.end:
            delta = dt.datetime.combine(dt.date.min, self.end) - dt.datetime.combine(dt.date.min, self.start)
            return int(delta.total_seconds() // 60)
        return None


def session_from(value: "Session | dict | None") -> Session:
    """A Session from a dict (as in a JSONL case or an API body), raising InputError that names the bad field."""
    if isinstance(value, Session):
        return value
    if value is None:
        return Session()
    if not isinstance(value, dict):
        raise InputError("session must be an object such as {\"duration_minutes\": 53}.")
    try:
        return Session.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'session'}: "
            + (f"not a session detail (known: {', '.join(Session.model_fields)})" if err["type"] == "extra_forbidden"
               else err["msg"])
            for err in exc.errors())
        raise InputError(f"session details are not valid ({problems}). Fix the named field and try again.") from None
