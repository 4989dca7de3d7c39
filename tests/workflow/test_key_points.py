"""Key points have revisions: a save based on an older one is refused with both texts, and a stale redraft saves
nothing (its key points would otherwise be in no version)."""
import pytest

from testkit.records import KEY_POINTS
from afternote.workflow import notes
from afternote.workflow.errors import KeyPointsConflict, StaleVersion


def _note(db, clinic):
    return notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)


def test_each_save_of_the_key_points_is_a_new_revision(db, clinic):
    note = _note(db, clinic)
    assert note.key_points_revision == 1
    assert notes.save_key_points(db, clinic.clinician, note.id, KEY_POINTS + " Tab A.", 1) == 2
    shown = notes.show(db, clinic.clinician, note.id)
    assert (shown.key_points, shown.key_points_revision, shown.version) == (KEY_POINTS + " Tab A.", 2, 1)


def test_a_save_based_on_an_older_revision_is_refused_with_both_texts(db, clinic):
    note = _note(db, clinic)
    notes.save_key_points(db, clinic.clinician, note.id, "Typed in tab A.", 1)
    with pytest.raises(KeyPointsConflict) as refused:
        notes.save_key_points(db, clinic.clinician, note.id, "Typed in tab B.", 1)
    conflict = refused.value
    assert (conflict.mine, conflict.theirs, conflict.current_revision) == ("Typed in tab B.", "Typed in tab A.", 2)
    assert "you, in another window or tab" in str(conflict)
    assert "Typed in" not in str(conflict)  # the texts travel on the error, never in its message
    assert notes.show(db, clinic.clinician, note.id).key_points == "Typed in tab A."


def test_keep_mine_is_a_save_based_on_the_current_revision(db, clinic):
    note = _note(db, clinic)
    notes.save_key_points(db, clinic.clinician, note.id, "Typed in tab A.", 1)
    with pytest.raises(KeyPointsConflict) as refused:
        notes.save_key_points(db, clinic.clinician, note.id, "Typed in tab B.", 1)
    assert notes.save_key_points(db, clinic.clinician, note.id, "Typed in tab B.",
                                 refused.value.current_revision) == 3
    assert notes.show(db, clinic.clinician, note.id).key_points == "Typed in tab B."


def test_the_same_text_from_a_stale_tab_is_no_conflict(db, clinic):
    note = _note(db, clinic)
    notes.save_key_points(db, clinic.clinician, note.id, "Same words.", 1)
    assert notes.save_key_points(db, clinic.clinician, note.id, "Same words.", 1) == 2


def test_a_stale_redraft_saves_nothing_not_even_its_key_points(db, clinic):
    note = _note(db, clinic)
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Weekly CBT.", 1)  # another tab saved version 2
    with pytest.raises(StaleVersion):
        notes.redraft(db, clinic.clinician, note.id, 1, key_points="Revised in a stale tab.",
                      key_points_revision=1)
    shown = notes.show(db, clinic.clinician, note.id)
    assert (shown.key_points, shown.key_points_revision, shown.version) == (KEY_POINTS, 1, 2)


def test_a_redraft_with_key_points_saved_elsewhere_since_is_a_conflict(db, clinic):
    note = _note(db, clinic)
    notes.save_key_points(db, clinic.clinician, note.id, "Typed in tab A.", 1)
    with pytest.raises(KeyPointsConflict) as refused:
        notes.redraft(db, clinic.clinician, note.id, 1, key_points="Typed in tab B.", key_points_revision=1)
    assert refused.value.theirs == "Typed in tab A."
    shown = notes.show(db, clinic.clinician, note.id)
    assert (shown.key_points, shown.version) == ("Typed in tab A.", 1)


def test_a_redraft_saves_its_key_points_as_the_next_revision(db, clinic):
    note = _note(db, clinic)
    assert notes.redraft(db, clinic.clinician, note.id, 1, key_points=KEY_POINTS + " Revised.",
                         key_points_revision=1) == 2
    shown = notes.show(db, clinic.clinician, note.id)
    assert (shown.key_points, shown.key_points_revision) == (KEY_POINTS + " Revised.", 2)
    assert shown.content["key_points"] == KEY_POINTS + " Revised."


def test_a_stale_section_save_of_your_own_names_you_and_when(db, clinic):
    note = _note(db, clinic)
    notes.edit_section(db, clinic.clinician, note.id, "plan", "From tab A.", 1)
    with pytest.raises(StaleVersion) as refused:
        notes.edit_section(db, clinic.clinician, note.id, "plan", "From tab B.", 1)
    message = str(refused.value)
    assert "by you, in another window or tab at " in message and "someone else" not in message
    assert refused.value.saved_at is not None
