"""Authorization in one place: every query is scoped by the caller's practice, and by clinician unless the role
reads the whole practice (owner, auditor). A supervisor also sees the clients of the clinicians they supervise."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from afternote.records.models import Appointment, Client, Note, User
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotAllowed, NotFound


def visible_clinicians(session: Session, actor: Actor) -> list[str] | None:
    """The clinician ids whose records the actor may read, or None for the whole practice."""
    if actor.sees_whole_practice:
        return None
    ids = [actor.user_id]
    if actor.role == "supervisor":
        ids += session.scalars(select(User.id).where(User.practice_id == actor.practice_id,
                                                     User.supervisor_id == actor.user_id)).all()
    return ids


def scoped(session: Session, actor: Actor, query, model):
    query = query.where(model.practice_id == actor.practice_id)
    ids = visible_clinicians(session, actor)
    return query if ids is None else query.where(model.clinician_id.in_(ids))


def _get(session: Session, actor: Actor, model, record_id: str, what: str):
    row = session.scalar(scoped(session, actor, select(model), model).where(model.id == record_id))
    if row is None:
        raise NotFound(f"No {what} {record_id} that you can see in this practice. Check the id "
                       f"(`afternote {what}s` lists them).").about(what, record_id)
    return row


def get_client(session: Session, actor: Actor, client_id: str) -> Client:
    return _get(session, actor, Client, client_id, "client")


def get_appointment(session: Session, actor: Actor, appointment_id: str) -> Appointment:
    return _get(session, actor, Appointment, appointment_id, "appointment")


def get_note(session: Session, actor: Actor, note_id: str) -> Note:
    return _get(session, actor, Note, note_id, "note")


def require_author(actor: Actor, note: Note, action: str) -> None:
    if note.clinician_id != actor.user_id:
        raise NotAllowed(f"Only the note's clinician can {action} it.").about("note", note.id)


def require_writer(actor: Actor) -> None:
    if not actor.writes_notes:
        raise NotAllowed("An auditor's account is read-only.")
