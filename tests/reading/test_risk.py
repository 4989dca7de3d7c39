"""The risk reader: kind, polarity and experiencer as written, never weakened, never flipped."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afternote.reading.reader import read_statements
from afternote.reading.risk import risk_labels


def labels(text: str) -> set[tuple[str, str, str]]:
    return set(risk_labels(text))


@pytest.mark.parametrize("text, expected", [
    ("SI/HI neg", {("suicidal", "denied", "client"), ("homicidal", "denied", "client")}),
    ("SI/HI -", {("suicidal", "denied", "client"), ("homicidal", "denied", "client")}),
    ("denies SI, HI, AVH", {("suicidal", "denied", "client"), ("homicidal", "denied", "client"),
                            ("psychosis", "denied", "client")}),
    ("asked about SI: denies", {("suicidal", "denied", "client")}),
    ("denies current thoughts of self-harm", {("self_harm", "denied", "client")}),
    ("he denied any plan or intent to harm R.", {("homicidal", "denied", "client")}),
    ("no longer denies SI", {("suicidal", "endorsed", "client")}),
    ("passive SI, no plan or intent", {("suicidal", "passive", "client")}),
    ("no plan, passive SI", {("suicidal", "passive", "client")}),
    ("wouldn't mind not waking up", {("suicidal", "passive", "client")}),
    ("SI+ w/ plan", {("suicidal", "endorsed", "client")}),
    ("reports cutting last week after fight w/ mom", {("self_harm", "endorsed", "client")}),
    ("?SI", {("suicidal", "uncertain", "client")}),
    ("vague re SI", {("suicidal", "uncertain", "client")}),
    ("prior suicide attempts x2", {("suicidal", "history", "client")}),
    ("hx of suicidal ideation as a teen", {("suicidal", "history", "client")}),
    ("brother's suicidal statement last week", {("suicidal", "endorsed", "other")}),
    ("friend who cuts", {("self_harm", "endorsed", "other")}),
    ("partner hit her last month", {("abuse", "endorsed", "client")}),
    ("says she just wants to disappear", {("suicidal", "passive", "client")}),   # indirect wishes: passive SI
    ("doesn't want to live anymore", {("suicidal", "passive", "client")}),
    ("denies wanting to disappear", {("suicidal", "denied", "client")}),
    ("attempt by hanging in 2015", {("suicidal", "history", "client")}),
    ('dice "no quiero vivir"', {("suicidal", "endorsed", "client")}),
    ("new scratches on her forearm", {("self_harm", "endorsed", "client")}),
    ("banging his head on the wall when frustrated", {("self_harm", "endorsed", "client")}),
    ("shoved his wife during an argument", {("violence", "endorsed", "client")}),
    # lower-case acronyms beside each other, and the self in "harming herself" (no one else's harm)
    ("denies si hi", {("suicidal", "denied", "client"), ("homicidal", "denied", "client")}),
    ("no si or hi", {("suicidal", "denied", "client"), ("homicidal", "denied", "client")}),
    ("denied thoughts of harming herself", {("self_harm", "denied", "client")}),
    ("no thoughts of killing self", {("suicidal", "denied", "client")}),
    ("denies thoughts of hurting her husband", {("homicidal", "denied", "client")}),
    # the C-SSRS's and the history's words
    ("homicidal ideation denied", {("homicidal", "denied", "client")}),   # no suicidal "ideation" beside it
    ("no hx attempts", {("suicidal", "denied", "client")}),
    ("hx SA x2, last 2019", {("suicidal", "history", "client")}),
    ("aborted attempt Sun", {("suicidal", "endorsed", "client")}),
    ("active ideation w/o intent", {("suicidal", "endorsed", "client")}),
    ("passive ideation, no plan", {("suicidal", "passive", "client")}),
    ("denies thoughts of death", {("suicidal", "denied", "client")}),
    ("wouldn't care if she didn't wake up", {("suicidal", "passive", "client")}),
    ("some nights wishes she wouldn't wake up - no plan", {("suicidal", "passive", "client")}),
    ("passive thoughts, no plan, no intent", {("suicidal", "passive", "client")}),
    ("PHQ-9 15, item 9 = 0", {("suicidal", "denied", "client")}),
    ("PHQ-9 19 with item 9 scored 2", {("suicidal", "endorsed", "client")}),
    # psychosis as a symptom
    ("no psychotic sx", {("psychosis", "denied", "client")}),
    ("no evidence of psychosis", {("psychosis", "denied", "client")}),
    ("CAH x2 this wk", {("psychosis", "endorsed", "client")}),
    ("slapped her twice this week", {("violence", "endorsed", "client")}),
])
def test_risk_is_read_as_written(text, expected):
    assert labels(text) == expected


@pytest.mark.parametrize("text", [
    "role-played a repair attempt",                 # a Gottman term, not a suicide attempt
    "pt said 'si' when asked if the plan worked",    # Spanish for yes
    "cutting back on coffee",
    "boss cut his hours again",                      # a cut of pay, not of the body
    "mom cut her off after the fight",
    "psychoed on warning signs of suicide",          # a topic taught, not the client's ideation
    "if urges to cut arise, will text sister",       # a condition in a plan
    "discussed OD risk and naloxone",
    "coworker didn't say hi -> 'she hates me'",     # a greeting before an arrow, not HI
    "hit a personal best at the gym",                 # a blow needs a person to land on
    "pushed himself to go to class",
    "not wanting to disappear into her work",         # a figure of speech
    "I just want it to stop",                         # which "it" is for the clinician to say
    "intrusive images of stabbing her partner",      # a harm obsession (OCD), not an act or an intent
    "psychoed family on early psychosis",            # a topic taught
    "i think this is ppd with ocd features, not psychosis",  # a differential, the clinician's formulation
    "sa counselor called back",                      # substance abuse, not a suicide attempt
    "hx SA tx at 19",                                 # nor here: only "SA" right after a history word in capitals
    "didn't wake up until noon",
    "pushed her to apply for the job",
    "any attempts to reach her failed",
])
def test_what_only_looks_like_risk_is_no_mention(text):
    assert labels(text) == set()


def test_in_capitals_a_bare_si_is_a_yes_but_a_denied_si_is_a_denial():
    assert labels("DENIES SI/HI. CLIENT SAID SI TO THE PLAN") == {("suicidal", "denied", "client"),
                                                                  ("homicidal", "denied", "client")}


def test_a_denial_covers_its_list_across_clauses():
    statements = read_statements("Pt denies SI, HI, AVH. Slept ok.")
    denied = [r for s in statements for r in s.risks if r.polarity == "denied"]
    assert {r.kind for r in denied} == {"suicidal", "homicidal", "psychosis"}
    assert all(s.category == "risk" for s in statements if s.risks)


ENDORSED = ["reports SI", "endorses passive SI", "SI with plan to overdose", "thoughts of killing herself",
            "has been cutting again", "hearing voices telling him to hurt himself", "wants to die",
            "SI+", "urges to cut daily"]
NEUTRAL = st.sampled_from(["tired", "pt 34F", "slept 5h", "work stress", "used CBT", "mom present", "tearful",
                           "PHQ-9 14", "f/u 1 wk", "no appetite change", "not sleeping well"])


@settings(max_examples=150, deadline=None)
@given(before=st.lists(NEUTRAL, max_size=3), phrase=st.sampled_from(ENDORSED), after=st.lists(NEUTRAL, max_size=3),
       joiner=st.sampled_from([", ", "; ", ". ", "\n- "]))
def test_an_endorsed_risk_phrase_is_never_read_as_denied_or_non_risk(before, phrase, after, joiner):
    summary = joiner.join([*before, phrase, *after])
    statements = read_statements(summary)
    holding = [s for s in statements if s.start <= summary.index(phrase) < s.end + 1]
    assert holding and all(s.category in ("risk", "safety") for s in holding), summary
    read = [r for s in holding for r in s.risks]
    assert read and not any(r.polarity == "denied" for r in read), summary
