"""Notes link to the client's treatment plan (SQLite and PostgreSQL): the ticked goals and objectives, with the
progress in the clinician's words, are a new version; GIRP's Goal section quotes them; the goal finding follows the
plan; the link is sealed with the note, and notes sealed before links existed still verify."""
import json

import pytest
from sqlalchemy import select

from afternote.errors import InputError
from afternote.records.models import NoteVersion
from afternote.workflow import note_goals, notes, plans, signing
from afternote.workflow.errors import StaleVersion
from testkit.plans import complete_plan
from testkit.records import KEY_POINTS, raw

NO_GOAL_POINTS = "Used CBT: cognitive restructuring. Client engaged, generated a balanced thought. Plan: f/u 1wk."


def signed_plan(db, clinic) -> plans.PlanView:
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    return plans.show(db, clinic.clinician, plan.id)


def first_objective(plan) -> list[dict]:
    goal = plan.document.goals()[0]
    return [{"goal_id": goal.id, "objectives": [{"objective_id": goal.objectives[0].id,
                                                 "progress": "GAD-7 down from 16 to 12."}]}]


def codes(view) -> list[str]:
    return [f["code"] for f in view.content["findings"]]


def test_a_linked_objective_is_a_new_version_and_girps_goal_section_says_so(db, clinic):
    plan = signed_plan(db, clinic)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, NO_GOAL_POINTS, format="girp")
    assert "no-treatment-goal" in codes(note)  # a plan exists and nothing is linked yet
    assert note_goals.link(db, clinic.clinician, note.id, 1, first_objective(plan)) == 2
    shown = notes.show(db, clinic.clinician, note.id)
    goal = next(s for s in shown.content["sections"] if s["key"] == "goal")
    assert goal["text"].startswith("Treatment-plan goal addressed: Reduce anxiety at work")
    assert "progress: GAD-7 down from 16 to 12." in goal["text"]
    assert shown.content["plan_links"]["plan_id"] == plan.id and shown.content["plan_links"]["plan_version"] == 1
    assert "no-treatment-goal" not in codes(shown)
    assert "plan_links" not in notes.show(db, clinic.clinician, note.id, version=1).content


def test_a_redraft_and_a_section_edit_keep_the_link(db, clinic):
    plan = signed_plan(db, clinic)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, NO_GOAL_POINTS, format="girp")
    note_goals.link(db, clinic.clinician, note.id, 1, first_objective(plan))
    notes.redraft(db, clinic.clinician, note.id, 2, key_points=NO_GOAL_POINTS + " Client tearful.")
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Follow-up in 1 week.", 3)
    shown = notes.show(db, clinic.clinician, note.id)
    assert shown.content["plan_links"]["goals"][0]["objectives"][0]["progress"] == "GAD-7 down from 16 to 12."
    assert next(s for s in shown.content["sections"] if s["key"] == "goal")["text"].startswith("Treatment-plan goal")


def test_a_stale_link_and_an_unknown_goal_are_refused_and_nothing_is_saved(db, clinic):
    plan = signed_plan(db, clinic)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, NO_GOAL_POINTS, format="girp")
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Follow-up in 1 week.", 1)
    with pytest.raises(StaleVersion):
        note_goals.link(db, clinic.clinician, note.id, 1, first_objective(plan))
    with pytest.raises(InputError, match="Reload the note"):
        note_goals.link(db, clinic.clinician, note.id, 2, [{"goal_id": "nosuchgoal", "objectives": []}])
    with pytest.raises(InputError, match="at most 2000"):
        bad = first_objective(plan)
        bad[0]["objectives"][0]["progress"] = "x" * 2001
        note_goals.link(db, clinic.clinician, note.id, 2, bad)
    assert notes.show(db, clinic.clinician, note.id).version == 2


def test_without_a_plan_no_note_carries_the_goal_finding_and_linking_says_what_to_do(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, NO_GOAL_POINTS, format="girp")
    assert "no-treatment-goal" not in codes(note)  # it is one finding per client, on the client page and Today
    with pytest.raises(InputError, match="no signed treatment plan"):
        note_goals.link(db, clinic.clinician, note.id, 1, [{"goal_id": "g", "objectives": []}])


def test_the_link_is_sealed_with_the_note(db, clinic):
    plan = signed_plan(db, clinic)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, NO_GOAL_POINTS, format="girp")
    note_goals.link(db, clinic.clinician, note.id, 1, first_objective(plan))
    notes.sign(db, clinic.clinician, note.id, 2, acknowledged=[f["code"] for f in notes.open_warnings(
        notes.show(db, clinic.clinician, note.id).content)])
    assert notes.verify(db, clinic.clinician, note.id).ok
    with db.session() as session:
        row = session.scalar(select(NoteVersion).where(NoteVersion.note_id == note.id, NoteVersion.number == 2))
        content = json.loads(db.keyring.decrypt(row.content_enc, "note_versions", "content_enc", row.id))
    # someone with the key claims more progress than the clinician wrote: the sections still read the same
    content["plan_links"]["goals"][0]["objectives"][0]["progress"] = "GAD-7 down to 4."
    forged = db.keyring.encrypt(json.dumps(content), "note_versions", "content_enc", row.id)
    raw(db, ("UPDATE note_versions SET content_enc = :c WHERE id = :id", {"c": forged, "id": row.id}))
    problems = notes.verify(db, clinic.clinician, note.id).problems
    assert any("seal does not match" in p for p in problems)


def test_notes_sealed_before_plan_links_still_verify(db, clinic, monkeypatch):
    monkeypatch.setattr(signing, "SHAPE", 2)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)])
    monkeypatch.setattr(signing, "SHAPE", 3)
    assert notes.verify(db, clinic.clinician, note.id).ok
    notes.addend(db, clinic.clinician, note.id, "Late entry.", "late entry")  # a shape-3 link after a shape-2 one
    assert notes.verify(db, clinic.clinician, note.id).ok


def test_the_note_screen_sees_the_active_plan_as_the_client_does(db, clinic):
    assert note_goals.plan_of_note(db, clinic.clinician, clinic.client_id) is None
    plan = signed_plan(db, clinic)
    plans.save(db, clinic.clinician, plan.id, complete_plan(), base_version=1)  # a draft version 2, unsigned
    shown = note_goals.plan_of_note(db, clinic.clinician, clinic.client_id)
    assert (shown.id, shown.version) == (plan.id, 1)
    assert note_goals.plan_of_note(db, clinic.owner, clinic.client_id).id == plan.id
