"""Notes from key points to a signed, sealed record: create, edit, redraft, sign, co-sign, addend, verify.

Every save is a new version row; a save against a stale version raises StaleVersion and writes nothing. A signed
note is read-only here and at the database (triggers); corrections are addenda.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import afternote
from afternote import times
from afternote.drafting import plan_goals
from afternote.drafting.pipeline import findings_for
from afternote.errors import FormatError, InputError
from afternote.formats import get_format
from afternote.records.database import Database
from afternote.records.models import Addendum, Appointment, Note, NoteVersion, Signature, User, new_id, utcnow
from afternote.checks import billing
from afternote.workflow import access, audit, chain, diagnoses, measures, plans, practice
from afternote.workflow.actor import Actor
from afternote.workflow.clients import client_names, session_facts
from afternote.workflow.errors import KeyPointsConflict, NoteLocked, NotAllowed, StaleVersion


@dataclass(frozen=True)
class SignatureView:
    kind: str
    signer: str
    credentials: str
    signed_at: dt.datetime
    version: int
    content_sha256: str
    late: bool = False
    acknowledged: tuple[str, ...] = ()
    cpt: str | None = None  # the CPT code confirmed at signing (seal shape 4); None: not billed, or signed before
    diagnoses: tuple[dict, ...] = ()  # the client's diagnoses active at signing: code, description, primary


@dataclass(frozen=True)
class AddendumView:
    id: str
    author: str
    credentials: str
    created_at: dt.datetime
    reason: str
    text: str


@dataclass
class NoteView:
    """A note as the caller may see it: the current version's content, and its signatures and addenda."""

    id: str
    client_id: str
    appointment_id: str
    clinician_id: str
    status: str
    version: int
    format: str
    engine: str
    key_points: str
    content: dict
    awaiting_cosign_by: str | None = None
    signatures: list[SignatureView] = field(default_factory=list)
    addenda: list[AddendumView] = field(default_factory=list)
    key_points_revision: int = 1  # send it back with the next save of the key points

    def to_text(self) -> str:
        body = "\n\n".join(f"{s['title']}:\n{s['text']}" for s in self.content["sections"])
        for sig in self.signatures:
            label = "Co-signed" if sig.kind == "cosign" else "Signed"
            body += f"\n\n{label}: {sig.signer}, {sig.credentials} on {sig.signed_at:%Y-%m-%d %H:%M} UTC"
        for add in self.addenda:
            body += (f"\n\nAddendum ({add.created_at:%Y-%m-%d %H:%M} UTC, {add.author}, {add.credentials}; "
                     f"reason: {add.reason}):\n{add.text}")
        return body + "\n"


@dataclass(frozen=True)
class NoteSummary:
    id: str
    client_id: str
    client_name: str
    appointment_id: str
    starts_at: dt.datetime
    status: str
    version: int
    format: str


@dataclass(frozen=True)
class Verification:
    note_id: str
    ok: bool
    problems: tuple[str, ...]


def _content_of(note: afternote.Note) -> dict:
    content = note.to_dict()
    content.pop("id", None)
    return content


def _encrypt_content(db: Database, version_id: str, content: dict) -> bytes:
    return db.keyring.encrypt(json.dumps(content, ensure_ascii=False), "note_versions", "content_enc", version_id)


def _version(session, note_id: str, number: int) -> NoteVersion:
    return session.scalar(select(NoteVersion).where(NoteVersion.note_id == note_id, NoteVersion.number == number))


def _content(db: Database, version: NoteVersion) -> dict:
    return json.loads(db.keyring.decrypt(version.content_enc, "note_versions", "content_enc", version.id))


def version_content(db: Database, session, note_id: str, number: int) -> dict:
    """The decrypted content of one saved version of a note."""
    return _content(db, _version(session, note_id, number))


def _key_points(db: Database, note: Note) -> str:
    return db.keyring.decrypt(note.key_points_enc, "notes", "key_points_enc", note.id)


def _who(session, actor: Actor, user_id: str) -> str:
    """How a save's author is named to the caller: themselves in another tab, or by their name."""
    if user_id == actor.user_id:
        return "you, in another window or tab"
    return session.scalar(select(User.display_name).where(User.id == user_id)) or "another user"


def _stale(session, actor: Actor, note_id: str, base_version: int) -> StaleVersion:
    """The refusal of a save based on `base_version`, naming who saved the current version and when."""
    latest = session.scalar(select(NoteVersion).where(NoteVersion.note_id == note_id)
                            .order_by(NoteVersion.number.desc()).limit(1))
    return StaleVersion(note_id, base_version, latest.number, _who(session, actor, latest.author_id),
                        latest.created_at, practice.time_zone(session, actor.practice_id))


def _key_points_conflict(db: Database, session, actor: Actor, note: Note, base_revision: int,
                         mine: str) -> KeyPointsConflict:
    # only the note's author saves its key points, so the other save was theirs, in another window or tab
    return KeyPointsConflict(note.id, base_revision, note.key_points_revision, mine, _key_points(db, note),
                             _who(session, actor, note.clinician_id),
                             time_zone=practice.time_zone(session, actor.practice_id))


def _draft(db: Database, appointment: Appointment, key_points: str, fmt: str, engine: str,
           formats_dir: Path | None) -> dict:
    content = _content_of(afternote.draft(key_points, fmt, session_facts(db, appointment), engine=engine,
                                          formats_dir=formats_dir))
    content["key_points"] = key_points  # each version keeps the key points it was drafted from
    return content


def create(db: Database, actor: Actor, appointment_id: str, key_points: str, format: str = "soap",
           engine: str = "builtin", formats_dir: Path | None = None) -> NoteView:
    """Draft a note for an appointment from the clinician's key points (version 1). `formats_dir` holds the
    practice's own formats (the settings' formats_dir), which this and every later save can draft with."""
    access.require_writer(actor)
    with db.session(write=True) as session:
        appointment = access.get_appointment(session, actor, appointment_id)
        if appointment.clinician_id != actor.user_id:
            raise NotAllowed("Only the clinician who held the session can write its note.")
        if session.scalar(select(Note.id).where(Note.appointment_id == appointment.id)):
            raise InputError(f"Appointment {appointment_id} already has a note. Open it with `afternote notes "
                             "show` and edit or redraft it.")
        content = _draft(db, appointment, key_points, format, engine, formats_dir)
        settle_plan(session, actor.practice_id, appointment.client_id, content, formats_dir)
        note_id, version_id = new_id(), new_id()
        note = Note(id=note_id, practice_id=actor.practice_id, appointment_id=appointment.id,
                    client_id=appointment.client_id, clinician_id=actor.user_id,
                    key_points_enc=db.keyring.encrypt(key_points, "notes", "key_points_enc", note_id),
                    format=content["format"], engine=content["engine"], status="draft", current_version=1)
        session.add(note)
        try:
            session.flush()
        except IntegrityError:  # another process wrote this appointment's note a moment ago
            raise InputError(f"Appointment {appointment_id} already has a note. Open it with `afternote notes "
                             "show` and edit or redraft it.") from None
        measures.follow_key_points(db, session, actor, note, key_points)
        session.add(NoteVersion(id=version_id, practice_id=actor.practice_id, note_id=note_id, number=1,
                                format=note.format, engine=note.engine, reason="draft", author_id=actor.user_id,
                                content_enc=_encrypt_content(db, version_id, content)))
        audit.record(session, actor, "create", "note", note_id)
        return NoteView(note_id, note.client_id, note.appointment_id, note.clinician_id, "draft", 1, note.format,
                        note.engine, key_points, content)


def settle_plan(session, practice_id: str, client_id: str, content: dict, formats_dir: Path | None) -> None:
    """Every version as the client's treatment plan settles it: the goals it links written in its goal section,
    and the goal finding only when the client has a signed plan and no goal is linked (drafting/plan_goals.py)."""
    try:
        plan_goals.place(content, get_format(content["format"], formats_dir))
    except FormatError:
        pass  # a practice format since removed: its sections stay as they were saved
    has_plan = bool(plans.clients_with_plans(session, practice_id, [client_id]))
    content["findings"] = plan_goals.plan_findings(content.get("findings", []), has_plan=has_plan,
                                                   linked=plan_goals.linked(content))


def _save_version(db: Database, session, actor: Actor, note: Note, base_version: int, content: dict, reason: str,
                  key_points: str | None = None, formats_dir: Path | None = None) -> int:
    """Append version base+1 if base is still current; else StaleVersion (nothing written). New `key_points`
    are saved with it, as their next revision, if the key points are still at the revision the note was read at.
    The version is settled by the client's treatment plan first (settle_plan)."""
    settle_plan(session, note.practice_id, note.client_id, content, formats_dir)
    if reason != "restore":
        content.pop("restored_from", None)  # only the restoring version says it was restored
    values = {"current_version": base_version + 1, "updated_at": utcnow(), "format": content["format"],
              "engine": content["engine"]}
    condition = [Note.id == note.id, Note.current_version == base_version, Note.status == "draft"]
    if key_points is not None and key_points != _key_points(db, note):
        values["key_points_enc"] = db.keyring.encrypt(key_points, "notes", "key_points_enc", note.id)
        values["key_points_revision"] = note.key_points_revision + 1
        condition.append(Note.key_points_revision == note.key_points_revision)
    result = session.execute(update(Note).where(*condition).values(**values)
                             .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.rollback()
        fresh = session.get(Note, note.id)
        if fresh.current_version == base_version and fresh.status == "draft" and "key_points_revision" in values:
            raise _key_points_conflict(db, session, actor, fresh, note.key_points_revision, key_points)
        raise _stale(session, actor, note.id, base_version)
    if key_points is not None:
        measures.follow_key_points(db, session, actor, note, key_points)
    version_id = new_id()
    session.add(NoteVersion(id=version_id, practice_id=note.practice_id, note_id=note.id, number=base_version + 1,
                            format=content["format"], engine=content["engine"], reason=reason,
                            author_id=actor.user_id, content_enc=_encrypt_content(db, version_id, content)))
    audit.record(session, actor, {"edit": "edit", "restore": "restore_version"}.get(reason, "redraft"), "note",
                 note.id)
    return base_version + 1


def _editable(session, actor: Actor, note_id: str, base_version: int, action: str) -> Note:
    access.require_writer(actor)
    note = access.get_note(session, actor, note_id)
    access.require_author(actor, note, action)
    if note.status != "draft":
        raise NoteLocked(f"Note {note_id} is signed and read-only. Add an addendum to correct or add to it.")
    if note.current_version != base_version:
        raise _stale(session, actor, note_id, base_version)
    return note


def edit_section(db: Database, actor: Actor, note_id: str, section: str, text: str, base_version: int,
                 formats_dir: Path | None = None) -> int:
    """Save a section's new text as a new version; returns the new version number."""
    with db.session(write=True) as session:
        note = _editable(session, actor, note_id, base_version, "edit")
        content = _content(db, _version(session, note_id, base_version))
        for sec in content["sections"]:
            if sec["key"] == section:
                sec.update(text=text, sentences=[], edited=True, empty=not text.strip())
                sec.pop("proposed", None)  # saving your own text answers a redraft's offer: keep mine
                break
        else:
            keys = ", ".join(s["key"] for s in content["sections"])
            raise InputError(f"This note has no section '{section}'. Its sections: {keys}.")
        _refresh_findings(db, session, note, content, formats_dir)
        return _save_version(db, session, actor, note, base_version, content, "edit", formats_dir=formats_dir)


def _refresh_findings(db: Database, session, note: Note, content: dict, formats_dir: Path | None) -> None:
    """The findings of the note as it now stands: the checks read the clinician's edits, not the old draft."""
    facts = session_facts(db, session.get(Appointment, note.appointment_id))
    content["findings"] = [f.to_dict() for f in findings_for(content, facts, formats_dir)]


def redraft(db: Database, actor: Actor, note_id: str, base_version: int, format: str | None = None,
            key_points: str | None = None, engine: str | None = None, on_section=None,
            key_points_revision: int | None = None, formats_dir: Path | None = None) -> int:
    """Draft again (another format, engine or revised key points); earlier versions are kept. `on_section` is
    called with each section (an afternote.NoteSection) as the engine writes it, before anything is saved.
    Revised key points based on `key_points_revision` (if given) that is no longer current raise
    KeyPointsConflict; a stale `base_version` raises StaleVersion; either way nothing is saved."""
    # The engine writes outside any write transaction (a language model can take a while, and SQLite has one
    # writer); the save then appends version base+1 only if base is still current, as every save does.
    with db.session() as session:
        note = _editable(session, actor, note_id, base_version, "redraft")
        _check_key_points_revision(db, session, actor, note, key_points, key_points_revision)
        facts = session_facts(db, session.get(Appointment, note.appointment_id))
        points = key_points if key_points is not None else _key_points(db, note)
        fmt, chosen_engine = format or note.format, engine or note.engine
        before = _content(db, _version(session, note_id, base_version))
    content = _content_of(afternote.draft(points, fmt, facts, engine=chosen_engine, on_section=on_section,
                                          formats_dir=formats_dir))
    content["key_points"] = points
    content = keep_edits(before, content)
    with db.session(write=True) as session:
        note = _editable(session, actor, note_id, base_version, "redraft")
        _check_key_points_revision(db, session, actor, note, key_points, key_points_revision)
        if any(sec.get("edited") for sec in content["sections"]):
            _refresh_findings(db, session, note, content, formats_dir)  # the kept edits count too
        return _save_version(db, session, actor, note, base_version, content, "redraft",
                             key_points=key_points, formats_dir=formats_dir)


def _check_key_points_revision(db: Database, session, actor: Actor, note: Note, key_points: str | None,
                               revision: int | None) -> None:
    if key_points is not None and revision is not None and revision != note.key_points_revision \
            and key_points != _key_points(db, note):
        raise _key_points_conflict(db, session, actor, note, revision, key_points)


def keep_edits(before: dict, drafted: dict) -> dict:
    """The new draft, with every section the clinician edited by hand kept as they wrote it and the new draft's
    text offered beside it (`proposed`: keep mine, or take the new one); an edited section the new format has no
    place for is carried along in `kept_edits`, so no hand-written text is ever dropped by a redraft."""
    edited = {s["key"]: s for s in before.get("sections", []) if s.get("edited")}
    carried = list(before.get("kept_edits", []))
    for section in drafted["sections"]:
        mine = edited.pop(section["key"], None)
        if mine is None:
            continue
        offer = {"text": section["text"], "sentences": section.get("sentences", []), "empty": section.get("empty")}
        section.update(text=mine["text"], sentences=[], edited=True, empty=not mine["text"].strip())
        if offer["text"].strip() != mine["text"].strip():
            section["proposed"] = offer
    for mine in edited.values():
        carried.append({"key": mine["key"], "title": mine["title"], "text": mine["text"],
                        "format": before.get("format")})
    if carried:
        drafted["kept_edits"] = carried
    if before.get("plan_links"):  # the goals the clinician ticked are theirs too: a redraft keeps them
        drafted["plan_links"] = before["plan_links"]
    return drafted


def kept_sections(content: dict) -> list[str]:
    """The sections a redraft kept as the clinician wrote them (those with a new draft on offer)."""
    return [s["key"] for s in content["sections"] if "proposed" in s]


def take_proposal(db: Database, actor: Actor, note_id: str, section: str, base_version: int,
                  formats_dir: Path | None = None) -> int:
    """Take the new draft a redraft offered for a section you had edited (your text stays in the earlier
    version); returns the new version number."""
    with db.session(write=True) as session:
        note = _editable(session, actor, note_id, base_version, "edit")
        content = _content(db, _version(session, note_id, base_version))
        sec = next((s for s in content["sections"] if s["key"] == section and "proposed" in s), None)
        if sec is None:
            raise InputError(f"Section '{section}' has no new draft on offer. Draft again to get one.")
        offer = sec.pop("proposed")
        sec.update(text=offer["text"], sentences=offer.get("sentences", []), empty=bool(offer.get("empty")),
                   edited=False)
        _refresh_findings(db, session, note, content, formats_dir)
        return _save_version(db, session, actor, note, base_version, content, "edit", formats_dir=formats_dir)


def restore(db: Database, actor: Actor, note_id: str, number: int, base_version: int,
            formats_dir: Path | None = None) -> int:
    """Save an earlier version's content again, as a new version (history is never rewritten; a signed note
    cannot be restored, only addended). The key points stay as last typed. Returns the new version number."""
    with db.session(write=True) as session:
        note = _editable(session, actor, note_id, base_version, "restore")
        if number == base_version:
            raise InputError(f"Version {number} is the current version of note {note_id}; there is nothing to "
                             "restore.")
        row = _version(session, note_id, number) if 1 <= number < base_version else None
        if row is None:
            raise InputError(f"Note {note_id} has versions 1 to {base_version}; there is no {number} to restore.")
        content = _content(db, row)
        content["restored_from"] = number
        _refresh_findings(db, session, note, content, formats_dir)
        return _save_version(db, session, actor, note, base_version, content, "restore", formats_dir=formats_dir)


def _signature(db: Database, session, actor: Actor, note: Note, kind: str, acknowledged: list[str] | None = None,
               late: bool = False, late_reason: str | None = None, diagnosed: list[dict] | None = None,
               cpt: str | None = None) -> Signature:
    """A new signature of the note's current version, sealed as the next link of its chain."""
    links, signature_id, k = chain.links(session, note.id), new_id(), db.keyring
    sig = Signature(id=signature_id, practice_id=note.practice_id, note_id=note.id, version=note.current_version,
                    kind=kind, signer_id=actor.user_id, signer_name=actor.display_name, credentials=actor.credentials,
                    signed_at=chain.next_time(links, utcnow()),
                    acknowledged=json.dumps(sorted(acknowledged)) if acknowledged else None, late=late,
                    late_reason_enc=k.encrypt(late_reason, "signatures", "late_reason_enc", signature_id)
                    if late and late_reason else None,
                    diagnoses_enc=k.encrypt(json.dumps(diagnosed, ensure_ascii=False), "signatures", "diagnoses_enc",
                                            signature_id) if diagnosed else None,
                    cpt_enc=k.encrypt(cpt, "signatures", "cpt_enc", signature_id))
    chain.seal_link(db.keyring, session, note, sig, links)
    session.add(sig)
    session.flush()  # the signature is stored before the note's head names it (a trigger checks)
    return sig


class WarningsOpen(InputError):
    """The note has warnings the signer has not acknowledged: the signature waits until each one is."""

    def __init__(self, open_findings: list[dict]) -> None:
        self.findings = open_findings
        listed = "; ".join(f"{f['code']}: {f['message']}" for f in open_findings)
        super().__init__(f"This note has {len(open_findings)} open warning{'s' if len(open_findings) != 1 else ''}. "
                         f"Fix {'them' if len(open_findings) != 1 else 'it'}, or acknowledge each by its code to "
                         f"sign: {listed}")


def open_warnings(content: dict) -> list[dict]:
    """The findings a signer must acknowledge: errors and warnings, not information."""
    return [f for f in content.get("findings", []) if f.get("severity") in ("error", "warning")]


def is_late(session, note: Note, now: dt.datetime | None = None) -> bool:
    """Signed after the practice's deadline: later than the session's end plus the deadline hours (both UTC, as
    the backlog reckons it, so a clock change between them neither adds nor takes an hour)."""
    appointment = session.get(Appointment, note.appointment_id)
    hours = practice.deadline_hours(session, note.practice_id)
    return (now or utcnow()) > appointment.ends_at + dt.timedelta(hours=hours)


def signing_late(db: Database, actor: Actor, note_id: str) -> bool:
    """Whether signing the note now would be after the practice's deadline."""
    with db.session() as session:
        return is_late(session, access.get_note(session, actor, note_id))


SUGGESTED = object()  # sign's `cpt` when the clinician took the suggested code as it stands


@dataclass(frozen=True)
class SignPreview:
    """What a signature will seal beside the note: the CPT code suggested for its session (to confirm or
    correct) and the client's diagnoses active today."""

    suggested_cpt: str
    diagnoses: list


def sign_preview(db: Database, actor: Actor, note_id: str, today: dt.date | None = None) -> SignPreview:
    with db.session() as session:
        note = access.get_note(session, actor, note_id)
        facts = session_facts(db, session.get(Appointment, note.appointment_id))
        return SignPreview(billing.suggested_code(facts),
                           diagnoses.active(db, session, note.client_id,
                                            today or diagnoses.practice_today(session, note.practice_id)))


def sign(db: Database, actor: Actor, note_id: str, version: int, acknowledged: list[str] | tuple = (),
         late_reason: str | None = None, now: dt.datetime | None = None, cpt: "str | None | object" = SUGGESTED
         ) -> SignatureView:
    """Sign the current version (which must be `version`, the one the clinician read): the note becomes read-only.
    Every open warning must be acknowledged by its code (`acknowledged`), else WarningsOpen lists them; the
    acknowledgement, and lateness past the practice's deadline with the optional `late_reason`, are sealed with
    the signature and audited. Sealed with it too: the CPT code the clinician confirms (`cpt`; SUGGESTED takes
    the session's suggestion, '' or None: not billed) and the client's diagnoses active on the day of signing."""
    code = None if cpt is SUGGESTED else billing.confirmed_code(cpt)
    with db.session(write=True) as session:
        note = _editable(session, actor, note_id, version, "sign")
        if cpt is SUGGESTED:
            code = billing.suggested_code(session_facts(db, session.get(Appointment, note.appointment_id))) or None
        day = times.today(now, practice.time_zone(session, note.practice_id)) if now \
            else diagnoses.practice_today(session, note.practice_id)  # the practice's day of signing
        diagnosed = diagnoses.sealed(diagnoses.active(db, session, note.client_id, day))
        content = _content(db, _version(session, note_id, version))
        warnings = open_warnings(content)
        missing = [f for f in warnings if f["code"] not in set(acknowledged)]
        if missing:
            raise WarningsOpen(missing)
        late = is_late(session, note, now)
        codes = sorted({f["code"] for f in warnings})
        reason = (late_reason or "").strip()[:1000] or None
        sig = _signature(db, session, actor, note, "sign", codes, late, reason, diagnosed, code)
        supervisor = session.scalar(select(User.supervisor_id).where(User.id == note.clinician_id))
        result = session.execute(
            update(Note).where(Note.id == note.id, Note.current_version == version, Note.status == "draft")
            .values(status="signed", signed_at=sig.signed_at, awaiting_cosign_by=supervisor)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            session.rollback()
            raise _stale(session, actor, note_id, version)
        session.execute(update(Appointment).where(Appointment.id == note.appointment_id).values(open=False))
        chain.seal_head(db.keyring, session, note)
        audit.record(session, actor, "sign", "note", note_id, outcome="late" if late else "ok")
        for _ in codes:  # one event per warning acknowledged (its code is sealed with the signature)
            audit.record(session, actor, "acknowledge_warning", "note", note_id)
        return SignatureView("sign", sig.signer_name, sig.credentials, sig.signed_at, version, sig.content_sha256,
                             late=late, acknowledged=tuple(codes), cpt=code, diagnoses=tuple(diagnosed))


def _chain_head(session, actor: Actor, note_id: str) -> Note:
    """The note, locked until this unit of work ends: links join its chain one at a time, each sealing the hash of
    the one before (SQLite's single writer already queues them; PostgreSQL locks the row)."""
    note = access.get_note(session, actor, note_id)
    session.refresh(note, with_for_update=True)
    return note


def co_sign(db: Database, actor: Actor, note_id: str) -> SignatureView:
    """The clinician's supervisor co-signs the signed note (hashed and sealed the same way)."""
    access.require_writer(actor)
    with db.session(write=True) as session:
        note = _chain_head(session, actor, note_id)
        if note.awaiting_cosign_by != actor.user_id:
            raise NotAllowed(f"Note {note_id} is not awaiting your co-signature (it must be signed by a clinician "
                             "you supervise, and not co-signed yet).")
        sig = _signature(db, session, actor, note, "cosign")
        session.execute(update(Note).where(Note.id == note_id).values(awaiting_cosign_by=None))
        chain.seal_head(db.keyring, session, note)
        audit.record(session, actor, "cosign", "note", note_id)
        return SignatureView("cosign", sig.signer_name, sig.credentials, sig.signed_at, sig.version,
                             sig.content_sha256)


def addend(db: Database, actor: Actor, note_id: str, text: str, reason: str) -> AddendumView:
    """Add a dated, authored, sealed addendum to a signed note; the original stays as signed."""
    access.require_writer(actor)
    if not text.strip() or not reason.strip():
        raise InputError("An addendum needs its text and a reason (for example 'late entry' or 'correction').")
    with db.session(write=True) as session:
        note = _chain_head(session, actor, note_id)
        if note.status == "draft":
            raise InputError(f"Note {note_id} is a draft: edit it instead; addenda are for signed notes.")
        supervisor = session.scalar(select(User.supervisor_id).where(User.id == note.clinician_id))
        if actor.user_id not in (note.clinician_id, supervisor) and actor.role != "owner":
            raise NotAllowed("Only the note's clinician, their supervisor or an owner can add an addendum.")
        links, addendum_id, k = chain.links(session, note_id), new_id(), db.keyring
        addendum = Addendum(id=addendum_id, practice_id=note.practice_id, note_id=note_id, author_id=actor.user_id,
                            author_name=actor.display_name, credentials=actor.credentials,
                            created_at=chain.next_time(links, utcnow()),
                            reason_enc=k.encrypt(reason, "addenda", "reason_enc", addendum_id),
                            text_enc=k.encrypt(text, "addenda", "text_enc", addendum_id))
        chain.seal_link(k, session, note, addendum, links)
        session.add(addendum)
        session.flush()  # the addendum is stored before the note is marked amended (a trigger checks)
        if note.status == "signed":
            session.execute(update(Note).where(Note.id == note_id).values(status="amended"))
        chain.seal_head(k, session, note)
        audit.record(session, actor, "addendum", "note", note_id)
        return AddendumView(addendum_id, actor.display_name, actor.credentials, addendum.created_at, reason, text)


def show(db: Database, actor: Actor, note_id: str, version: int | None = None) -> NoteView:
    """The note (its current version, or an earlier one) with signatures and addenda; the view is audited."""
    k = db.keyring
    with db.session(write=True) as session:
        note = access.get_note(session, actor, note_id)
        number = version or note.current_version
        row = _version(session, note_id, number)
        if row is None:
            raise InputError(f"Note {note_id} has versions 1 to {note.current_version}; there is no {number}.")
        sigs = session.scalars(select(Signature).where(Signature.note_id == note_id)
                               .order_by(Signature.signed_at)).all()
        adds = session.scalars(select(Addendum).where(Addendum.note_id == note_id)
                               .order_by(Addendum.created_at)).all()
        view = NoteView(
            note.id, note.client_id, note.appointment_id, note.clinician_id, note.status, number, row.format,
            row.engine, _key_points(db, note), _content(db, row), note.awaiting_cosign_by,
            [SignatureView(s.kind, s.signer_name, s.credentials, s.signed_at, s.version, s.content_sha256,
                           late=bool(s.late), acknowledged=tuple(json.loads(s.acknowledged) if s.acknowledged
                                                                 else ()),
                           cpt=chain.confirmed_cpt(k, s), diagnoses=tuple(chain.sealed_diagnoses(k, s)))
             for s in sigs],
            [AddendumView(a.id, a.author_name, a.credentials, a.created_at,
                          k.decrypt(a.reason_enc, "addenda", "reason_enc", a.id),
                          k.decrypt(a.text_enc, "addenda", "text_enc", a.id)) for a in adds],
            note.key_points_revision)
        audit.record(session, actor, "view", "note", note_id)
        return view


def list_notes(db: Database, actor: Actor, status: str | None = None, client_id: str | None = None,
               limit: int = 200) -> list[NoteSummary]:
    """The notes the caller may see, newest session first (the listing is audited: it shows client names)."""
    with db.session(write=True) as session:
        query = access.scoped(session, actor, select(Note, Appointment.starts_at), Note).join(
            Appointment, Appointment.id == Note.appointment_id)
        if status:
            query = query.where(Note.status == status)
        if client_id:
            query = query.where(Note.client_id == client_id)
        rows = session.execute(query.order_by(Appointment.starts_at.desc()).limit(limit)).all()
        names = client_names(db, session, [n.client_id for n, _ in rows])
        audit.record(session, actor, "view", "note_list", None)
        return [NoteSummary(n.id, n.client_id, names.get(n.client_id, "?"), n.appointment_id, starts_at, n.status,
                            n.current_version, n.format) for n, starts_at in rows]


def verify(db: Database, actor: Actor, note_id: str) -> Verification:
    """Recompute the hash and the seal of every signature and addendum of a note and of its head, and check the
    note's status, signing time and session against them; report any tampering (see chain.py)."""
    with db.session(write=True) as session:
        note = access.get_note(session, actor, note_id)
        problems = chain.problems(db.keyring, session, note)
        audit.record(session, actor, "verify", "note", note_id, outcome="ok" if not problems else "tampered")
        return Verification(note_id, not problems, tuple(problems))


def save_key_points(db: Database, actor: Actor, note_id: str, key_points: str, base_revision: int) -> int:
    """Keep what the clinician typed (autosave) without drafting again: the next draft starts from it. The save
    is based on the key points' revision the caller read (`base_revision`); if they were saved since (another
    tab), KeyPointsConflict carries both texts and nothing is written. Returns the new revision. Key points are
    not a version of the note, so saving them never makes another tab's section edit stale."""
    with db.session(write=True) as session:
        access.require_writer(actor)
        note = access.get_note(session, actor, note_id)
        access.require_author(actor, note, "edit")
        if note.status != "draft":
            raise NoteLocked(f"Note {note_id} is signed and read-only. Add an addendum to correct or add to it.")
        if note.key_points_revision != base_revision:
            if key_points == _key_points(db, note):
                return note.key_points_revision  # the same text: nothing to keep apart
            raise _key_points_conflict(db, session, actor, note, base_revision, key_points)
        result = session.execute(
            update(Note).where(Note.id == note.id, Note.status == "draft", Note.key_points_revision == base_revision)
            .values(key_points_enc=db.keyring.encrypt(key_points, "notes", "key_points_enc", note.id),
                    key_points_revision=base_revision + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:  # another tab's save won the race between the read and this write
            session.rollback()
            raise _key_points_conflict(db, session, actor, session.get(Note, note_id), base_revision, key_points)
        audit.record(session, actor, "edit", "key_points", note_id)
        measures.follow_key_points(db, session, actor, note, key_points)
        return base_revision + 1


def usual_format(db: Database, actor: Actor, default: str = "soap") -> str:
    """The format of the clinician's most recent note (what they usually write), else `default`."""
    with db.session() as session:
        return _latest_format(session, actor) or default


def starting_format(db: Database, actor: Actor, default: str = "soap") -> str:
    """The format a new note starts with: the clinician's chosen default (Settings), else their usual one."""
    with db.session() as session:
        chosen = session.scalar(select(User.default_format).where(User.id == actor.user_id,
                                                                  User.practice_id == actor.practice_id))
        return chosen or _latest_format(session, actor) or default


def _latest_format(session, actor: Actor) -> str | None:
    return session.scalar(select(Note.format).where(Note.practice_id == actor.practice_id,
                                                    Note.clinician_id == actor.user_id)
                          .order_by(Note.created_at.desc()).limit(1))


def record_print(db: Database, actor: Actor, note_id: str) -> None:
    """Printing a note is a disclosure: audited like an export."""
    with db.session(write=True) as session:
        access.get_note(session, actor, note_id)
        audit.record(session, actor, "export", "note_print", note_id)
