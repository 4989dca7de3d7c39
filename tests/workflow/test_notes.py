import pytest

from testkit.records import KEY_POINTS
from afternote.workflow import notes, versions
from afternote.workflow.errors import NoteLocked, StaleVersion


def test_note_is_drafted_from_key_points(db, clinic):
    view = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS, format="soap")
    assert view.version == 1 and view.status == "draft" and view.format == "soap"
    shown = notes.show(db, clinic.clinician, view.id)
    assert shown.key_points == KEY_POINTS
    assert [s["key"] for s in shown.content["sections"]] == [s["key"] for s in view.content["sections"]]


def test_edit_makes_a_new_version_and_keeps_the_old(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    key = note.content["sections"][0]["key"]
    assert notes.edit_section(db, clinic.clinician, note.id, key, "Client reported anxiety.", 1) == 2
    assert notes.show(db, clinic.clinician, note.id).content["sections"][0]["text"] == "Client reported anxiety."
    assert notes.show(db, clinic.clinician, note.id, version=1).content == note.content


def test_stale_save_is_refused_with_the_current_version(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    key = note.content["sections"][0]["key"]
    notes.edit_section(db, clinic.clinician, note.id, key, "first editor", 1)
    with pytest.raises(StaleVersion) as refused:
        notes.edit_section(db, clinic.clinician, note.id, key, "second editor", 1)
    assert refused.value.current_version == 2
    assert notes.show(db, clinic.clinician, note.id).content["sections"][0]["text"] == "first editor"


def test_switching_format_keeps_earlier_versions(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS, format="soap")
    assert notes.redraft(db, clinic.clinician, note.id, 1, format="dap") == 2
    assert notes.show(db, clinic.clinician, note.id).format == "dap"
    assert [(v.number, v.reason, v.format) for v in versions.history(db, clinic.clinician, note.id)] == [
        (1, "draft", "soap"), (2, "redraft", "dap")]


def test_signed_note_refuses_edit(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    signature = notes.sign(db, clinic.clinician, note.id, 1)
    assert signature.credentials == "LMFT" and len(signature.content_sha256) == 64
    key = note.content["sections"][0]["key"]
    with pytest.raises(NoteLocked):
        notes.edit_section(db, clinic.clinician, note.id, key, "changed", 1)
    with pytest.raises(NoteLocked):
        notes.redraft(db, clinic.clinician, note.id, 1, format="dap")
    with pytest.raises(NoteLocked):
        notes.sign(db, clinic.clinician, note.id, 1)
    assert notes.show(db, clinic.clinician, note.id).content == note.content
    assert notes.verify(db, clinic.clinician, note.id).ok


def test_sign_against_a_stale_version_is_refused(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.redraft(db, clinic.clinician, note.id, 1, format="birp")
    with pytest.raises(StaleVersion):
        notes.sign(db, clinic.clinician, note.id, 1)


def test_addendum_keeps_the_signed_original(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1)
    notes.addend(db, clinic.clinician, note.id, "Client called to report improved sleep.", "late entry")
    shown = notes.show(db, clinic.clinician, note.id)
    assert shown.status == "amended" and shown.content == note.content
    assert shown.addenda[0].reason == "late entry" and "Addendum" in shown.to_text()
    assert notes.verify(db, clinic.clinician, note.id).ok


def test_associate_note_awaits_supervisor_cosignature(db, clinic):
    import datetime as dt

    from afternote.workflow import backlog, clients
    client = clients.add_client(db, clinic.associate, "Another Client")
    appointment = clients.add_appointment(db, clinic.associate, client.id, dt.date(2026, 1, 6), dt.time(9),
                                          minutes=45)
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1)
    waiting = backlog.backlog(db, clinic.supervisor)
    assert [(i.kind, i.note_id) for i in waiting] == [("awaiting co-signature", note.id)]
    cosig = notes.co_sign(db, clinic.supervisor, note.id)
    assert cosig.kind == "cosign" and cosig.credentials == "LCSW"
    assert backlog.backlog(db, clinic.supervisor) == []
    shown = notes.show(db, clinic.supervisor, note.id)
    assert [s.kind for s in shown.signatures] == ["sign", "cosign"]
    assert notes.verify(db, clinic.owner, note.id).ok


def test_redraft_from_revised_key_points_keeps_the_first_ones(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.redraft(db, clinic.clinician, note.id, 1, key_points="Pt reports low mood. Plan: f/u 2wk.")
    assert notes.show(db, clinic.clinician, note.id).key_points.startswith("Pt reports low mood")
    assert notes.show(db, clinic.clinician, note.id, version=1).content["key_points"] == KEY_POINTS
