"""The audit trail: one append-only event per view, create, edit, sign, addendum, export, login and failed login;
each refused or not-found access to a record (at most REFUSALS_PER_MINUTE a user); each reading of the trail.

Events name the actor, the action, the record type and id, the time and the source; never any health data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from afternote.records.database import Database
from afternote.records.models import AuditEvent, utcnow
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotAllowed

ACTIONS = ("view", "create", "edit", "redraft", "sign", "cosign", "addendum", "verify", "export", "login",
           "login_failed", "user_add", "client_add", "appointment_add", "rotate_key", "backup", "restore", "logout", "token_create",
           "token_revoke", "user_role", "user_supervisor", "user_deactivate", "user_reactivate", "password_change",
           "password_reset", "acknowledge_warning", "access_refused", "audit_read", "restore_version",
           "time_zone_change", "return", "remove")
ACTIONS += ("two_factor_enrol", "two_factor_failed", "two_factor_disable", "two_factor_reset", "recovery_code_used",
            "two_factor_required", "two_factor_optional")  # workflow/two_factor.py
REFUSALS_PER_MINUTE = 10  # per user: a scanner's thousands of refused ids must not flood the trail


def record(session: Session, actor: Actor | None, action: str, record_type: str | None = None,
           record_id: str | None = None, *, outcome: str = "ok", username: str | None = None,
           practice_id: str | None = None, source: str | None = None) -> None:
    """Add an audit event to the caller's unit of work (so it commits, or not, with what it describes)."""
    assert action in ACTIONS, action
    session.add(AuditEvent(
        practice_id=actor.practice_id if actor else practice_id, user_id=actor.user_id if actor else None,
        username=actor.username if actor else username, at=utcnow(), action=action, record_type=record_type,
        record_id=record_id, source=(actor.source if actor else source) or "cli", outcome=outcome))


def refused(db: Database, actor: Actor, outcome: str, record_type: str | None = None,
            record_id: str | None = None) -> bool:
    """Record that `actor` was refused (`outcome` "refused": 403, "not_found": 404) a record, in a unit of work of its
    own (the refused one was rolled back); skipped past REFUSALS_PER_MINUTE for the user. Whether it was recorded."""
    now = utcnow()  # the clock record() stamps events with
    with db.session(write=True) as session:
        recent = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.practice_id == actor.practice_id, AuditEvent.at >= now - dt.timedelta(minutes=1),
            AuditEvent.user_id == actor.user_id, AuditEvent.action == "access_refused"))
        if recent >= REFUSALS_PER_MINUTE:
            return False
        record(session, actor, "access_refused", record_type, record_id, outcome=outcome)
        return True


@dataclass(frozen=True)
class Event:
    id: int
    at: dt.datetime
    username: str | None
    action: str
    record_type: str | None
    record_id: str | None
    source: str
    outcome: str


def events(db: Database, actor: Actor, *, action: str | None = None, username: str | None = None,
           record_id: str | None = None, since: dt.datetime | None = None, limit: int = 200) -> list[Event]:
    """The practice's audit events, newest first; owners and auditors only."""
    if actor.role not in ("owner", "auditor"):
        raise NotAllowed("Only an owner or an auditor can read the audit trail.")
    query = select(AuditEvent).where(AuditEvent.practice_id == actor.practice_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if username:
        query = query.where(AuditEvent.username == username)
    if record_id:
        query = query.where(AuditEvent.record_id == record_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    with db.session(write=True) as session:  # reading the trail is itself in the trail
        rows = session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
        record(session, actor, "audit_read")
        return [Event(r.id, r.at, r.username, r.action, r.record_type, r.record_id, r.source, r.outcome)
                for r in rows]
