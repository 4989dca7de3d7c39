"""Exports: gather a note (or a client's record for a date range) from the sealed record, render it with the
chosen exporter, and audit the disclosure (who, which note or client, which format; never health data).

A signed note is rendered from the content of the version its signature sealed, and carries the result of
verifying that seal; a draft is rendered from its current version and marked as a draft.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from afternote import times
from afternote.checks.billing import suggested_code
from afternote.errors import InputError
from afternote.exports import Exporter
from afternote.exports import document as d
from afternote.plugins import exporters
from afternote.records.database import Database
from afternote.records.models import Addendum, Appointment, Client, Note, Signature, User
from afternote.workflow import access, audit, chain, diagnoses, measures, notes, plans, practice
from afternote.workflow.actor import Actor
from afternote.workflow.clients import birth_date_of, session_facts
from afternote.workflow.errors import NotFound

RECORD_SPAN_DAYS = 366 * 50  # a range longer than any record is a typo, not a request


@dataclass(frozen=True)
class Export:
    """Rendered bytes with what a download needs: the media type and a file name with no health data in it."""

    content: bytes
    media_type: str
    filename: str


def exporter(name: str, *, record: bool = False) -> Exporter:
    """The exporter called `name` (`record`: one that can hold a client's whole record), else InputError."""
    known = exporters()
    found = known.get(name)
    if found is None or (record and found.record is None):
        names = sorted(n for n, e in known.items() if not record or e.record is not None)
        what = "a client's record" if record else "a note"
        raise InputError(f"'{name[:30]}' is not an export format for {what}. Choose one of: {', '.join(names)}.")
    return found


def note_filename(note_id: str, format: str) -> str:
    """The download's name: ids only, never health data."""
    return f"note-{note_id}{exporter(format).suffix}"


def record_filename(client_id: str, format: str, start: dt.date, end: dt.date) -> str:
    return f"record-{client_id}-{start:%Y%m%d}-{end:%Y%m%d}{exporter(format, record=True).suffix}"


def _session(db: Database, appointment: Appointment, signature: Signature | None) -> d.SessionFacts:
    """The session; its CPT code as the signature sealed it (seal shape 4 on), else the one it suggests."""
    facts = session_facts(db, appointment)
    sealed = signature is not None and (signature.seal_version or 1) >= 4
    cpt = (chain.confirmed_cpt(db.keyring, signature) or "") if sealed else suggested_code(facts)
    return d.SessionFacts(appointment.id, appointment.date, appointment.starts_at, appointment.ends_at,
                          facts.minutes, facts.service, cpt, facts.modality, facts.telehealth, facts.attendees)


def _diagnoses(db: Database, session, note: Note, signature: Signature | None) -> tuple[d.Diagnosis, ...]:
    """A signed note's diagnoses as sealed (shape 4 on; none before); a draft's, the chart's active ones."""
    if signature is not None and (signature.seal_version or 1) >= 4:
        rows = chain.sealed_diagnoses(db.keyring, signature)
    elif signature is None:
        rows = diagnoses.sealed(diagnoses.active(db, session, note.client_id,
                                                 diagnoses.practice_today(session, note.practice_id)))
    else:
        rows = []  # sealed before notes carried diagnoses: today's chart would misstate what was signed
    return tuple(d.Diagnosis(r["code"], r["description"], bool(r.get("primary"))) for r in rows)


def _measures(db: Database, session, note: Note) -> tuple[d.Measure, ...]:
    """The note's rating-scale totals, with their LOINC codes and bands."""
    return tuple(d.Measure(i.key, i.name, score, i.loinc, i.step != 1, b.label if (b := i.band_of(score)) else None)
                 for i, score in measures.of_note(db, session, note.id))


def _person(db: Database, client: Client) -> d.Person:
    k = db.keyring
    return d.Person(client.id, k.decrypt(client.name_enc, "clients", "name_enc", client.id),
                    birth_date_of(db, client), k.decrypt(client.identifier_enc, "clients", "identifier_enc", client.id))


def _document(db: Database, session, note: Note, client: d.Person, letterhead: d.Letterhead,
              licences: dict[str, str]) -> d.NoteDocument:
    k = db.keyring
    sigs = session.scalars(select(Signature).where(Signature.note_id == note.id).order_by(Signature.signed_at)).all()
    signature = next((s for s in sigs if s.kind == "sign"), None)
    number = signature.version if signature else note.current_version  # a signed note as it was sealed
    content = notes.version_content(db, session, note.id, number)
    clinician = session.get(User, note.clinician_id)
    adds = session.scalars(select(Addendum).where(Addendum.note_id == note.id).order_by(Addendum.created_at)).all()
    problems = chain.problems(db.keyring, session, note) if note.status != "draft" else None
    return d.NoteDocument(
        note_id=note.id, status=note.status, version=number, format=content["format"],
        format_name=content.get("format_name") or content["format"].upper(), engine=content.get("engine", ""),
        practice=letterhead, client=client,
        clinician=d.Clinician(clinician.id, clinician.display_name, clinician.credentials or "",
                              licences.get(clinician.id, "")),
        session=_session(db, session.get(Appointment, note.appointment_id), signature),
        diagnoses=_diagnoses(db, session, note, signature),
        sections=tuple(d.Section(s["key"], s["title"], s["text"], s.get("loinc")) for s in content["sections"]),
        signatures=tuple(d.Signature(s.kind, s.signer_name, s.credentials, licences.get(s.signer_id, ""),
                                     s.signed_at, s.content_sha256, bool(s.late), s.signer_id) for s in sigs),
        addenda=tuple(d.Addendum(a.id, a.author_name, a.credentials, a.created_at,
                                 k.decrypt(a.reason_enc, "addenda", "reason_enc", a.id),
                                 k.decrypt(a.text_enc, "addenda", "text_enc", a.id), a.content_sha256)
                      for a in adds),
        verification=None if problems is None else d.Verification(not problems, tuple(problems)),
        measures=_measures(db, session, note))


def _licences(session, practice_id: str) -> dict[str, str]:
    rows = session.execute(select(User.id, User.licence_number).where(User.practice_id == practice_id)).all()
    return {user_id: licence or "" for user_id, licence in rows}


def _disclosed(db: Database, actor: Actor, record_type: str, record_id: str, gather, render) -> bytes:
    """Render what `gather` returns and audit the export; a record the caller cannot see (NotFound) is audited as
    refused, with the id asked for and nothing else."""
    try:
        document = gather()
    except NotFound:
        with db.session(write=True) as session:
            audit.record(session, actor, "export", record_type, record_id[:32], outcome="refused")
        raise
    content = render(document)
    with db.session(write=True) as session:
        audit.record(session, actor, "export", record_type, record_id)
    return content


def note_document(db: Database, actor: Actor, note_id: str) -> d.NoteDocument:
    """The note as an export shows it (not audited: callers export, or show, and audit that)."""
    with db.session() as session:
        note = access.get_note(session, actor, note_id)
        client = _person(db, session.get(Client, note.client_id))
        return _document(db, session, note, client, practice.letterhead(session, actor.practice_id),
                         _licences(session, actor.practice_id))


def export_note(db: Database, actor: Actor, note_id: str, format: str) -> Export:
    """One note in `format` (pdf, docx, fhir, text, markdown or a plugin's), audited as an export."""
    chosen = exporter(format)
    content = _disclosed(db, actor, f"note_{chosen.name}", note_id, lambda: note_document(db, actor, note_id),
                         chosen.note)
    return Export(content, chosen.media_type, note_filename(note_id, chosen.name))


def _sessions_between(start: dt.date, end: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The period's first moment and the moment after it, as stored (UTC): its days are the practice's."""
    if end < start:
        raise InputError(f"The period ends ({end}) before it starts ({start}). Give --from before --to.")
    if (end - start).days > RECORD_SPAN_DAYS:
        raise InputError("The period is longer than 50 years. Check --from and --to.")
    return times.day_start(start, zone), times.day_start(end + dt.timedelta(days=1), zone)


def client_record(db: Database, actor: Actor, client_id: str, start: dt.date, end: dt.date) -> d.ClientRecord:
    """Every signed note (with its addenda) of a client's sessions from `start` to `end`, oldest first, and every
    treatment plan version signed in those days."""
    with db.session() as session:
        client = access.get_client(session, actor, client_id)
        person = _person(db, client)
        letterhead = practice.letterhead(session, actor.practice_id)
        first, after = _sessions_between(start, end, letterhead.time_zone)
        licences = _licences(session, actor.practice_id)
        rows = session.scalars(
            access.scoped(session, actor, select(Note), Note).join(Appointment, Appointment.id == Note.appointment_id)
            .where(Note.client_id == client.id, Note.status != "draft", Appointment.starts_at >= first,
                   Appointment.starts_at < after).order_by(Appointment.starts_at)).all()
        docs = tuple(_document(db, session, note, person, letterhead, licences) for note in rows)
        signed_plans = _plan_versions(db, session, client, first, after, licences)
    return d.ClientRecord(letterhead, person, start, end, docs, plans=signed_plans)


def _plan_versions(db: Database, session, client: Client, first: dt.datetime, after: dt.datetime,
                   licences: dict[str, str]) -> tuple[d.PlanVersion, ...]:
    """Every treatment plan version of the client signed in the period, as sealed, each with its verification."""
    return tuple(
        d.PlanVersion(v.plan_id, v.signature.version, v.document,
                      d.Signature("sign", v.signature.signer_name, v.signature.credentials,
                                  licences.get(v.signature.signer_id, ""), v.signature.signed_at,
                                  v.signature.content_sha256, signer_id=v.signature.signer_id),
                      d.Verification(not v.problems, v.problems), v.active)
        for v in plans.signed_versions(db, session, client.practice_id, client.id, first, after))


def export_client_record(db: Database, actor: Actor, client_id: str, format: str, start: dt.date,
                         end: dt.date) -> Export:
    """A client's record for a period as one document (pdf or fhir), audited as an export of the client."""
    chosen = exporter(format, record=True)
    content = _disclosed(db, actor, f"client_record_{chosen.name}", client_id,
                         lambda: client_record(db, actor, client_id, start, end), chosen.record)
    return Export(content, chosen.media_type, record_filename(client_id, chosen.name, start, end))

