"""A client's insurance: the payer, the member id, and an authorization (its number, the sessions it allows, the
dates it covers), with a warning as it runs out, shown on the client's page and on Today.

Sessions used are the client's sessions dated within the authorization's dates (a session booked counts: it will
use one). Payer, member id and the authorization's number are encrypted; each change is audited one event per field
("insurance_payer", ...), by the client's id.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import Appointment, Insurance, new_id, utcnow
from afternote.workflow import access, audit
from afternote.workflow.diagnoses import practice_today
from afternote.workflow.actor import Actor

FEW_SESSIONS = 3  # warn when this many authorized sessions or fewer are left
NEAR_DAYS = 14  # warn when the authorization ends within this many days
FIELDS = ("payer", "member_id", "authorization", "authorized_sessions", "authorized_from", "authorized_to")


@dataclass(frozen=True)
class InsuranceView:
    payer: str | None = None
    member_id: str | None = None
    authorization: str | None = None  # the authorization's number
    authorized_sessions: int | None = None
    authorized_from: dt.date | None = None
    authorized_to: dt.date | None = None
    sessions_used: int = 0
    warning: str | None = None

    @property
    def sessions_left(self) -> int | None:
        return None if self.authorized_sessions is None else self.authorized_sessions - self.sessions_used


def authorization_warning(sessions: int | None, starts: dt.date | None, ends: dt.date | None, used: int,
                          today: dt.date) -> str | None:
    """What to tell the clinician about an authorization running out, or None while it has room."""
    if sessions is None and ends is None:
        return None
    if ends is not None and ends < today:
        return f"The authorization ended on {ends:%Y-%m-%d}: ask the payer for a new one before the next session."
    if sessions is not None and used >= sessions:
        return (f"All {sessions} authorized sessions are used ({used} booked): ask the payer for more before the "
                "next session.")
    notes = []
    if sessions is not None and sessions - used <= FEW_SESSIONS:
        left = sessions - used
        notes.append(f"{left} authorized session{'s' if left != 1 else ''} left of {sessions}")
    if ends is not None and (ends - today).days <= NEAR_DAYS:
        notes.append(f"the authorization ends on {ends:%Y-%m-%d}")
    if not notes:
        return None
    text = " and ".join(notes)
    return text[0].upper() + text[1:] + ": request a renewal from the payer."


def _used(session, client_id: str, starts: dt.date | None, ends: dt.date | None) -> int:
    query = select(func.count()).select_from(Appointment).where(Appointment.client_id == client_id)
    if starts:
        query = query.where(Appointment.date >= starts)
    if ends:
        query = query.where(Appointment.date <= ends)
    return session.scalar(query) or 0


def _view(db: Database, session, row: Insurance, today: dt.date) -> InsuranceView:
    k = db.keyring
    used = _used(session, row.client_id, row.authorized_from, row.authorized_to) \
        if row.authorized_sessions is not None or row.authorized_to is not None else 0
    return InsuranceView(k.decrypt(row.payer_enc, "insurance", "payer_enc", row.id),
                         k.decrypt(row.member_id_enc, "insurance", "member_id_enc", row.id),
                         k.decrypt(row.authorization_enc, "insurance", "authorization_enc", row.id),
                         row.authorized_sessions, row.authorized_from, row.authorized_to, used,
                         authorization_warning(row.authorized_sessions, row.authorized_from, row.authorized_to, used,
                                               today))


def of_client(db: Database, session, client_id: str, today: dt.date) -> InsuranceView | None:
    row = session.scalar(select(Insurance).where(Insurance.client_id == client_id))
    return None if row is None else _view(db, session, row, today)


def _checked(value: InsuranceView) -> None:
    for name, limit in (("payer", 200), ("member_id", 100), ("authorization", 100)):
        if len(getattr(value, name) or "") > limit:
            raise InputError(f"The {name.replace('_', ' ')} is at most {limit} characters.")
    if value.authorized_sessions is not None and not 1 <= value.authorized_sessions <= 1000:
        raise InputError("The authorized sessions are a number from 1 to 1000.")
    if value.authorized_from and value.authorized_to and value.authorized_to < value.authorized_from:
        raise InputError(f"The authorization ends ({value.authorized_to}) before it starts "
                         f"({value.authorized_from}). Check the dates.")


def save(db: Database, actor: Actor, client_id: str, value: InsuranceView,
         today: dt.date | None = None) -> InsuranceView:
    """Set the client's insurance to `value` (empty text clears a field): the client's clinician, or an owner."""
    from afternote.workflow.chart import editable_client
    access.require_writer(actor)
    value = InsuranceView(*(((getattr(value, f) or "").strip() or None) if f in FIELDS[:3] else getattr(value, f)
                            for f in FIELDS))
    _checked(value)
    k = db.keyring
    with db.session(write=True) as session:
        client = editable_client(session, actor, client_id)
        row = session.scalar(select(Insurance).where(Insurance.client_id == client.id))
        today = today or practice_today(session, client.practice_id)
        before = InsuranceView() if row is None else _view(db, session, row, today)
        if row is None:
            row = Insurance(id=new_id(), practice_id=client.practice_id, client_id=client.id,
                            clinician_id=client.clinician_id)
            session.add(row)
        for name in FIELDS:
            new = getattr(value, name)
            if new == getattr(before, name):
                continue
            if name in FIELDS[:3]:
                setattr(row, f"{name}_enc", k.encrypt(new, "insurance", f"{name}_enc", row.id))
            else:
                setattr(row, name, new)
            audit.record(session, actor, "edit", f"insurance_{name}", client.id)
        row.updated_at = utcnow()
        session.flush()
        return _view(db, session, row, today)


def warnings(db: Database, actor: Actor, today: dt.date) -> dict[str, tuple[str, str]]:
    """client id -> (name, warning) for each client the caller may see whose authorization is running out (one
    query for every authorization and the sessions within its dates)."""
    from afternote.workflow.clients import client_names
    within = and_(Appointment.client_id == Insurance.client_id,
                  or_(Insurance.authorized_from.is_(None), Appointment.date >= Insurance.authorized_from),
                  or_(Insurance.authorized_to.is_(None), Appointment.date <= Insurance.authorized_to))
    with db.session() as session:
        query = access.scoped(session, actor, select(Insurance.client_id, Insurance.authorized_sessions,
                                                     Insurance.authorized_from, Insurance.authorized_to,
                                                     func.count(Appointment.id)), Insurance)
        query = (query.outerjoin(Appointment, within)
                 .where(or_(Insurance.authorized_sessions.is_not(None), Insurance.authorized_to.is_not(None)))
                 .group_by(Insurance.client_id, Insurance.authorized_sessions, Insurance.authorized_from,
                           Insurance.authorized_to))
        found = {}
        for client_id, sessions, starts, ends, used in session.execute(query):
            message = authorization_warning(sessions, starts, ends, used, today)
            if message:
                found[client_id] = message
        names = client_names(db, session, found)
    return {cid: (names.get(cid, "?"), message) for cid, message in
            sorted(found.items(), key=lambda kv: names.get(kv[0], "").casefold())}
