"""Every version of a note is listed (who, when, which sections changed, with a diff), and an earlier version of a
draft can be restored as a new version; history is never rewritten, and a signed note is only addended."""
import pytest

from afternote.errors import InputError
from testkit.records import KEY_POINTS
from afternote.workflow import audit, notes, versions
from afternote.workflow.errors import NoteLocked, StaleVersion


def _edited_note(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Weekly CBT.\nThought record daily.", 1)
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Weekly CBT.\nBreathing practice.", 2)
    return note


def test_every_version_is_listed_with_who_when_and_what_changed(db, clinic):
    note = _edited_note(db, clinic)
    listed = versions.history(db, clinic.clinician, note.id)
    assert [(v.number, v.reason, v.author) for v in listed] == [
        (1, "draft", "Casey Clin"), (2, "edit", "Casey Clin"), (3, "edit", "Casey Clin")]
    assert listed[0].saved_at <= listed[1].saved_at <= listed[2].saved_at
    assert {c.key for c in listed[0].changes} == {s["key"] for s in note.content["sections"]} | {"key_points"}
    [change] = listed[2].changes
    assert (change.key, change.title) == ("plan", "Plan")
    assert "-Thought record daily." in change.diff and "+Breathing practice." in change.diff
    assert " Weekly CBT." in change.diff  # an unchanged line around the change, for context


def test_reading_old_versions_is_audited_without_health_data(db, clinic):
    note = _edited_note(db, clinic)
    versions.history(db, clinic.clinician, note.id)
    detail = versions.version(db, clinic.clinician, note.id, 2)
    assert detail.number == 2 and [c.key for c in detail.changes] == ["plan"]
    assert next(s for s in detail.content["sections"] if s["key"] == "plan")["text"].startswith("Weekly CBT.")
    events = audit.events(db, clinic.owner, record_id=note.id)
    assert {(e.action, e.record_type) for e in events} >= {("view", "note_versions"), ("view", "note_version")}
    with pytest.raises(InputError, match="versions 1 to 3; there is no 9"):
        versions.version(db, clinic.clinician, note.id, 9)


def test_an_earlier_version_is_restored_as_a_new_version(db, clinic):
    note = _edited_note(db, clinic)
    assert notes.restore(db, clinic.clinician, note.id, 1, base_version=3) == 4
    restored = notes.show(db, clinic.clinician, note.id)
    assert [s["text"] for s in restored.content["sections"]] == [s["text"] for s in note.content["sections"]]
    listed = versions.history(db, clinic.clinician, note.id)
    assert [v.reason for v in listed] == ["draft", "edit", "edit", "restore"] and listed[3].restored_from == 1
    assert notes.show(db, clinic.clinician, note.id, 3).content["sections"][-1]["text"].endswith("Breathing practice.")
    assert [e.action for e in audit.events(db, clinic.owner, action="restore_version", record_id=note.id)] == [
        "restore_version"]
    notes.edit_section(db, clinic.clinician, note.id, "plan", "After the restore.", 4)
    assert versions.history(db, clinic.clinician, note.id)[4].restored_from is None


def test_a_restore_based_on_a_stale_version_is_refused(db, clinic):
    note = _edited_note(db, clinic)
    with pytest.raises(StaleVersion):
        notes.restore(db, clinic.clinician, note.id, 1, base_version=2)
    with pytest.raises(InputError, match="current version"):
        notes.restore(db, clinic.clinician, note.id, 3, base_version=3)
    assert notes.show(db, clinic.clinician, note.id).version == 3


def test_a_signed_note_cannot_be_restored_only_addended(db, clinic):
    note = _edited_note(db, clinic)
    warnings = [f["code"] for f in notes.open_warnings(notes.show(db, clinic.clinician, note.id).content)]
    notes.sign(db, clinic.clinician, note.id, 3, acknowledged=warnings)
    with pytest.raises(NoteLocked, match="addendum"):
        notes.restore(db, clinic.clinician, note.id, 1, base_version=3)
    assert notes.verify(db, clinic.clinician, note.id).ok
