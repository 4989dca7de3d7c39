"""Clients and appointments. Client names, identifiers and dates of birth, and appointment attendees, are
encrypted at rest."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select, update

from afternote import times
from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import Appointment, Client, User, new_id
from afternote.session import session_from
from afternote.workflow import access, audit, measures, practice
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NoteLocked, NotFound


@dataclass(frozen=True)
class ClientView:
    id: str
    name: str
    identifier: str | None
    clinician_id: str
    birth_date: dt.date | None = None


def _encrypted_birth_date(db: Database, birth_date: dt.date | None, client_id: str) -> bytes | None:
    if birth_date is None:
        return None
    if not dt.date(1900, 1, 1) <= birth_date <= dt.date.today():
        raise InputError("A date of birth is between 1900-01-01 and today (YYYY-MM-DD).")
    return db.keyring.encrypt(birth_date.isoformat(), "clients", "birth_date_enc", client_id)


def birth_date_of(db: Database, client: Client) -> dt.date | None:
    plain = db.keyring.decrypt(client.birth_date_enc, "clients", "birth_date_enc", client.id)
    return dt.date.fromisoformat(plain) if plain else None


def _view(db: Database, c: Client) -> ClientView:
    k = db.keyring
    return ClientView(c.id, k.decrypt(c.name_enc, "clients", "name_enc", c.id),
                      k.decrypt(c.identifier_enc, "clients", "identifier_enc", c.id), c.clinician_id,
                      birth_date_of(db, c))


def add_client(db: Database, actor: Actor, name: str, identifier: str | None = None,
               clinician: str | None = None, birth_date: dt.date | None = None) -> ClientView:
    """A new client of the caller (or, for an owner, of the clinician with username `clinician`)."""
    access.require_writer(actor)
    if not name.strip():
        raise InputError("A client needs a name.")
    with db.session(write=True) as session:
        clinician_id = actor.user_id
        if clinician and clinician != actor.username:
            if actor.role != "owner":
                raise access.NotAllowed("Only an owner can add a client for another clinician.")
            clinician_id = session.scalar(select(User.id).where(User.practice_id == actor.practice_id,
                                                                User.username == clinician))
            if clinician_id is None:
                raise NotFound(f"No user '{clinician}' in this practice.")
        client_id = new_id()
        k = db.keyring
        session.add(Client(id=client_id, practice_id=actor.practice_id, clinician_id=clinician_id,
                           name_enc=k.encrypt(name.strip(), "clients", "name_enc", client_id),
                           identifier_enc=k.encrypt(identifier, "clients", "identifier_enc", client_id),
                           birth_date_enc=_encrypted_birth_date(db, birth_date, client_id)))
        audit.record(session, actor, "client_add", "client", client_id)
        return ClientView(client_id, name.strip(), identifier, clinician_id, birth_date)


KEEP = object()  # an update_client argument that leaves the value as recorded


def update_client(db: Database, actor: Actor, client_id: str, name: "str | object" = KEEP,
                  identifier: "str | None | object" = None, birth_date: "dt.date | None | object" = KEEP) -> ClientView:
    """Correct a client's name, record number or date of birth (their clinician, or an owner); what is passed as
    `KEEP` stays as recorded (the date of birth by default), None clears it. The change is audited (which client,
    never the values)."""
    access.require_writer(actor)
    if name is not KEEP and not name.strip():
        raise InputError("A client needs a name.")
    k = db.keyring
    with db.session(write=True) as session:
        c = access.get_client(session, actor, client_id)
        if c.clinician_id != actor.user_id and actor.role != "owner":
            raise access.NotAllowed("Only the client's clinician (or an owner) can change the client's details.")
        if name is not KEEP:
            c.name_enc = k.encrypt(name.strip(), "clients", "name_enc", c.id)
        if identifier is not KEEP:
            c.identifier_enc = k.encrypt(identifier, "clients", "identifier_enc", c.id)
        if birth_date is not KEEP:
            c.birth_date_enc = _encrypted_birth_date(db, birth_date, c.id)
        audit.record(session, actor, "edit", "client", c.id)
        return _view(db, c)


def client_names(db: Database, session, client_ids) -> dict[str, str]:
    k = db.keyring
    rows = session.execute(select(Client.id, Client.name_enc).where(Client.id.in_(set(client_ids)))).all()
    return {cid: k.decrypt(blob, "clients", "name_enc", cid) for cid, blob in rows}


def list_clients(db: Database, actor: Actor) -> list[ClientView]:
    """The clients the caller may see, by name."""
    with db.session(write=True) as session:
        rows = session.scalars(access.scoped(session, actor, select(Client), Client)).all()
        out = [_view(db, c) for c in rows]
        audit.record(session, actor, "view", "client_list", None)
    return sorted(out, key=lambda c: c.name.casefold())


def show_client(db: Database, actor: Actor, client_id: str) -> ClientView:
    """One client the caller may see (the view is audited)."""
    with db.session(write=True) as session:
        c = access.get_client(session, actor, client_id)
        audit.record(session, actor, "view", "client", c.id)
        return _view(db, c)


@dataclass(frozen=True)
class AppointmentView:
    id: str
    client_id: str
    clinician_id: str
    date: dt.date
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC
    minutes: int | None
    service: str | None
    modality: str | None
    telehealth: str | None
    attendees: tuple[str, ...]
    note_id: str | None
    time_zone: str = "UTC"  # the practice's, which its times are shown in


def show_appointment(db: Database, actor: Actor, appointment_id: str) -> AppointmentView:
    """One session the caller may see, with the id of its note if it has one (the view is audited)."""
    from afternote.records.models import Note
    with db.session(write=True) as session:
        a = access.get_appointment(session, actor, appointment_id)
        note_id = session.scalar(select(Note.id).where(Note.appointment_id == a.id))
        attendees = db.keyring.decrypt(a.attendees_enc, "appointments", "attendees_enc", a.id)
        audit.record(session, actor, "view", "appointment", a.id)
        return AppointmentView(a.id, a.client_id, a.clinician_id, a.date, a.starts_at, a.ends_at, a.minutes,
                               a.service, a.modality, a.telehealth,
                               tuple(json.loads(attendees)) if attendees else (), note_id,
                               practice.time_zone(session, actor.practice_id))


def _session_details(date: dt.date, start: dt.time, end: dt.time | None, minutes: int | None, service: str | None,
                     modality: str | None, telehealth: str | None, attendees: list[str] | None, zone: str):
    """The session's facts, validated, and its start and end as stored (UTC; end from minutes when not given),
    from the wall-clock times typed in the practice's `zone`."""
    if end is None and minutes is None:
        raise InputError("An appointment needs an end time or its minutes.")
    session_from({"date": date, "start": start, "end": end, "duration_minutes": minutes})  # end after start
    starts_at = times.stored(dt.datetime.combine(date, start), zone)
    # minutes are elapsed time: on a night the clocks change, the end is start + minutes and 01:30-02:00 can be
    # 90 minutes, so the minutes of a typed end are reckoned in UTC
    ends_at = times.stored(dt.datetime.combine(date, end), zone) if end else \
        starts_at + dt.timedelta(minutes=minutes or 0)
    elapsed = int((ends_at - starts_at).total_seconds() // 60)
    facts = session_from({"date": date, "start": start, "end": end if minutes is None else None,
                          "duration_minutes": elapsed if minutes is None else minutes, "service": service,
                          "modality": modality, "telehealth": telehealth, "attendees": tuple(attendees or ())})
    return facts, starts_at, ends_at


def _encrypted_attendees(db: Database, attendees: list[str] | None, appointment_id: str) -> bytes | None:
    if not attendees:
        return None
    return db.keyring.encrypt(json.dumps(list(attendees)), "appointments", "attendees_enc", appointment_id)


def add_appointment(db: Database, actor: Actor, client_id: str, date: dt.date, start: dt.time,
                    end: dt.time | None = None, minutes: int | None = None, service: str | None = None,
                    modality: str | None = None, telehealth: str | None = None,
                    attendees: list[str] | None = None) -> str:
    """A session with a client, its times the practice's wall-clock times; its note is then due by the practice's
    deadline. Returns the appointment id."""
    access.require_writer(actor)
    with db.session(write=True) as session:
        zone = practice.time_zone(session, actor.practice_id)
        facts, starts_at, ends_at = _session_details(date, start, end, minutes, service, modality, telehealth,
                                                     attendees, zone)
        client = access.get_client(session, actor, client_id)
        if client.clinician_id != actor.user_id and actor.role != "owner":
            raise access.NotAllowed("Only the client's clinician (or an owner) can add a session for this client.")
        appointment_id = new_id()
        session.add(Appointment(
            id=appointment_id, practice_id=actor.practice_id, client_id=client.id, clinician_id=client.clinician_id,
            date=date, starts_at=starts_at, ends_at=ends_at, time_zone=zone, minutes=facts.minutes, service=service,
            modality=modality, telehealth=telehealth,
            attendees_enc=_encrypted_attendees(db, attendees, appointment_id)))
        audit.record(session, actor, "appointment_add", "appointment", appointment_id)
        return appointment_id


def update_appointment(db: Database, actor: Actor, appointment_id: str, date: dt.date, start: dt.time,
                       end: dt.time | None = None, minutes: int | None = None, service: str | None = None,
                       modality: str | None = None, telehealth: str | None = None,
                       attendees: list[str] | None = None) -> AppointmentView:
    """Correct a session's details (date, time, minutes, service, modality, telehealth, attendees) while its note
    is not signed: the session's clinician, or an owner. Refused once the note is signed (the signed note and its
    billing facts stand; corrections are addenda). The next draft uses the new details."""
    access.require_writer(actor)
    with db.session(write=True) as session:
        zone = practice.time_zone(session, actor.practice_id)
        facts, starts_at, ends_at = _session_details(date, start, end, minutes, service, modality, telehealth,
                                                     attendees, zone)
        a = access.get_appointment(session, actor, appointment_id)
        if a.clinician_id != actor.user_id and actor.role != "owner":
            raise access.NotAllowed("Only the session's clinician (or an owner) can change its details.")
        locked = NoteLocked("This session's note is signed, so its details are part of the signed record and "
                            "cannot change. Add an addendum to the note to correct them.")
        if not a.open:
            raise locked
        attendees_enc = _encrypted_attendees(db, attendees, a.id)
        result = session.execute(  # `open` is cleared in the same transaction that signs the note
            update(Appointment).where(Appointment.id == a.id, Appointment.open == True)  # noqa: E712
            .values(date=date, starts_at=starts_at, ends_at=ends_at, time_zone=zone, minutes=facts.minutes,
                    service=service,
                    modality=modality, telehealth=telehealth, attendees_enc=attendees_enc)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise locked
        from afternote.records.models import Note
        note = session.scalar(select(Note).where(Note.appointment_id == a.id))
        note_id = note.id if note else None
        audit.record(session, actor, "edit", "appointment", a.id)
        if note is not None:  # its measures carry the session's date
            measures.follow_key_points(db, session, actor, note)
        return AppointmentView(a.id, a.client_id, a.clinician_id, date, starts_at, ends_at, facts.minutes, service,
                               modality, telehealth, tuple(attendees or ()), note_id, zone)


def session_facts(db: Database, appointment: Appointment):
    """The drafting Session for an appointment (minutes, service, modality...)."""
    attendees = db.keyring.decrypt(appointment.attendees_enc, "appointments", "attendees_enc", appointment.id)
    starts, ends = typed_times(appointment)
    # the wall-clock end, unless it falls on another day or (the clocks fell back) reads before the start
    end = ends.time() if ends > starts and ends.date() == starts.date() else None
    return session_from({"date": appointment.date, "start": starts.time(), "end": end,
                         "duration_minutes": appointment.minutes, "service": appointment.service,
                         "modality": appointment.modality, "telehealth": appointment.telehealth,
                         "attendees": tuple(json.loads(attendees)) if attendees else ()})


def typed_times(appointment: Appointment) -> tuple[dt.datetime, dt.datetime]:
    """The session's start and end as the wall-clock times they were typed as, in the zone they were typed in."""
    zone = appointment.time_zone or "UTC"
    return times.wall_clock(appointment.starts_at, zone), times.wall_clock(appointment.ends_at, zone)
