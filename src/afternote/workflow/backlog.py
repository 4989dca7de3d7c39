"""The backlog: sessions with no note, drafts not signed, notes overdue by the practice's deadline, notes
awaiting the caller's co-signature, and treatment plans whose review is due within two weeks or overdue; per
clinician or for the whole practice, oldest first."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from afternote.records.database import Database
from afternote import times
from afternote.records.models import Appointment, Note, User, utcnow
from afternote.workflow import access, audit, plans, practice
from afternote.workflow.actor import Actor
from afternote.workflow.clients import client_names
from afternote.workflow.errors import NotAllowed, NotFound


@dataclass(frozen=True)
class BacklogItem:
    kind: str  # "no note", "draft", "awaiting co-signature", "plan review"
    appointment_id: str  # "" for a plan review
    note_id: str | None
    client_id: str
    client_name: str
    clinician_id: str
    starts_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    plan_id: str | None = None  # a plan review's plan (its `starts_at`: when the plan was last signed)


def backlog(db: Database, actor: Actor, *, clinician: str | None = None, whole_practice: bool = False,
            now: dt.datetime | None = None, deadline_hours: int | None = None) -> list[BacklogItem]:
    """Open work, oldest session first. Default: the caller's own; `clinician` (a username) or `whole_practice`
    for owners, auditors and (for their supervisees) supervisors. `now` and the times of the items are UTC."""
    now = now or utcnow()  # stored times are UTC; a day (a plan review's) is the practice's
    with db.session(write=True) as session:
        zone = practice.time_zone(session, actor.practice_id)
        if deadline_hours is None:
            deadline_hours = practice.deadline_hours(session, actor.practice_id)
        deadline = dt.timedelta(hours=deadline_hours)
        visible = access.visible_clinicians(session, actor)
        if whole_practice:
            if visible is not None and actor.role != "supervisor":
                raise NotAllowed("Only an owner, an auditor or a supervisor can see the practice's backlog.")
            ids = visible
        elif clinician and clinician != actor.username:
            target = session.scalar(select(User.id).where(User.practice_id == actor.practice_id,
                                                          User.username == clinician))
            if target is None:
                raise NotFound(f"No user '{clinician}' in this practice.")
            if visible is not None and target not in visible:
                raise NotAllowed(f"You cannot see the backlog of '{clinician}'.")
            ids = [target]
        else:
            ids = [actor.user_id]
        query = (select(Appointment.id, Appointment.client_id, Appointment.clinician_id, Appointment.starts_at,
                        Appointment.ends_at, Note.id, Note.status)
                 .outerjoin(Note, Note.appointment_id == Appointment.id)
                 .where(Appointment.practice_id == actor.practice_id,
                        Appointment.open == True,  # noqa: E712  (written so, the partial index applies)
                        Appointment.starts_at <= now))
        if ids is not None:
            query = query.where(Appointment.clinician_id.in_(ids))
        rows = session.connection().execute(query.order_by(Appointment.starts_at)).all()  # Core rows: no ORM cost
        cosign_query = (select(Appointment.id, Appointment.client_id, Note.clinician_id, Appointment.starts_at,
                               Note.signed_at, Note.id)
                        .join(Appointment, Appointment.id == Note.appointment_id)
                        .where(Note.practice_id == actor.practice_id, Note.awaiting_cosign_by.is_not(None)))
        if ids is not None or not whole_practice:
            cosign_query = cosign_query.where(Note.awaiting_cosign_by.in_(ids or [actor.user_id]))
        cosign = session.connection().execute(cosign_query).all()
        reviews = plans.reviews_due(session, actor.practice_id, ids, times.today(now, zone))
        names = client_names(db, session, [r[1] for r in rows] + [r[1] for r in cosign] +
                             [r.client_id for r in reviews])
        items = [BacklogItem("draft" if note_id else "no note", appt, note_id, client, names.get(client, "?"),
                             clin, starts, ends + deadline, ends + deadline < now)
                 for appt, client, clin, starts, ends, note_id, _status in rows]
        items += [BacklogItem("awaiting co-signature", appt, note_id, client, names.get(client, "?"), clin, starts,
                              signed + deadline, signed + deadline < now)
                  for appt, client, clin, starts, signed, note_id in cosign]
        items += [BacklogItem("plan review", "", None, r.client_id, names.get(r.client_id, "?"), r.clinician_id,
                              r.signed_at, times.day_start(r.due, zone), r.overdue, plan_id=r.plan_id)
                  for r in reviews]
        items.sort(key=lambda i: i.starts_at)
        audit.record(session, actor, "view", "backlog", None)
        return items
