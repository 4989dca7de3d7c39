"""Redrafting reports each section as the engine writes it (what the note screen streams), then saves the draft."""
from afternote.records.testing import KEY_POINTS
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
