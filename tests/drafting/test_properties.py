"""Properties of every draft, for any key points: the note has the format's sections, adds no number, keeps the
polarity of suicidal ideation, and every sentence points at real text of the key points.

Numbers are judged as the project's scorer judges them (../shared/eval/score.py): each number written in the note
must be among the numbers of the key points, where "twice" counts as 2 and "7/10" gives 7 and 10.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import afternote
from afternote.errors import InputError

SHARED = Path(__file__).parents[2] / ".." / "shared"
SECTION_MAP = json.loads((SHARED / "eval" / "sections.json").read_text(encoding="utf-8"))["formats"]
FORMATS = sorted(SECTION_MAP)

_spec = importlib.util.spec_from_file_location("afternote_eval_score", SHARED / "eval" / "score.py")
score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- what a clinician types: fragments of key points --------------------------------------------------------------

numbers = st.one_of(st.integers(0, 120).map(str), st.sampled_from(["2.5", "0.5", "1,200", "10:00", "3-4"]))
feelings = st.sampled_from(["anxiety", "low mood", "irritability", "poor sleep", "panic attacks", "grief",
                            "worry about finances", "conflict w/ partner", "cravings", "fatigue"])
people = st.sampled_from(["pt", "Client", "client", "Pt", "CL", "She", "He", "They"])

presenting = st.one_of(
    st.builds(lambda p, f: f"{p} c/o {f}", people, feelings),
    st.builds(lambda p, f: f"{p} reports {f} at work", people, feelings),
    st.builds(lambda n: f"sleeping ~{n}h/night", numbers),
    st.builds(lambda f, n: f"{f} x{n} days", feelings, numbers),
    st.builds(lambda f: f"{f} since last session", feelings),
)
observation = st.sampled_from(["appeared tense", "fidgeting, affect congruent", "tearful at times",
                               "A&Ox3, speech nl rate", "flat affect", "arrived 10 min late", "good eye contact"])
measure = st.one_of(
    st.builds(lambda a, b: f"PHQ-9 {a} (was {b})", numbers, numbers),
    st.builds(lambda a: f"GAD-7 = {a}", numbers),
    st.builds(lambda a, b: f"rated anxiety {a}/10 at start, {b}/10 at end", st.integers(0, 10), st.integers(0, 10)),
    st.builds(lambda a, b: f"SUDS {a}->{b}", numbers, numbers),
    st.builds(lambda a: f"{a} days sober", numbers),
)
intervention = st.sampled_from(["Used CBT", "I used MI", "we practiced box breathing", "taught grounding",
                                "psychoeducation re: sleep hygiene", "cognitive restructuring",
                                "Interventions - DBT distress tolerance", "role-played assertive request"])
response = st.sampled_from(["pt engaged", "able to generate balanced thought", "receptive",
                            "struggled w/ homework", "identified 3 triggers", "good insight"])
quote = st.builds(lambda p, q: f"{p} stated '{q}'", people,
                  st.sampled_from(["I can't keep doing this", "work is a nightmare", "I felt proud",
                                   "nobody listens"]))
plan = st.one_of(
    st.sampled_from(["Plan: f/u 1wk", "HW: thought record daily", "practice breathing 2x/day",
                     "continue weekly CBT", "refer to psychiatry for med eval", "next session in 2 weeks"]),
    st.builds(lambda n: f"f/u in {n} wks", numbers),
)
# suicidal ideation as clinicians type it, with the polarity a reader would take from it
SI_DENIED = ["denies SI", "SI neg", "SI/HI neg", "no SI", "denied SI/HI", "Denies suicidal ideation",
             "SI: denied", "pt denies SI, HI, AVH", "negative for SI"]
SI_ENDORSED = ["endorses passive SI", "reports SI without plan or intent", "endorsed suicidal ideation",
               "+SI, no plan", "pt reports passive SI", "SI endorsed"]

fragments = st.one_of(presenting, observation, measure, intervention, response, quote, plan)
bullets = st.sampled_from(["", "", "- ", "* ", "• ", "1. "])
headings = st.sampled_from(["", "", "", "Plan:", "S:", "Interventions -", "Assessment:", "Data:"])
joiners = st.sampled_from(["\n", "; ", ". ", ", ", "\n\n"])


@st.composite
def key_points(draw, risk: str | None = None) -> str:
    """Clinician-like key points; with `risk`, exactly one suicidal-ideation statement of that polarity."""
    parts = draw(st.lists(fragments, min_size=1, max_size=8))
    if risk == "denied":
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(SI_DENIED)))
    elif risk == "endorsed":
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(SI_ENDORSED)))
    text = ""
    for index, part in enumerate(parts):
        if index:
            text += draw(joiners)
        joiner_is_line = not text or text.endswith("\n")
        if joiner_is_line:
            heading = draw(headings)
            text += draw(bullets) + (heading + " " if heading and not part.lower().startswith("plan") else "")
        text += part
    return text + draw(st.sampled_from(["", ".", "\n"]))


# -- what must hold of every note ------------------------------------------------------------------------------------


def note_text(note) -> str:
    return " ".join(section.text for section in note.sections)


def assert_sections_are_the_formats(note, fmt: str) -> None:
    assert [s.key for s in note.sections] == SECTION_MAP[fmt]["sections"]
    assert all(s.text.strip() for s in note.sections)  # empty sections say so


def assert_no_new_numbers(note, summary: str) -> None:
    allowed = score.numbers_in(summary)
    invented = sorted({float(n) for n in score.plain_numbers(note_text(note))} - allowed)
    assert not invented, f"numbers {invented} are not in the key points: {note_text(note)!r}"


def assert_sources_are_spans_of(note, summary: str) -> None:
    for section in note.sections:
        for sentence in section.sentences:
            assert sentence.sources, sentence
            for start, end in sentence.sources:
                assert 0 <= start < end <= len(summary), (sentence.text, (start, end), len(summary))
                assert summary[start:end].strip(), (sentence.text, (start, end))


SUICIDAL = re.compile(r"suicid|\bSI\b", re.I)
NEGATED = re.compile(r"\b(den(y|ies|ied|ying)|no|not|never|negative|neg|without|none)\b", re.I)
DENIED_SI = re.compile(r"\b(den(y|ies|ied|ying)|negative for|no)\b[^.;]{0,40}\b(suicid|SI\b)", re.I)


def sentences_of(note) -> list[str]:
    return [sentence.text for section in note.sections for sentence in section.sentences]


def assert_si_denial_kept(note) -> None:
    mentions = [s for s in sentences_of(note) if SUICIDAL.search(s)]
    assert mentions, f"the denial of suicidal ideation was dropped: {note_text(note)!r}"
    for sentence in mentions:
        assert NEGATED.search(sentence), f"suicidal ideation reads as endorsed: {sentence!r}"


def assert_si_endorsement_kept(note) -> None:
    mentions = [s for s in sentences_of(note) if SUICIDAL.search(s)]
    assert mentions, f"endorsed suicidal ideation was dropped: {note_text(note)!r}"
    for sentence in mentions:
        assert not DENIED_SI.search(sentence), f"endorsed suicidal ideation reads as denied: {sentence!r}"


def draft_or_refuse(summary: str, fmt: str):
    """The note, or None when the key points are refused with an InputError (the only error allowed)."""
    try:
        return afternote.draft(summary, format=fmt)
    except InputError:
        return None


# -- the properties ---------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(summary=st.text(max_size=400), fmt=st.sampled_from(FORMATS))
@example(summary="", fmt="soap")
@example(summary="   \n\t", fmt="dap")
@example(summary="pt ok\x00", fmt="pie")
@example(summary="7/10 -> 5/10", fmt="soapie")
def test_any_text_is_drafted_or_refused_with_an_input_error(summary, fmt):
    note = draft_or_refuse(summary, fmt)
    if note is None:
        return
    assert summary.strip()
    assert_sections_are_the_formats(note, fmt)
    assert_no_new_numbers(note, summary)
    assert_sources_are_spans_of(note, summary)


@PROPERTY_SETTINGS
@given(summary=key_points())
def test_key_points_draft_to_exactly_each_formats_sections(summary):
    for fmt in FORMATS:
        assert_sections_are_the_formats(afternote.draft(summary, format=fmt), fmt)


@PROPERTY_SETTINGS
@given(summary=key_points(), fmt=st.sampled_from(FORMATS))
@example(summary="anxiety x2.5 days", fmt="birp")  # once drafted as "anxiety 2 times.5 days"
@example(summary="rated anxiety 7/10 -> 5/10; sleeping ~5h/night; breathing 2x/day", fmt="soap")
def test_note_numbers_all_come_from_the_key_points(summary, fmt):
    assert_no_new_numbers(afternote.draft(summary, format=fmt), summary)


@PROPERTY_SETTINGS
@given(summary=key_points(), fmt=st.sampled_from(FORMATS))
def test_every_sentence_cites_spans_of_the_key_points(summary, fmt):
    assert_sources_are_spans_of(afternote.draft(summary, format=fmt), summary)


@PROPERTY_SETTINGS
@given(summary=key_points(risk="denied"), fmt=st.sampled_from(FORMATS))
def test_denied_si_stays_denied(summary, fmt):
    assert_si_denial_kept(afternote.draft(summary, format=fmt))


@PROPERTY_SETTINGS
@given(summary=key_points(risk="endorsed"), fmt=st.sampled_from(FORMATS))
def test_endorsed_si_stays_endorsed(summary, fmt):
    assert_si_endorsement_kept(afternote.draft(summary, format=fmt))
