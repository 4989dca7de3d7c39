"""A client's sessions with their notes, newest first: what the client's page lists."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from afternote.records.database import Database
from afternote.records.models import Appointment, Note
from afternote.workflow import access, audit
from afternote.workflow.actor import Actor


@dataclass(frozen=True)
class SessionRow:
    appointment_id: str
    starts_at: dt.datetime
    minutes: int | None
    service: str | None
    telehealth: str | None
    note_id: str | None
    note_status: str | None
    note_format: str | None


def sessions_of(db: Database, actor: Actor, client_id: str, limit: int = 200) -> list[SessionRow]:
    """The client's sessions the caller may see, newest first, each with its note's id and status if any."""
    with db.session(write=True) as session:
        client = access.get_client(session, actor, client_id)
        rows = session.execute(
            select(Appointment.id, Appointment.starts_at, Appointment.minutes, Appointment.service,
                   Appointment.telehealth, Note.id, Note.status, Note.format)
            .outerjoin(Note, Note.appointment_id == Appointment.id)
            .where(Appointment.practice_id == actor.practice_id, Appointment.client_id == client.id)
            .order_by(Appointment.starts_at.desc()).limit(limit)).all()
        audit.record(session, actor, "view", "client_sessions", client.id)
        return [SessionRow(*row) for row in rows]
