import uuid

import pytest
from sqlalchemy import select

from afternote.records.models import AuditEvent, User
from afternote.workflow import audit, clients, notes, users
from afternote.workflow.errors import LoginFailed
from testkit.records import PASSWORD


def test_every_action_is_audited_without_health_data(db, clinic):
    canary = f"Canary{uuid.uuid4().hex}"
    client = clients.add_client(db, clinic.clinician, f"Client {canary}")
    import datetime as dt
    appointment = clients.add_appointment(db, clinic.clinician, client.id, dt.date(2026, 1, 7), dt.time(9),
                                          minutes=45)
    note = notes.create(db, clinic.clinician, appointment, f"Pt {canary} anxious. Plan: f/u 1wk.")
    section = note.content["sections"][0]["key"]
    notes.edit_section(db, clinic.clinician, note.id, section, canary, 1)
    warnings = [f["code"] for f in notes.open_warnings(notes.show(db, clinic.clinician, note.id).content)]
    assert warnings  # the key points leave some open: signing acknowledges each, and that is audited too
    notes.sign(db, clinic.clinician, note.id, 2, acknowledged=warnings)
    notes.addend(db, clinic.clinician, note.id, canary, "late entry")
    actions = [e.action for e in audit.events(db, clinic.owner, record_id=note.id)]
    assert actions[::-1] == ["create", "edit", "view", "sign", *["acknowledge_warning"] * len(warnings), "addendum"]
    with db.session() as session:
        for event in session.scalars(select(AuditEvent).where(AuditEvent.practice_id == clinic.owner.practice_id)):
            assert canary not in repr([getattr(event, c.key) for c in AuditEvent.__table__.columns])


def test_login_and_failed_login_are_audited(db, clinic):
    with pytest.raises(LoginFailed):
        users.login(db, clinic.clinician.username, "wrong password", source="10.0.0.5")
    with pytest.raises(LoginFailed):
        users.login(db, "nobody-" + uuid.uuid4().hex, "wrong password")
    assert users.login(db, clinic.clinician.username, PASSWORD).user_id == clinic.clinician.user_id
    events = audit.events(db, clinic.owner, username=clinic.clinician.username)
    assert [(e.action, e.outcome) for e in events[:2]] == [("login", "ok"), ("login_failed", "refused")]
    assert events[1].source == "10.0.0.5"


def test_passwords_are_argon2id(db, clinic):
    with db.session() as session:
        stored = session.scalar(select(User.password_hash).where(User.id == clinic.clinician.user_id))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_audit_trail_is_the_practices_own(db, clinic):
    from testkit.records import make_clinic
    other = make_clinic(db)
    seen = {e.username for e in audit.events(db, other.owner, limit=1000)}
    assert clinic.clinician.username not in seen and other.clinician.username in seen

