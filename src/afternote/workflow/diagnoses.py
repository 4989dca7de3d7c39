"""A client's diagnoses: ICD-10-CM codes (icd10.py) with the description the code set gives, a primary one and
others, each from a start date to an end date (the day it was resolved; none: still active). Code and
description are encrypted; every change is audited by the diagnosis' id (record type "diagnosis"), never
its code.

A signed note keeps its own sealed copy of the diagnoses active when it was signed (see `sealed`), so a diagnosis
ended or removed later leaves the signed notes as they were.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from afternote import icd10, times
from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import Diagnosis, new_id, utcnow
from afternote.workflow import access, audit, practice
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotFound

KEEP = object()


@dataclass(frozen=True)
class DiagnosisView:
    id: str
    client_id: str
    code: str
    description: str
    primary: bool
    starts_on: dt.date | None
    ends_on: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        # the end date is the day it was resolved: from then on it no longer applies
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day < self.ends_on)

    @property
    def label(self) -> str:
        return f"{self.code} {self.description}" + (" (primary)" if self.primary else "")


def _view(db: Database, row: Diagnosis) -> DiagnosisView:
    k = db.keyring
    return DiagnosisView(row.id, row.client_id, k.decrypt(row.code_enc, "diagnoses", "code_enc", row.id),
                         k.decrypt(row.description_enc, "diagnoses", "description_enc", row.id), bool(row.is_primary),
                         row.starts_on, row.ends_on)


def practice_today(session, practice_id: str) -> dt.date:
    """Today in the practice's time zone: the day "active" and "ended" are reckoned on."""
    return times.today(utcnow(), practice.time_zone(session, practice_id))


def today_of(db: Database, actor: Actor) -> dt.date:
    with db.session() as session:
        return practice_today(session, actor.practice_id)


def _dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise InputError(f"A diagnosis ends ({ends_on}) on or after it starts ({starts_on}). Check the dates.")


def of_client(db: Database, session, client_id: str, today: dt.date) -> list[DiagnosisView]:
    """Every diagnosis of the client: the active ones first (the primary first), then the ended, latest first."""
    rows = session.scalars(select(Diagnosis).where(Diagnosis.client_id == client_id)).all()
    views = [_view(db, r) for r in rows]
    return sorted(views, key=lambda d: (not d.active_on(today), not d.primary,
                                        -(d.starts_on or dt.date.min).toordinal(), d.code))


def active(db: Database, session, client_id: str, day: dt.date) -> list[DiagnosisView]:
    """The client's diagnoses active on `day`, the primary first."""
    return [d for d in of_client(db, session, client_id, day) if d.active_on(day)]


def sealed(views: list[DiagnosisView]) -> list[dict]:
    """The diagnoses as a signature stores and seals them (seal shape 4, workflow/signing.py)."""
    return [{"code": d.code, "description": d.description, "primary": d.primary} for d in views]


def list_diagnoses(db: Database, actor: Actor, client_id: str, today: dt.date | None = None) -> list[DiagnosisView]:
    """The client's diagnoses (the view is audited)."""
    with db.session(write=True) as session:
        client = access.get_client(session, actor, client_id)
        found = of_client(db, session, client.id, today or practice_today(session, client.practice_id))
        audit.record(session, actor, "view", "diagnoses", client.id)
        return found


def _clear_primary(session, client_id: str, keep: str) -> None:
    session.execute(update(Diagnosis).where(Diagnosis.client_id == client_id, Diagnosis.id != keep,
                                            Diagnosis.is_primary == True)  # noqa: E712
                    .values(is_primary=False, updated_at=utcnow()).execution_options(synchronize_session=False))


def add(db: Database, actor: Actor, client_id: str, code: str, *, primary: bool = False,
        starts_on: dt.date | None = None, ends_on: dt.date | None = None) -> DiagnosisView:
    """Add a billable ICD-10-CM code to the client's diagnoses (its description from the code set). A new primary
    diagnosis makes the one before it secondary. The client's clinician, or an owner."""
    from afternote.workflow.chart import editable_client
    access.require_writer(actor)
    found = icd10.lookup(code)
    _dates(starts_on, ends_on)
    k = db.keyring
    with db.session(write=True) as session:
        client = editable_client(session, actor, client_id)
        row_id = new_id()
        session.add(Diagnosis(id=row_id, practice_id=client.practice_id, client_id=client.id,
                              clinician_id=client.clinician_id,
                              code_enc=k.encrypt(found.code, "diagnoses", "code_enc", row_id),
                              description_enc=k.encrypt(found.description, "diagnoses", "description_enc", row_id),
                              is_primary=primary, starts_on=starts_on, ends_on=ends_on))
        session.flush()
        if primary:
            _clear_primary(session, client.id, row_id)
        audit.record(session, actor, "create", "diagnosis", row_id)
        return DiagnosisView(row_id, client.id, found.code, found.description, primary, starts_on, ends_on)


def _editable(session, actor: Actor, diagnosis_id: str, client_id: str | None) -> Diagnosis:
    """The diagnosis, if the caller may change it (and, given `client_id`, it is that client's)."""
    from afternote.workflow.chart import editable_client
    row = session.scalar(access.scoped(session, actor, select(Diagnosis), Diagnosis)
                         .where(Diagnosis.id == diagnosis_id))
    if row is None or client_id not in (None, row.client_id):
        raise NotFound(f"No diagnosis {diagnosis_id} that you can see in this practice. Check the id (the "
                       "client's diagnoses list them).").about("diagnosis", diagnosis_id)
    editable_client(session, actor, row.client_id)
    return row


def update_diagnosis(db: Database, actor: Actor, diagnosis_id: str, *, primary: "bool | object" = KEEP,
                     starts_on: "dt.date | None | object" = KEEP, ends_on: "dt.date | None | object" = KEEP,
                     client_id: str | None = None) -> DiagnosisView:
    """Change whether it is primary, or its dates (an end date ends it); what is KEEP stays. To change the code,
    end or remove this diagnosis and add the right one. `client_id`: refuse one of another client (NotFound)."""
    access.require_writer(actor)
    with db.session(write=True) as session:
        row = _editable(session, actor, diagnosis_id, client_id)
        start = row.starts_on if starts_on is KEEP else starts_on
        end = row.ends_on if ends_on is KEEP else ends_on
        _dates(start, end)
        row.starts_on, row.ends_on, row.updated_at = start, end, utcnow()
        if primary is not KEEP:
            row.is_primary = bool(primary)
            if primary:
                _clear_primary(session, row.client_id, row.id)
        audit.record(session, actor, "edit", "diagnosis", row.id)
        session.flush()
        return _view(db, row)


def remove(db: Database, actor: Actor, diagnosis_id: str, client_id: str | None = None) -> None:
    """Delete a diagnosis entered by mistake (one that applied and no longer does: give it an end date instead).
    Signed notes keep the copy they sealed."""
    access.require_writer(actor)
    with db.session(write=True) as session:
        row = _editable(session, actor, diagnosis_id, client_id)
        session.delete(row)
        audit.record(session, actor, "remove", "diagnosis", diagnosis_id)
