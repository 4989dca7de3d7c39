"""Tense from the reading: a verb typed in its base form reads as past for the session, present for what stands."""
import pytest

import afternote
from afternote.drafting.tense import in_tense
from afternote.verbs import base_verb


@pytest.mark.parametrize("sentence, time, expected", [
    ("Clinician ask about suicidal ideation.", "session", "Clinician asked about suicidal ideation."),
    ("Sister bring him to session.", "session", "Sister brought him to session."),
    ("Clinician and client practice one time with the topic.", "session",   # after two people, the verb
     "Clinician and client practiced one time with the topic."),
    ("Husband say it is only beer.", "session", "Husband said it is only beer."),
    ("Wife work in a restaurant.", "standing", "Wife works in a restaurant."),
    ("Parents live in Ohio.", "standing", "Parents live in Ohio."),                  # a plural subject
    ("Client call PCP about the dose.", "planned", "Client will call PCP about the dose."),
    ("Client's mother call him by his old name.", "since_last", "Client's mother called him by his old name."),
    ("Clinician and client do paced breathing.", "session", "Clinician and client did paced breathing."),
    ("They do not want to go.", "session", "They do not want to go."),               # "do" as an auxiliary
    ("Client agree to call 988.", "planned", "Client agreed to call 988."),          # decided in the session
    ("Father also say he is stressed.", "session", "Father also said he is stressed."),  # past an adverb
    ("Client still anxious.", "session", "Client still anxious."),
])
def test_a_base_verb_takes_the_tense_of_its_time(sentence, time, expected):
    assert in_tense(sentence, time) == expected


@pytest.mark.parametrize("sentence", [
    "Client work stress is high.",           # "work" is a noun here: nothing follows that a verb takes
    "Client negative for suicidal ideation.",  # an adjective with its copula dropped, not a verb
    "Client reported poor sleep.",           # already in the past
    "Client is tired.",
    "Plan is to call PCP.",                  # not a person's subject
    "He don't sleep.",                       # "don" before an apostrophe is no verb
])
def test_other_sentences_are_left_as_they_are(sentence):
    assert in_tense(sentence, "session") == sentence


def test_base_verbs_come_from_the_lexicon():
    assert base_verb("bring") and base_verb("ask")
    assert not base_verb("brought") and not base_verb("dinner") and not base_verb("open")
    assert base_verb("work", "in a restaurant") and not base_verb("work", "stress")


def test_the_note_says_what_happened_in_the_past():
    note = afternote.draft("I ask directly about SI, she deny. I teach TIPP skill.", format="soap")
    text = note.to_text()
    assert "Clinician asked directly" in text and "Clinician taught TIPP" in text


@pytest.mark.parametrize("plan, expected", [
    ("reschedule for next Mon", "Plan is to reschedule for next Monday."),     # a verb, though not a common one
    ("J to get a quote by next session", "J will get a quote by next session."),
    ("girlfriend may join a session later", "Girlfriend may join a session later."),  # a clause of its own
    ("Bank: she'll call the fraud line", "Bank: she'll call the fraud line."),
    ("sleep log nightly", "Plan includes sleep log nightly."),              # only a noun phrase is "included"
    ("thought record daily", "Plan includes thought record daily."),
])
def test_a_plan_reads_by_its_grammar(plan, expected):
    note = afternote.draft("taught box breathing. Plan: " + plan, format="soap")
    assert expected in note.to_text()
