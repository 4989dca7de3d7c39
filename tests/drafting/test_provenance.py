"""Verification: a sentence that says what its sources do not is flagged, never silently kept."""
from afternote.drafting.provenance import sentence_problems

SUMMARY = "pt denies SI/HI. PHQ-9 16. said 'I feel stuck'"


def problems(text: str, sources: list[str]) -> list[str]:
    return sentence_problems(text, sources, SUMMARY)


def test_a_faithful_sentence_has_no_problems():
    assert problems("Client denied suicidal and homicidal ideation.", ["pt denies SI/HI."]) == []


def test_an_invented_number_is_flagged():
    assert any("24" in p for p in problems("PHQ-9 score was 24.", ["PHQ-9 16."]))


def test_a_flipped_risk_polarity_is_flagged():
    assert problems("Client endorsed suicidal ideation.", ["pt denies SI/HI."])


def test_a_risk_statement_nobody_made_is_flagged():
    assert problems("Client denied suicidal ideation.", ["PHQ-9 16."])


def test_an_invented_quotation_is_flagged():
    assert problems("Client said \"I am fine.\"", ["said 'I feel stuck'"])


def test_a_dropped_negation_is_flagged():
    assert problems("Client endorsed homicidal ideation.", ["pt denies SI/HI."])


def test_an_invented_name_is_flagged():
    assert any("Sertraline" in p for p in problems("Client takes Sertraline.", ["PHQ-9 16."]))


def test_a_sentence_that_shares_nothing_with_its_sources_is_flagged():
    assert problems("Client reported low mood.", ["PHQ-9 16."]) == ["nothing in it is in the key points it cites"]


def test_a_dropped_hedge_is_flagged_but_a_hedge_kept_inside_its_quotation_is_not():
    assert problems("Client has ADHD.", ["? ADHD"]) == ["drops the uncertainty ('?', 'possible') that the key points express"]
    assert sentence_problems("Client said 'maybe less, not stop'.", ["MI: pt said 'maybe less, not stop'"],
                             "MI: pt said 'maybe less, not stop'") == []


def test_a_sentence_in_other_words_of_its_sources_is_not_flagged():
    # "show" typed untensed, spelled in the past; the engine's own frame words ("score") are never flagged
    assert sentence_problems("She showed the clinician.", ["she show me"], "she show me") == []
    assert sentence_problems("GDS score was 7.", ["GDS 7"], "GDS 7") == []
