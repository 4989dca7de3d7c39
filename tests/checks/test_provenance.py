"""Unsupported sentences: what verification flags becomes an error the clinician must resolve before signing.

The builtin engine writes only what the key points say, so these tests play the part of a language model that
did not: they change a drafted sentence and verify the note again, as the pipeline does for every engine.
"""
import afternote
from afternote.reading.reader import read_statements
from afternote.drafting.pipeline import run_checks
from afternote.drafting.provenance import verify_sections
from afternote.session import Session

SUMMARY = ("Client reports sleeping ~5h/night since the new job; denies SI/HI. Used CBT: cognitive restructuring. "
           "Client engaged. Plan: thought record daily, next session in 1 week.")


def redraft_with(section_key: str, text: str, replacing: str = ""):
    """The note as a model might write it: a sentence of `section_key` (the first, or the first that contains
    `replacing`) replaced by `text`, then verified."""
    note = afternote.draft(SUMMARY, format="soap", session={"duration_minutes": 53})
    sentence = next(s for s in note.section(section_key).sentences if replacing in s.text)
    sentence.text = text
    statements = read_statements(SUMMARY)
    verify_sections(note.sections, statements, SUMMARY)
    note.findings = run_checks(note, statements, Session(duration_minutes=53))
    return note


def unsupported(note):
    return [f for f in note.findings if f.code == "unsupported-sentence"]


def test_builtin_draft_has_no_unsupported_sentences():
    assert unsupported(afternote.draft(SUMMARY, format="soap")) == []


def test_invented_number_is_an_error_naming_the_section_and_the_problem():
    note = redraft_with("subjective", "Client reported sleeping approximately 4 hours per night since the new job.")
    [error] = unsupported(note)
    assert error.severity == "error" and error.section == "subjective"
    assert "Subjective" in error.message and "number 4" in error.message
    assert error.hint == "Check it against the key points, then edit or delete it."
    assert note.findings[0] == error


def test_flipped_risk_polarity_is_an_error():
    drafted = afternote.draft(SUMMARY, format="soap")
    denial = next(section.key for section in drafted.sections if "denied suicidal" in section.text)
    note = redraft_with(denial, "Client endorsed suicidal and homicidal ideation.", replacing="denied suicidal")
    [error] = unsupported(note)
    assert error.section == denial and "polarity" in error.message


def test_invented_name_is_flagged_without_repeating_it():
    note = redraft_with("subjective", "Client reported sleeping approximately 5 hours per night since Dr. Okafor "
                                      "changed the new job.")
    [error] = unsupported(note)
    assert "name or term" in error.message and "Okafor" not in error.message


def test_one_error_per_unsupported_sentence():
    note = afternote.draft(SUMMARY, format="soap")
    note.section("subjective").sentences[0].text = "Client reported sleeping 3 hours per night since the new job."
    note.section("plan").sentences[0].text = "Client will complete a thought record 7 times daily."
    statements = read_statements(SUMMARY)
    verify_sections(note.sections, statements, SUMMARY)
    errors = [f for f in run_checks(note, statements, Session()) if f.code == "unsupported-sentence"]
    assert sorted(f.section for f in errors) == ["plan", "subjective"]
