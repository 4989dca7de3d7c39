"""Redrafting reports each section as the engine writes it (what the note screen streams), then saves the draft."""
from testkit.records import KEY_POINTS
from afternote.workflow import notes


def test_redraft_calls_on_section_in_order_before_saving(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    seen = []

    def on_section(section):
        seen.append((section.key, section.text, notes.show(db, clinic.clinician, note.id).version))

    assert notes.redraft(db, clinic.clinician, note.id, 1, format="birp", on_section=on_section) == 2
    saved = notes.show(db, clinic.clinician, note.id).content["sections"]
    assert [(key, text) for key, text, _ in seen] == [(s["key"], s["text"]) for s in saved]
    assert {version for *_, version in seen} == {1}  # written as they came, saved once complete


def _edit_and_redraft(db, clinic, **redraft):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Plan written by hand: weekly CBT.", 1)
    version = notes.redraft(db, clinic.clinician, note.id, 2, **redraft)
    return note.id, version, notes.show(db, clinic.clinician, note.id).content


def test_a_redraft_keeps_a_section_edited_by_hand_and_offers_the_new_draft_beside_it(db, clinic):
    note_id, version, content = _edit_and_redraft(db, clinic)
    plan = next(s for s in content["sections"] if s["key"] == "plan")
    assert plan["text"] == "Plan written by hand: weekly CBT." and plan["edited"]
    assert plan["proposed"]["text"] and plan["proposed"]["text"] != plan["text"]
    assert notes.kept_sections(content) == ["plan"]
    # take the new one: the hand-written text stays in the earlier version
    notes.take_proposal(db, clinic.clinician, note_id, "plan", version)
    taken = next(s for s in notes.show(db, clinic.clinician, note_id).content["sections"] if s["key"] == "plan")
    assert taken["text"] == plan["proposed"]["text"] and "proposed" not in taken and not taken["edited"]


def test_keeping_mine_is_saving_my_text(db, clinic):
    note_id, version, _ = _edit_and_redraft(db, clinic)
    notes.edit_section(db, clinic.clinician, note_id, "plan", "Plan written by hand: weekly CBT.", version)
    kept = notes.show(db, clinic.clinician, note_id).content
    assert notes.kept_sections(kept) == []
    assert next(s for s in kept["sections"] if s["key"] == "plan")["text"] == "Plan written by hand: weekly CBT."


def test_a_format_switch_keeps_an_edited_section_in_the_same_place_or_carries_it(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.edit_section(db, clinic.clinician, note.id, "objective", "Observed by hand: calm.", 1)
    notes.redraft(db, clinic.clinician, note.id, 2, format="dap")  # DAP has no Objective
    content = notes.show(db, clinic.clinician, note.id).content
    assert content["kept_edits"] == [{"key": "objective", "title": "Objective", "text": "Observed by hand: calm.",
                                      "format": "soap"}]


RISKY = ("Client reported SI this week, thoughts of overdosing, no intent. Used CBT: cognitive restructuring. "
         "Client engaged. Plan: thought record daily, next session in 1 week.")


def _codes(db, clinic, note_id):
    return {f["code"] for f in notes.show(db, clinic.clinician, note_id).content["findings"]}


def test_findings_follow_the_text_as_edited_with_no_redraft(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, RISKY)
    assert "risk-without-safety-statement" in _codes(db, clinic, note.id)
    notes.edit_section(db, clinic.clinician, note.id, "plan",
                       "Built a safety plan together: warning signs, coping, sister, 988. Thought record daily. "
                       "Next session in 1 week.", 1)
    assert "risk-without-safety-statement" not in _codes(db, clinic, note.id)
    # and back: deleting the safety plan by hand brings the finding back
    notes.edit_section(db, clinic.clinician, note.id, "plan", "Thought record daily. Next session in 1 week.", 2)
    assert "risk-without-safety-statement" in _codes(db, clinic, note.id)
