"""Today's minutes of documentation: the time between a signed note's saves, from first draft to signature, with
long pauses counted as breaks; per clinician in a team view."""
import datetime as dt

from afternote.records.models import Note, NoteVersion, new_id
from afternote.workflow import today
from afternote.workflow.today import BREAK_MINUTES, documentation_seconds

T0 = dt.datetime(2026, 1, 5, 11, 0)


def test_gaps_between_saves_count_long_pauses_are_breaks():
    minute = dt.timedelta(minutes=1)
    assert documentation_seconds([T0]) == 0
    assert documentation_seconds([T0 + 7 * minute, T0, T0 + 3 * minute]) == 7 * 60
    assert documentation_seconds([T0, T0 + 5 * minute, T0 + (5 + BREAK_MINUTES + 1) * minute,
                                  T0 + (5 + BREAK_MINUTES + 3) * minute]) == 7 * 60


def _signed_note(db, clinic, saves: list[dt.datetime], signed_at: dt.datetime) -> str:
    """A signed note whose versions were saved at `saves` (written directly: the services stamp the real time)."""
    note_id = new_id()
    k = db.keyring
    with db.session(write=True) as session:
        session.add(Note(id=note_id, practice_id=clinic.clinician.practice_id, appointment_id=clinic.appointment_id,
                         client_id=clinic.client_id, clinician_id=clinic.clinician.user_id,
                         key_points_enc=k.encrypt("x", "notes", "key_points_enc", note_id), format="soap",
                         engine="builtin", status="signed", current_version=len(saves), signed_at=signed_at))
        session.flush()
        for number, at in enumerate(saves, 1):
            version_id = new_id()
            session.add(NoteVersion(id=version_id, practice_id=clinic.clinician.practice_id, note_id=note_id,
                                    number=number, format="soap", engine="builtin", reason="edit",
                                    author_id=clinic.clinician.user_id, created_at=at,
                                    content_enc=k.encrypt("{}", "note_versions", "content_enc", version_id)))
    return note_id


def test_week_minutes_per_clinician_and_for_the_team(db, clinic):
    minutes = lambda m: T0 + dt.timedelta(minutes=m)  # noqa: E731
    # first draft 11:00, an edit at 11:04; back after lunch (a break, not work): an edit at 14:00, signed 14:06
    note_id = _signed_note(db, clinic, [minutes(0), minutes(4), minutes(180)], minutes(186))
    now = dt.datetime(2026, 1, 7, 9)  # the same week (Monday 5 January)
    mine = today.today(db, clinic.clinician, now=now)
    assert [s.note_id for s in mine.signed_this_week] == [note_id]
    assert mine.documentation_minutes == 10 and mine.minutes_by_clinician == {}
    team = today.today(db, clinic.owner, now=now)
    assert team.documentation_minutes == 10
    assert team.minutes_by_clinician == {clinic.clinician.user_id: 10}
    assert today.today(db, clinic.owner, now=now, clinician=clinic.associate.username).documentation_minutes == 0
    assert today.today(db, clinic.clinician, now=now + dt.timedelta(days=7)).documentation_minutes == 0


def test_plan_reviews_and_clients_without_a_plan_show_in_today(db, clinic):
    from afternote.workflow import clients, plans, practice
    from testkit.plans import complete_plan
    other = clients.add_client(db, clinic.clinician, "Second Client")
    clients.add_appointment(db, clinic.clinician, other.id, dt.date(2026, 1, 6), dt.time(9, 0), minutes=53)
    clients.add_appointment(db, clinic.clinician, other.id, dt.date(2026, 1, 7), dt.time(9, 0), minutes=53)
    now = dt.datetime.now()
    view = today.today(db, clinic.clinician, now=now)
    assert view.without_plan == {other.id: "Second Client", clinic.client_id: "Test Client"}  # once per client
    practice.update_settings(db, clinic.owner, note_deadline_hours=72, session_idle_minutes=15, plan_review_days=7)
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    view = today.today(db, clinic.clinician, now=now)
    assert view.without_plan == {other.id: "Second Client"}
    assert [(r.plan_id, r.overdue) for r in view.plan_reviews] == [(plan.id, False)]
    assert len(view.to_write) == 3 and view.overdue == 3  # the reviews are not note work
