"""Supervision: a supervisor returns a supervisee's signed note, awaiting their co-signature, to its author with a
comment, as well as co-signing it (notes.co_sign).

A signed note is sealed and read-only, so a return never unlocks it: the note stays signed and keeps awaiting the
co-signature; the author answers with an addendum (the correction, sealed into the note's chain), and the
supervisor then co-signs. A return is open until the author adds an addendum after it or the supervisor co-signs;
it is never changed (append-only). The comment is encrypted like the note's content and never logged; the audit
event names who returned which note, not what they wrote.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import Addendum, Appointment, Note, NoteReturn, Signature, new_id, utcnow
from afternote.workflow import access, audit
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotAllowed

MAX_COMMENT_CHARS = 5000


@dataclass(frozen=True)
class NoteReturnView:
    id: str
    note_id: str
    supervisor: str
    returned_at: dt.datetime
    comment: str
    answered_at: dt.datetime | None = None  # the author's first addendum after the return
    co_signed: bool = False  # the supervisor co-signed after returning it

    @property
    def open(self) -> bool:
        return self.answered_at is None and not self.co_signed


@dataclass(frozen=True)
class ReturnedNote:
    """A note of the caller's (or a clinician they may see) returned and not answered yet: for Today and the
    backlog."""

    note_id: str
    appointment_id: str
    client_id: str
    clinician_id: str
    starts_at: dt.datetime
    returned_at: dt.datetime


def _comment(text: str) -> str:
    comment = (text or "").strip()
    if not comment:
        raise InputError("A return needs a comment: say what the author should correct or add (they answer it "
                         "with an addendum). Nothing was returned.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise InputError(f"The comment is {len(comment)} characters; at most {MAX_COMMENT_CHARS}. Shorten it. "
                         "Nothing was returned.")
    return comment


def return_note(db: Database, actor: Actor, note_id: str, comment: str) -> NoteReturnView:
    """Return a signed note awaiting the caller's co-signature to its author with `comment`; the note stays signed
    (the author answers with an addendum). Audited without the comment."""
    access.require_writer(actor)
    text = _comment(comment)
    with db.session(write=True) as session:
        note = access.get_note(session, actor, note_id)
        session.refresh(note, with_for_update=True)  # one at a time with a co-signature of the same note
        if note.awaiting_cosign_by != actor.user_id:
            raise NotAllowed(f"Note {note_id} is not awaiting your co-signature, so you cannot return it: only the "
                             "supervisor whose co-signature a signed note awaits can return it to its author."
                             ).about("note", note_id)
        return_id = new_id()
        row = NoteReturn(id=return_id, practice_id=note.practice_id, note_id=note.id, supervisor_id=actor.user_id,
                         supervisor_name=actor.display_name, returned_at=utcnow(),
                         comment_enc=db.keyring.encrypt(text, "note_returns", "comment_enc", return_id))
        session.add(row)
        audit.record(session, actor, "return", "note", note_id)
        return NoteReturnView(return_id, note.id, actor.display_name, row.returned_at, text)


def returns(db: Database, actor: Actor, note_id: str) -> list[NoteReturnView]:
    """Every return of the note, oldest first, each with whether the author has answered it (an addendum after
    it) or the supervisor has co-signed since. Reading them is audited (the comments are health-adjacent)."""
    with db.session(write=True) as session:
        note = access.get_note(session, actor, note_id)
        rows = session.scalars(select(NoteReturn).where(NoteReturn.note_id == note.id)
                               .order_by(NoteReturn.returned_at)).all()
        if not rows:
            return []
        answers = _author_addenda(session, [note.id], {note.id: note.clinician_id}).get(note.id, [])
        cosigned = session.scalars(select(Signature.signed_at).where(Signature.note_id == note.id,
                                                                    Signature.kind == "cosign")).all()
        audit.record(session, actor, "view", "note_returns", note_id)
        k = db.keyring
        return [NoteReturnView(r.id, r.note_id, r.supervisor_name, r.returned_at,
                               k.decrypt(r.comment_enc, "note_returns", "comment_enc", r.id),
                               answered_at=next((at for at in answers if at > r.returned_at), None),
                               co_signed=any(at > r.returned_at for at in cosigned))
                for r in rows]


def _author_addenda(session, note_ids: list[str], authors: dict[str, str]) -> dict[str, list[dt.datetime]]:
    """note id -> the times of the addenda its author (the note's clinician) made, in order."""
    out: dict[str, list[dt.datetime]] = {}
    for note_id, author_id, at in session.execute(
            select(Addendum.note_id, Addendum.author_id, Addendum.created_at)
            .where(Addendum.note_id.in_(note_ids)).order_by(Addendum.created_at)):
        if authors.get(note_id) == author_id:
            out.setdefault(note_id, []).append(at)
    return out


def returned_notes(session, practice_id: str, clinician_ids: list[str] | None) -> list[ReturnedNote]:
    """The notes of these clinicians (None: the whole practice) returned by their supervisor and not answered yet:
    still awaiting the co-signature, with no addendum by their author since the latest return."""
    query = (select(Note.id, Note.appointment_id, Note.client_id, Note.clinician_id, Appointment.starts_at,
                    NoteReturn.returned_at)
             .join(NoteReturn, NoteReturn.note_id == Note.id)
             .join(Appointment, Appointment.id == Note.appointment_id)
             .where(Note.practice_id == practice_id, Note.awaiting_cosign_by.is_not(None)))
    if clinician_ids is not None:
        query = query.where(Note.clinician_id.in_(clinician_ids))
    latest: dict[str, tuple] = {}
    for row in session.execute(query):
        if row[0] not in latest or row[5] > latest[row[0]][5]:
            latest[row[0]] = row
    if not latest:
        return []
    answers = _author_addenda(session, list(latest), {n: r[3] for n, r in latest.items()})
    return [ReturnedNote(*row) for note_id, row in latest.items()
            if not any(at > row[5] for at in answers.get(note_id, []))]
