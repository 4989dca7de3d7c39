"""Every version of a note: who saved it, when, why, and which sections it changed, with a diff of each (the
reading side of the history; a restore is a save, in notes.py). Reading old versions is audited like a view."""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from sqlalchemy import select

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import NoteVersion, User
from afternote.workflow import access, audit
from afternote.workflow.notes import _content


@dataclass(frozen=True)
class SectionChange:
    key: str
    title: str
    diff: tuple[str, ...]  # unified diff lines, the version before -> this one


@dataclass(frozen=True)
class VersionEntry:
    number: int
    reason: str  # draft, edit, redraft, restore
    format: str
    author: str
    saved_at: dt.datetime
    changes: tuple[SectionChange, ...]
    restored_from: int | None = None


@dataclass(frozen=True)
class VersionDetail(VersionEntry):
    content: dict | None = None


def _texts(content: dict) -> dict[str, tuple[str, str]]:
    """key -> (title, text) of what a version says, its key points included."""
    out = {s["key"]: (s["title"], s.get("text", "")) for s in content.get("sections", [])}
    if "key_points" in content:
        out["key_points"] = ("Key points", content["key_points"])
    return out


def changes(before: dict | None, after: dict) -> tuple[SectionChange, ...]:
    """The sections (and key points) whose text differs between two versions, each with a line diff."""
    old, new = _texts(before or {}), _texts(after)
    out = []
    for key in list(new) + [k for k in old if k not in new]:
        title, text = new.get(key) or old[key]
        was = old.get(key, (title, ""))[1]
        now = new.get(key, (title, ""))[1]
        if was != now:
            diff = difflib.unified_diff(was.splitlines(), now.splitlines(), "before", "after", lineterm="", n=1)
            out.append(SectionChange(key, title, tuple(list(diff)[2:])))  # without the ---/+++ file header
    return tuple(out)


def _rows(session, note_id: str):
    return session.execute(select(NoteVersion, User.display_name).join(User, User.id == NoteVersion.author_id)
                           .where(NoteVersion.note_id == note_id).order_by(NoteVersion.number)).all()


def _entry(row: NoteVersion, author: str, before: dict | None, after: dict) -> dict:
    return dict(number=row.number, reason=row.reason, format=row.format, author=author, saved_at=row.created_at,
                changes=changes(before, after), restored_from=after.get("restored_from"))


def history(db: Database, actor, note_id: str) -> list[VersionEntry]:
    """Every saved version of a note, oldest first, with what each changed (audited: it reads every version)."""
    with db.session(write=True) as session:
        access.get_note(session, actor, note_id)
        entries, before = [], None
        for row, author in _rows(session, note_id):
            content = _content(db, row)
            entries.append(VersionEntry(**_entry(row, author, before, content)))
            before = content
        audit.record(session, actor, "view", "note_versions", note_id)
        return entries


def version(db: Database, actor, note_id: str, number: int) -> VersionDetail:
    """One saved version, its content, and what it changed from the one before (audited)."""
    with db.session(write=True) as session:
        note = access.get_note(session, actor, note_id)
        rows = [(r, a) for r, a in _rows(session, note_id) if r.number in (number - 1, number)]
        if not rows or rows[-1][0].number != number:
            raise InputError(f"Note {note_id} has versions 1 to {note.current_version}; there is no {number}.")
        before = _content(db, rows[0][0]) if len(rows) == 2 else None
        row, author = rows[-1]
        content = _content(db, row)
        audit.record(session, actor, "view", "note_version", note_id)
        return VersionDetail(**_entry(row, author, before, content), content=content)
