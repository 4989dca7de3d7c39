"""The goals and objectives a session's key points speak to are proposed (never ticked): an objective whose measure
was scored, a statement holding more than half of a goal's or objective's words; nothing from a word that says nothing, a
total that is not this session's, or words spread over several statements."""
import pytest

from afternote import plans
from afternote.drafting.goal_proposals import propose

PLAN = plans.parse({"problems": [{"text": "Anxiety at work", "goals": [
    {"id": "anxiety", "text": "Reduce anxiety at work", "client_words": "stop dreading Mondays",
     "objectives": [{"id": "gad", "text": "GAD-7 below 10", "measure": "GAD-7"}]},
    {"id": "sleep", "text": "Sleep at least 7 hours a night",
     "objectives": [{"id": "log", "text": "Sleep log shows 7 hours on 5 nights a week", "measure": "sleep log"}]},
    {"id": "mood", "text": "Fewer depressive episodes",
     "objectives": [{"id": "phq", "text": "PHQ-9 under 10 by summer"}]},
]}]})


@pytest.mark.parametrize("key_points, proposed", [
    ("GAD-7 12 today. Plan: f/u 1wk.", {"gad", "anxiety"}),  # the objective's measure was scored
    ("Pt reports anxiety 7/10 at work since new manager.", {"anxiety"}),  # the goal's words, in one statement
    ("Client said she wants to stop dreading Mondays.", {"anxiety"}),  # the client's own words
    ("Pt c/o poor sleep, ~5h.", {"sleep", "log"}),  # "sleep": the one telling word of each ("log" is short)
    ("Reviewed the sleep log: 6 hours most nights.", {"sleep", "log"}),
    ("PHQ-9 14.", {"phq", "mood"}),  # the objective's words name its measure
    ("PHQ-9 31.", set()),  # not a total the PHQ-9 can give
    ("Last GAD-7 was 15. Discussed weekend plans.", set()),  # an earlier total, not this session's
    ("Reports feeling more relaxed. Discussed a new job.", set()),  # "work" is not there, "more" says nothing
    ("Anxiety about the move. At work, a new manager.", set()),  # "anxiety" and "work" in two statements
    ("", set()),
])
def test_the_key_points_propose_what_they_speak_to(key_points, proposed):
    assert set(propose(key_points, PLAN)) == proposed


def test_each_proposal_says_why():
    found = propose("GAD-7 12. Pt reports anxiety at work.", PLAN)
    assert found["gad"].reason == "GAD-7 was scored in the key points"
    assert found["anxiety"].reason == "the key points mention “anxiety”, “work”"
    assert propose("PHQ-9 14.", PLAN)["mood"].reason == "an objective of it: PHQ-9 was scored in the key points"
