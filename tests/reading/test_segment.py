"""Segmenting key points into statements: bullets, sentences, lists, headings; spans point back at the text."""
from afternote.reading.segment import segment


def texts(summary: str) -> list[str]:
    return [s.text for s in segment(summary)]


def test_every_statement_span_is_its_text():
    summary = "- pt c/o low mood; sleeping ~5h\n- Plan: thought record daily, f/u 1wk"
    for statement in segment(summary):
        assert summary[statement.start:statement.end] == statement.text


def test_bullets_and_sentences_become_statements():
    assert texts("- tearful\n* fidgeting\n1. Client engaged. Rated anxiety 7/10.") == [
        "tearful", "fidgeting", "Client engaged.", "Rated anxiety 7/10."]


def test_a_plan_list_is_three_statements_with_the_typed_heading():
    statements = segment("Plan: thought record daily, breathing 2x/day, next session 1 wk")
    assert [s.text for s in statements] == ["thought record daily", "breathing 2x/day", "next session 1 wk"]
    assert {s.heading for s in statements} == {"plan"}
    assert len({s.sentence for s in statements}) == 1


def test_a_heading_alone_on_its_line_covers_the_lines_below_until_a_blank_line():
    statements = segment("Interventions:\nCBT restructuring\nbox breathing\n\npt engaged")
    assert [s.heading for s in statements] == ["intervention", "intervention", None]


def test_quotes_and_parentheses_are_never_split():
    assert texts("said 'I will be fired, I know it.' Then calmer") == ["said 'I will be fired, I know it.'",
                                                                     "Then calmer"]
    assert texts("safety plan (distraction, ice, 988)") == ["safety plan (distraction, ice, 988)"]


def test_initials_and_decimals_do_not_end_a_sentence():
    assert texts("Met with M. and K. today. Lithium 0.8 in range.") == ["Met with M. and K. today.",
                                                                        "Lithium 0.8 in range."]


def test_a_semicolon_starts_a_new_clause_of_the_same_sentence():
    first, second = segment("gun was removed; son has it")
    assert first.sentence == second.sentence and first.clause != second.clause


def test_an_unknown_label_is_kept_as_text():
    assert texts("hotspot: seeing friend injured") == ["hotspot: seeing friend injured"]


def test_words_quoted_without_marks_and_a_question_before_its_answer_stay_one_clause():
    assert texts("he said I've lived long enough, I wouldn't mind going") == [
        "he said I've lived long enough, I wouldn't mind going"]
    assert texts("pt said I'm fine, I suggested a walk") == ["pt said I'm fine", "I suggested a walk"]
    assert texts("When I asked about SI, she denied") == ["When I asked about SI, she denied"]


def test_a_subject_after_since_or_said_belongs_to_its_clause_and_an_object_or_possessive_is_no_subject():
    run_on = "we talked it over for a long while at the end of the hour and we agreed there's no duty to warn since he denied any intent and he said he feels calmer"
    assert "we agreed there's no duty to warn since he denied any intent" in texts(run_on)
    assert "he said he feels calmer" in texts(run_on)
    assert texts("Will call ED SW and pt tmrw") == ["Will call ED SW and pt tmrw"]
    assert texts("Roommate removed the cord and client's razors") == ["Roommate removed the cord and client's razors"]


def test_a_hedged_impression_after_a_comma_goes_on_with_its_finding_and_a_run_on_keeps_the_clients_article():
    assert texts("testing found mild dementia, likely Alzheimer's; MoCA 20") == [
        "testing found mild dementia, likely Alzheimer's", "MoCA 20"]
    run_on = ("she has stopped answering the door today the client said she did say that and she meant she is "
              "tired and lonely most days")
    assert "the client said she did say that" in texts(run_on)


def test_a_wounds_status_stays_with_the_wound():
    assert texts("showed healing marks on L thigh, no signs of infection; mood low, no evidence of psychosis") == [
        "showed healing marks on L thigh, no signs of infection", "mood low", "no evidence of psychosis"]
