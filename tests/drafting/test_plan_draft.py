"""A plan proposed from intake key points: the clinician's goal clauses as goals (a quotation as the client's
words), planned interventions with the frequency and duration they state, the presenting concerns as the problem;
nothing invented, so what the key points did not give stays empty and the plan cannot be signed as proposed."""
from afternote import plans
from afternote.drafting.plan_draft import propose

INTAKE = ('Client (28F) presents with panic attacks 3x/week since job change; avoids driving. GAD-7 16. '
          'Goals: "I want to drive to work again"; reduce panic attacks to less than 1/week. Plan: weekly CBT with '
          'interoceptive exposure for 12 weeks; breathing practice daily; f/u 1wk.')


def test_goals_come_from_goal_clauses_in_the_clinicians_and_the_clients_words():
    [problem] = propose(INTAKE)["problems"]
    assert [(g["text"], g["client_words"]) for g in problem["goals"]] == [
        ("", "I want to drive to work again"), ("reduce panic attacks to less than 1/week", "")]
    assert problem["text"].startswith("Client (28F) presents with panic attacks 3x/week")


def test_planned_interventions_keep_the_frequency_and_duration_they_state_and_no_follow_up():
    [problem] = propose(INTAKE)["problems"]
    assert problem["interventions"] == [
        {"modality": "CBT with interoceptive exposure", "frequency": "weekly", "duration": "12 weeks"},
        {"modality": "breathing practice", "frequency": "daily", "duration": ""}]


def test_nothing_is_invented_so_the_proposal_is_incomplete_until_filled():
    document = plans.parse(propose(INTAKE))
    assert all(not g.objectives for g in document.goals())
    assert document.start_date is None and document.agreement == ""
    missing = plans.missing(document)
    assert "the start date (when the plan was established)" in missing
    assert "problem 1, goal 1: a measurable objective" in missing
    assert "the client's agreement (verbal or signed) and its date" in missing


def test_key_points_without_goals_or_plans_propose_an_empty_plan():
    assert propose("Client tearful, spoke slowly.")["problems"] == []
    assert propose("   ")["problems"] == []
