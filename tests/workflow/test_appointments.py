"""A session's details are corrected while its note is a draft (the clinician or an owner; audited without health
data) and refused once the note is signed; the next draft uses them."""
import datetime as dt

import pytest

from afternote.errors import InputError
from afternote.records.models import AuditEvent
from testkit.records import KEY_POINTS
from afternote.workflow import clients, notes
from afternote.workflow.errors import NoteLocked, NotAllowed, NotFound
from sqlalchemy import select


def test_details_change_while_draft_and_the_next_draft_uses_them(db, clinic):
    me = clinic.clinician
    note = notes.create(db, me, clinic.appointment_id, KEY_POINTS)
    view = clients.update_appointment(db, me, clinic.appointment_id, dt.date(2026, 1, 6), dt.time(14, 0),
                                      end=dt.time(14, 45), service="family", modality="family", telehealth="video",
                                      attendees=["Mother"])
    assert (view.minutes, view.note_id, view.attendees) == (45, note.id, ("Mother",))
    shown = clients.show_appointment(db, me, clinic.appointment_id)
    assert (shown.date, shown.starts_at, shown.ends_at, shown.minutes, shown.service, shown.modality,
            shown.telehealth, shown.attendees) == (
        dt.date(2026, 1, 6), dt.datetime(2026, 1, 6, 14), dt.datetime(2026, 1, 6, 14, 45), 45, "family", "family",
        "video", ("Mother",))
    clients.update_appointment(db, me, clinic.appointment_id, dt.date(2026, 1, 6), dt.time(14, 0), minutes=38,
                               service="psychotherapy")
    shown = clients.show_appointment(db, me, clinic.appointment_id)
    assert (shown.minutes, shown.ends_at, shown.modality, shown.attendees) == (
        38, dt.datetime(2026, 1, 6, 14, 38), None, ())
    notes.redraft(db, me, note.id, 1, format="soap")
    findings = [f["message"] for f in notes.show(db, me, note.id).content["findings"]]
    assert any("38 minutes" in f for f in findings), findings  # drafted from the session as now recorded


def test_audit_row_names_the_appointment_and_no_health_data(db, clinic):
    clients.update_appointment(db, clinic.clinician, clinic.appointment_id, dt.date(2026, 1, 5), dt.time(10),
                               minutes=50, attendees=["Partner Pat"])
    with db.session() as session:
        row = session.scalars(select(AuditEvent).where(AuditEvent.record_id == clinic.appointment_id,
                                                       AuditEvent.action == "edit")).one()
    assert (row.record_type, row.username, row.outcome) == ("appointment", clinic.clinician.username, "ok")
    assert "Pat" not in repr([getattr(row, c.name) for c in AuditEvent.__table__.columns])


def test_only_the_clinician_or_an_owner_and_never_once_signed(db, clinic):
    args = (clinic.appointment_id, dt.date(2026, 1, 5), dt.time(10))
    with pytest.raises((NotAllowed, NotFound)):
        clients.update_appointment(db, clinic.supervisor, *args, minutes=50)
    with pytest.raises((NotAllowed, NotFound)):
        clients.update_appointment(db, clinic.associate, *args, minutes=50)
    with pytest.raises(NotAllowed):
        clients.update_appointment(db, clinic.auditor, *args, minutes=50)
    with pytest.raises(InputError, match="end time or its minutes"):
        clients.update_appointment(db, clinic.clinician, *args)
    clients.update_appointment(db, clinic.owner, *args, minutes=51)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1)
    with pytest.raises(NoteLocked, match="addendum"):
        clients.update_appointment(db, clinic.clinician, *args, minutes=60)
    assert clients.show_appointment(db, clinic.clinician, clinic.appointment_id).minutes == 51
