"""Clinical wording: shorthand spelled out, third person, quotations untouched, no number invented."""
import pytest

from afternote.drafting.language import clinical, expand_shorthand, number_values


@pytest.mark.parametrize("shorthand, clinical_wording", [
    ("pt c/o low mood", "client reported low mood"),
    ("SI/HI neg", "denied suicidal and homicidal ideation"),
    ("sleeping ~5h/night", "sleeping approximately 5 hours per night"),
    ("f/u 1wk", "follow-up in 1 week"),
    ("breathing 2x/day", "breathing twice a day"),
    ("SUDS 8 -> 2", "SUDS 8 to 2"),
    ("w/o vomiting b/c of fever", "without vomiting because of fever"),
    ("completed 2/5 planned activities", "completed 2 of 5 planned activities"),
    ("HW: BA log", "homework: behavioral activation log"),
])
def test_shorthand_is_spelled_out(shorthand, clinical_wording):
    assert expand_shorthand(shorthand) == clinical_wording


def test_first_person_becomes_the_clinician():
    assert clinical("I used CBT and we practiced breathing with me") == \
        "Clinician used CBT and clinician and client practiced breathing with the clinician"


@pytest.mark.parametrize("typed, written", [
    ("i think he's close to done", "Clinician thinks he's close to done"),     # dictated in lower case
    ("i used cbt and i'm hopeful", "Clinician used cbt and the clinician is hopeful"),
    ("started CBT-I diary", "started CBT-I diary"),                            # the I of a name, never a person
    ("bipolar i disorder, stable", "bipolar i disorder, stable"),              # a numeral
])
def test_a_lower_case_i_is_the_clinician_only_where_it_is_a_pronoun(typed, written):
    assert clinical(typed) == written


def test_a_sentence_after_a_full_stop_opens_with_a_capital():
    assert clinical("active thoughts no. we went through her plan") == \
        "active thoughts no. Clinician and client went through her plan"


def test_quotations_are_kept_verbatim():
    assert clinical("pt said 'I w/ my mom ~2x'") == "client said 'I w/ my mom ~2x'"


def test_acronyms_that_are_words_only_expand_in_capitals():
    assert expand_shorthand("has no history") == "has no history"
    assert expand_shorthand("tension HAs daily") == "tension headaches daily"


def test_spelled_out_numbers_stay_the_numbers_given():
    for text in ["~1,200h/night", "x2.5 days", "x10:00", "rated 7/10 -> 5/10", "2x/wk", "32F"]:
        assert number_values(expand_shorthand(text), words=False) <= number_values(text)
