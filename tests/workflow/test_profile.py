"""A clinician's profile: name and credentials as signed, and the default note format (explicit, else the format
of their latest note), on SQLite and PostgreSQL."""
import pytest

from afternote.errors import InputError
from testkit.records import KEY_POINTS
from afternote.workflow import audit, notes, practice, users

FORMATS = ("soap", "dap", "birp")


def test_default_format_is_chosen_else_the_usual_one(db, clinic):
    me = clinic.clinician
    assert practice.default_format(db, me) is None
    assert notes.starting_format(db, me) == "soap"  # nothing written yet, nothing chosen
    notes.create(db, me, clinic.appointment_id, KEY_POINTS, format="dap")
    assert notes.starting_format(db, me) == "dap"  # inferred: the latest note's
    practice.update_profile(db, me, display_name="Casey Clin", credentials="LMFT", default_format="birp",
                            known_formats=FORMATS)
    assert practice.default_format(db, me) == "birp"
    assert notes.starting_format(db, me) == "birp"  # chosen beats inferred
    assert notes.usual_format(db, me) == "dap"
    assert notes.starting_format(db, clinic.associate) == "soap"  # one person's choice is theirs only
    practice.update_profile(db, me, display_name="Casey Clin", credentials="LMFT", default_format="",
                            known_formats=FORMATS)
    assert practice.default_format(db, me) is None and notes.starting_format(db, me) == "dap"


def test_unknown_format_is_refused_and_nothing_changes(db, clinic):
    me = clinic.clinician
    with pytest.raises(InputError, match="no format 'nope'"):
        practice.update_profile(db, me, display_name="Renamed", credentials="PhD", default_format="nope",
                                known_formats=FORMATS)
    assert practice.default_format(db, me) is None
    assert [u.display_name for u in users.list_users(db, clinic.owner) if u.id == me.user_id] == ["Casey Clin"]


def test_credentials_change_is_audited_and_leaves_the_format_alone_when_not_given(db, clinic):
    me = clinic.clinician
    practice.update_profile(db, me, display_name="Casey Clin", credentials="LMFT", default_format="dap",
                            known_formats=FORMATS)
    practice.update_profile(db, me, display_name="Casey Clin", credentials="LMFT, PhD")
    assert practice.default_format(db, me) == "dap"
    assert users.get_actor(db, me.username).credentials == "LMFT, PhD"
    events = audit.events(db, clinic.owner, username=me.username, action="edit")
    assert [(e.record_type, e.record_id) for e in events][:2] == [("user", me.user_id)] * 2
