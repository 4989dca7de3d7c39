"""Measures over time: the rating-scale totals each note's key points give (reading/measures.py), stored per client
(instrument and total encrypted) and read back as one series per instrument for the client's chart.

A draft's rows follow its key points: `follow_key_points` replaces them whenever the key points are saved or drafted
(workflow/notes.py calls it) and when the session's date changes. A signed note's rows stay as they were signed.
Only totals the instrument can give, and only this session's, are stored: an out-of-range total is a finding on the
note (checks/measures.py) and waits until the clinician corrects it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from afternote.errors import InputError
from afternote.reading.instruments import Instrument, instruments, score_text
from afternote.reading.measures import Score, find_scores
from afternote.records.database import Database
from afternote.records.models import Appointment, Measure, Note, new_id
from afternote.workflow import access, audit
from afternote.workflow.actor import Actor


@dataclass(frozen=True)
class Point:
    date: dt.date
    score: float
    band: str | None
    note_id: str


@dataclass(frozen=True)
class Series:
    """One instrument's totals for one client, oldest first."""

    instrument: Instrument
    points: tuple[Point, ...]

    @property
    def trend(self) -> str:
        """The series in a sentence, for the chart's description and for screen readers."""
        name, first, last = self.instrument.name, self.points[0], self.points[-1]
        banded = lambda p: f"{score_text(p.score)}{f' ({p.band})' if p.band else ''}"  # noqa: E731
        if len(self.points) == 1:
            return f"{name}: one score, {banded(first)} on {first.date.isoformat()}."
        change = last.score - first.score
        moved = "no change" if change == 0 else f"{'up' if change > 0 else 'down'} {score_text(abs(change))}"
        return (f"{name}: {len(self.points)} scores from {first.date.isoformat()} to {last.date.isoformat()}, "
                f"from {banded(first)} to {banded(last)}: {moved}.")


def _score(plain: str) -> float:
    value = float(plain)
    return int(value) if value.is_integer() else value


CLIENTS_OWN = ("pt", "client", "pt's", "client's")


def todays_scores(key_points: str, session_date: dt.date, others_present: bool = False) -> list[Score]:
    """The totals to store for a session: possible totals, typed with no date or with the session's own, and the
    client's: a total typed as another person's ("partner's PHQ-9") is never stored, nor one typed as "his" or "her"
    in a session with others present (a couple's, a family's), where it may be theirs."""
    def on_the_day(score: Score) -> bool:
        on = score.on
        return on is None or ((on.month, on.day) == (session_date.month, session_date.day)
                              and on.year in (None, session_date.year))

    def the_clients(score: Score) -> bool:
        return score.whose is None or score.whose in CLIENTS_OWN or (
            not others_present and not score.whose.endswith("'s"))
    return [s for s in find_scores(key_points) if not s.out_of_range and on_the_day(s) and the_clients(s)]


def follow_key_points(db: Database, session, actor: Actor, note: Note, key_points: str | None = None) -> None:
    """Replace a draft's measure rows by the totals its key points (`key_points`, else the stored ones) give now;
    a signed note's rows are left as signed. Audited when the rows change (which note, never the scores)."""
    if note.status == "draft":
        _replace(db, session, actor, note, key_points)


def _replace(db: Database, session, actor: Actor, note: Note, key_points: str | None) -> int:
    """The note's rows made to match its key points; returns how many it now has (unchanged rows are not rewritten)."""
    k = db.keyring
    # one writer of a note's rows at a time (a key points save and a session move may race on PostgreSQL)
    session.execute(select(Note.id).where(Note.id == note.id).with_for_update())
    if key_points is None:
        key_points = k.decrypt(note.key_points_enc, "notes", "key_points_enc", note.id)
    # read from the row, not the session's copy: the caller may have just moved the session
    date, modality, attendees = session.execute(
        select(Appointment.date, Appointment.modality, Appointment.attendees_enc)
        .where(Appointment.id == note.appointment_id)).one()
    others = attendees is not None or modality not in (None, "individual")
    wanted = [(s.instrument, _score(str(s.value))) for s in todays_scores(key_points, date, others)]
    stored = session.scalars(select(Measure).where(Measure.note_id == note.id).order_by(Measure.position)).all()
    if [(_instrument(db, m), _stored_score(db, m), m.date) for m in stored] == [(i, v, date) for i, v in wanted]:
        return len(wanted)
    session.execute(delete(Measure).where(Measure.note_id == note.id).execution_options(synchronize_session=False))
    for position, (key, value) in enumerate(wanted):
        row_id = new_id()
        session.add(Measure(id=row_id, practice_id=note.practice_id, client_id=note.client_id, note_id=note.id,
                            position=position, date=date,
                            instrument_enc=k.encrypt(key, "measures", "instrument_enc", row_id),
                            score_enc=k.encrypt(score_text(value), "measures", "score_enc", row_id)))
    audit.record(session, actor, "edit", "measures", note.id)
    return len(wanted)


def read_earlier_notes(db: Database, actor: Actor) -> int:
    """Store the measures of the practice's notes that have none: notes written before afternote stored measures
    (migration 0012 has no key to read them with). Each note's totals come from its own key points, signed notes'
    included: those are the key points as signed, so the rows are what the note would have kept. Owners only;
    running it again adds nothing. Returns the number of rows added."""
    if actor.role != "owner":
        raise access.NotAllowed("Only a practice owner can read the measures of the practice's earlier notes.")
    added = 0
    with db.session(write=True) as session:
        without = select(Note).where(Note.practice_id == actor.practice_id,
                                     ~select(Measure.id).where(Measure.note_id == Note.id).exists())
        for note in session.scalars(without).all():
            added += _replace(db, session, actor, note, None)
    return added


def _instrument(db: Database, row: Measure) -> str:
    return db.keyring.decrypt(row.instrument_enc, "measures", "instrument_enc", row.id)


def _stored_score(db: Database, row: Measure) -> float:
    return _score(db.keyring.decrypt(row.score_enc, "measures", "score_enc", row.id))


def of_note(db: Database, session, note_id: str) -> list[tuple[Instrument, float]]:
    """A note's stored totals in the order typed, in the caller's unit of work (not audited: exports audit their
    own disclosure). A signed note's are the rows as signed; an instrument since taken out of the table is left out."""
    rows = session.scalars(select(Measure).where(Measure.note_id == note_id).order_by(Measure.position)).all()
    known = instruments()
    found = [(_instrument(db, row), row) for row in rows]
    return [(known[name], _stored_score(db, row)) for name, row in found if name in known]


def points_in(db: Database, session, actor: Actor, client_id: str, key: str | None = None) -> dict[str, list[Point]]:
    """One client's points by instrument key (only `key`'s if given), oldest first, in the caller's unit of work
    (not audited: the caller audits its own view). For reuse by screens that show a measure's trend, such as a
    treatment plan's objective."""
    client = access.get_client(session, actor, client_id)
    # plain rows, not ORM objects: five years of weekly totals are a thousand rows read on every plan view
    rows = session.execute(
        select(Measure.id, Measure.instrument_enc, Measure.score_enc, Measure.date, Measure.note_id)
        .join(Note, Note.id == Measure.note_id).join(Appointment, Appointment.id == Note.appointment_id)
        .where(Measure.practice_id == actor.practice_id, Measure.client_id == client.id)
        .order_by(Measure.date, Appointment.starts_at, Measure.position)).all()
    known = instruments()
    found: dict[str, list[Point]] = {}
    for row in rows:
        name = _instrument(db, row)
        if name not in known or (key is not None and name != key):
            continue  # an instrument since taken out of the table is not charted
        value = _stored_score(db, row)
        band = known[name].band_of(value)
        found.setdefault(name, []).append(Point(row.date, value, band.label if band else None, row.note_id))
    return found


def points(db: Database, actor: Actor, client_id: str, key: str) -> list[Point]:
    """One client's totals of one instrument (its key, "phq9"), oldest first. The view is audited."""
    if key not in instruments():  # an unknown key is an error, not an empty chart
        raise InputError(f"No instrument '{key}'. Known ones: {', '.join(instruments())}.")
    with db.session(write=True) as session:
        found = points_in(db, session, actor, client_id, key).get(key, [])
        audit.record(session, actor, "view", "client_measures", client_id)
        return found


def series_of(db: Database, actor: Actor, client_id: str) -> list[Series]:
    """Every instrument the client has totals for, in the instruments table's order. The view is audited."""
    with db.session(write=True) as session:
        found = points_in(db, session, actor, client_id)
        audit.record(session, actor, "view", "client_measures", client_id)
    return [Series(inst, tuple(found[key])) for key, inst in instruments().items() if key in found]
