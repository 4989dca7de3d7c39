"""A practice's time zone: owners set it (audited, no health data), session times are typed in it and stored in UTC,
the deadline is reckoned in UTC, "this week" starts on its Monday, and a signed note's seal does not care when the
zone changes later."""
import datetime as dt

import pytest
from sqlalchemy import select

from afternote import times
from afternote.records.models import Appointment, Note
from afternote.workflow import audit, backlog, clients, exports, notes, practice, today
from afternote.workflow.errors import NotAllowed, StaleVersion
from testkit.records import KEY_POINTS, raw

NY = "America/New_York"


def _signed(db, clinic, appointment_id, now=None):
    note = notes.create(db, clinic.clinician, appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)],
               now=now)
    return note


def test_owner_sets_the_zone_audited_without_health_data(db, clinic):
    assert practice.time_zone_of(db, clinic.owner) == times.server_zone()
    assert practice.set_time_zone(db, clinic.owner, " Asia/Tokyo ") == "Asia/Tokyo"
    assert practice.settings_of(db, clinic.clinician).time_zone == "Asia/Tokyo"
    [event] = [e for e in audit.events(db, clinic.owner, action="time_zone_change")]
    assert (event.username, event.record_type, event.record_id) == (
        clinic.owner.username, "practice", clinic.owner.practice_id)
    with pytest.raises(times.UnknownTimeZone, match="'Asia/Tokio' is not a time zone"):
        practice.set_time_zone(db, clinic.owner, "Asia/Tokio")
    with pytest.raises(NotAllowed, match="owner"):
        practice.set_time_zone(db, clinic.clinician, "Europe/Berlin")
    assert practice.time_zone_of(db, clinic.owner) == "Asia/Tokyo"  # refused changes left it as it was


def test_session_times_are_typed_in_the_zone_and_stored_in_utc_across_both_clock_changes(db, clinic):
    practice.set_time_zone(db, clinic.owner, NY)
    spring = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 8), dt.time(14, 0),
                                     end=dt.time(14, 53))
    autumn = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 11, 1), dt.time(14, 0),
                                     minutes=53)
    night = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 8), dt.time(1, 30),
                                    minutes=60)  # over the skipped hour: ends 03:30 EDT
    with db.session() as session:
        rows = {a.id: a for a in session.scalars(select(Appointment).where(Appointment.id.in_([spring, autumn,
                                                                                                night])))}
    assert rows[spring].starts_at == dt.datetime(2026, 3, 8, 18)
    assert rows[spring].ends_at == dt.datetime(2026, 3, 8, 18, 53)
    assert rows[autumn].starts_at == dt.datetime(2026, 11, 1, 19)
    assert rows[spring].time_zone == NY
    assert times.when(rows[night].ends_at, NY) == "2026-03-08 03:30 EDT"
    view = clients.show_appointment(db, clinic.clinician, spring)
    assert (view.time_zone, times.when(view.starts_at, view.time_zone)) == (NY, "2026-03-08 14:00 EDT")
    with pytest.raises(Exception, match="02:30 did not happen on 2026-03-08"):
        clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 8), dt.time(2, 30),
                                minutes=30)


def test_the_deadline_counts_real_hours_over_the_clock_change(db, clinic):
    practice.set_time_zone(db, clinic.owner, NY)
    # ends Saturday 2026-03-07 16:00 EST = 21:00 UTC; 72 hours later is Tuesday 21:00 UTC = 17:00 EDT
    appointment = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 7),
                                          dt.time(15, 0), end=dt.time(16, 0))
    items = {i.appointment_id: i for i in backlog.backlog(db, clinic.clinician, now=dt.datetime(2026, 3, 10, 20))}
    assert items[appointment].due_at == dt.datetime(2026, 3, 10, 21) and not items[appointment].overdue
    assert times.when(items[appointment].due_at, NY) == "2026-03-10 17:00 EDT"
    note = notes.create(db, clinic.clinician, appointment, KEY_POINTS)
    with db.session() as session:
        head = session.get(Note, note.id)
        assert not notes.is_late(session, head, now=dt.datetime(2026, 3, 10, 20, 59))
        assert notes.is_late(session, head, now=dt.datetime(2026, 3, 10, 21, 1))


def test_this_week_starts_on_the_practices_monday(db, clinic):
    practice.set_time_zone(db, clinic.owner, "Asia/Tokyo")
    sunday_evening_tokyo = dt.datetime(2026, 3, 8, 10)  # 19:00 JST on Sunday: last week in Tokyo
    monday_morning_tokyo = dt.datetime(2026, 3, 8, 16)  # 01:00 JST on Monday: this week
    last_week = _signed(db, clinic, clinic.appointment_id)
    other = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 8), dt.time(9),
                                    minutes=53)
    this_week = _signed(db, clinic, other)
    # the services stamp the real time: the signing times are set straight in the table
    raw(db, ("UPDATE notes SET signed_at = :at WHERE id = :id", {"at": sunday_evening_tokyo, "id": last_week.id}),
        ("UPDATE notes SET signed_at = :at WHERE id = :id", {"at": monday_morning_tokyo, "id": this_week.id}))
    view = today.today(db, clinic.clinician, now=dt.datetime(2026, 3, 9, 3))  # Monday noon in Tokyo
    assert [s.note_id for s in view.signed_this_week] == [this_week.id]
    practice.set_time_zone(db, clinic.owner, "UTC")  # in UTC both were signed on Sunday: last week
    assert today.today(db, clinic.clinician, now=dt.datetime(2026, 3, 9, 3)).signed_this_week == []


def test_a_signed_note_still_verifies_after_the_zone_changes(db, clinic):
    practice.set_time_zone(db, clinic.owner, NY)
    appointment = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 11, 1),
                                          dt.time(1, 30), minutes=45)
    note = _signed(db, clinic, appointment)
    assert notes.verify(db, clinic.clinician, note.id).ok
    practice.set_time_zone(db, clinic.owner, "Asia/Tokyo")
    assert notes.verify(db, clinic.clinician, note.id).ok
    # its session is now shown in Tokyo time: the same moment
    view = clients.show_appointment(db, clinic.clinician, appointment)
    assert times.when(view.starts_at, view.time_zone) == "2026-11-01 14:30 JST"


def test_a_client_record_takes_the_practices_days(db, clinic):
    practice.set_time_zone(db, clinic.owner, "America/Los_Angeles")
    # 23:30 on 2026-02-01 in Los Angeles is 07:30 UTC on 2026-02-02
    late_evening = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 2, 1),
                                           dt.time(23, 30), minutes=30)
    note = _signed(db, clinic, late_evening)
    record = exports.client_record(db, clinic.clinician, clinic.client_id, dt.date(2026, 2, 1), dt.date(2026, 2, 1))
    assert [d.note_id for d in record.notes] == [note.id]
    assert exports.client_record(db, clinic.clinician, clinic.client_id, dt.date(2026, 2, 2),
                                 dt.date(2026, 2, 2)).notes == ()
    assert record.practice.time_zone == "America/Los_Angeles"


def test_a_stale_save_says_when_the_other_was_saved_in_the_practice_zone(db, clinic):
    practice.set_time_zone(db, clinic.owner, "Asia/Tokyo")
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Next session in 1 week.", 1)
    with pytest.raises(StaleVersion) as stale:
        notes.edit_section(db, clinic.clinician, note.id, "plan", "Next session in 2 weeks.", 1)
    saved = times.when(stale.value.saved_at, "Asia/Tokyo")
    assert saved.endswith(" JST") and f"at {saved} since version 1" in str(stale.value)
