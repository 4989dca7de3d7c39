"""Every query is scoped by practice; a clinician sees only their own clients unless the role says otherwise."""
import pytest

from testkit.records import KEY_POINTS, make_clinic
from afternote.workflow import audit, clients, notes
from afternote.workflow.errors import NotAllowed, NotFound


def test_clinician_cannot_see_another_clinicians_client(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    with pytest.raises(NotFound):
        notes.show(db, clinic.associate, note.id)
    assert clients.list_clients(db, clinic.associate) == []
    assert [c.name for c in clients.list_clients(db, clinic.owner)] == ["Test Client"]


def test_other_practice_sees_nothing(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    stranger = make_clinic(db)
    for actor in (stranger.owner, stranger.auditor, stranger.clinician):
        with pytest.raises(NotFound):
            notes.show(db, actor, note.id)
    assert clinic.client_id not in [c.id for c in clients.list_clients(db, stranger.owner)]


def test_auditor_reads_but_never_writes(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    assert notes.show(db, clinic.auditor, note.id).id == note.id
    with pytest.raises(NotAllowed):
        notes.edit_section(db, clinic.auditor, note.id, "subjective", "x", 1)
    with pytest.raises(NotAllowed):
        clients.add_client(db, clinic.auditor, "Someone")


def test_only_the_author_edits_and_signs(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    with pytest.raises(NotAllowed):
        notes.sign(db, clinic.owner, note.id, 1)


def test_audit_trail_is_for_owners_and_auditors(db, clinic):
    with pytest.raises(NotAllowed):
        audit.events(db, clinic.clinician)
    assert audit.events(db, clinic.auditor)
