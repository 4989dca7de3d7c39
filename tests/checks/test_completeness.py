"""Completeness findings: empty sections and the elements auditors look for, never filled with assumed content."""
import afternote

SESSION = {"duration_minutes": 45}
FULL = ("Client reports dreading the drive to work. Goal 2 (reduce panic attacks): client had 3 panic attacks "
        "this week, down from 6; denies SI/HI. "
        "Appeared tense, fidgeting. Used interoceptive exposure: spinning in chair, breathing through a straw. "
        "Client tolerated exposures, SUDS dropped from 70 to 35. Plan: daily exposure practice, next session in "
        "1 week.")


def codes(note):
    return [f.code for f in note.findings]


def test_complete_key_points_raise_no_completeness_findings():
    note = afternote.draft(FULL, format="soap", session=SESSION)
    assert not {"empty-section", "no-interventions", "no-client-response", "no-plan",
                "no-treatment-goal", "no-risk-assessment"} & set(codes(note))


def test_each_empty_section_gets_one_warning_naming_it():
    note = afternote.draft("Client reports worry about her mother's surgery next week; sleeping poorly.",
                           format="soap", session=SESSION)
    empty = [s.key for s in note.sections if s.is_empty]
    assert empty  # objective, assessment, plan
    for key in empty:
        about = [f for f in note.findings if f.section == key and f.code in ("empty-section", "no-plan")]
        assert len(about) == 1 and about[0].severity == "warning" and about[0].hint


def test_empty_section_hint_names_what_belongs_there():
    note = afternote.draft("Client reports worry about her mother's surgery next week; sleeping poorly. "
                           "Client said talking helped; denies SI/HI. Plan: f/u 1 wk.", format="soap",
                           session=SESSION)
    objective = next(f for f in note.findings if f.section == "objective")
    assert objective.code == "empty-section"
    assert "Objective" in objective.message and "observed" in objective.hint


def test_interventions_not_named_is_a_warning():
    note = afternote.draft("Client reports fewer arguments with her son; denies SI/HI. Client engaged. "
                           "Plan: next session in 2 weeks.", format="dap", session=SESSION)
    finding = next(f for f in note.findings if f.code == "no-interventions")
    assert finding.severity == "warning" and "intervention" in finding.hint.lower()


def test_birp_without_interventions_reports_the_intervention_section_once():
    note = afternote.draft("Client reports fewer arguments with her son; denies SI/HI. Client engaged. "
                           "Plan: next session in 2 weeks.", format="birp", session=SESSION)
    about = [f for f in note.findings if f.section == "intervention"]
    assert [f.code for f in about] == ["no-interventions"]


def test_no_response_and_no_plan_are_warnings_and_no_goal_is_info():
    note = afternote.draft("Client reports low mood after a breakup; denies SI/HI. Used behavioral activation.",
                           format="soap", session=SESSION)
    severity = {f.code: f.severity for f in note.findings}
    assert severity["no-client-response"] == "warning"
    assert severity["no-plan"] == "warning"
    assert severity["no-treatment-goal"] == "info"


def test_missing_goal_standing_in_for_an_empty_goal_section_is_a_warning(tmp_path):
    (tmp_path / "goals.toml").write_text(GOAL_FORMAT)
    note = afternote.draft("Client reports low mood; denies SI/HI. Used behavioral activation; client engaged. "
                           "Plan: f/u 1 wk.", format="goals", session=SESSION, formats_dir=tmp_path)
    goal = [f for f in note.findings if f.section == "goal"]
    assert [(f.code, f.severity) for f in goal] == [("no-treatment-goal", "warning")]


GOAL_FORMAT = """
key = "goals"
name = "Goal-first"
description = "A practice's own format that opens with the treatment-plan goal."

[[sections]]
key = "goal"
title = "Goal"
guidance = "The treatment-plan goal addressed."
categories = ["goal"]
empty = "No goal was documented."

[[sections]]
key = "session"
title = "Session"
guidance = "Everything else."
categories = ["context", "presenting", "observation", "measure", "risk", "safety", "intervention", "response",
              "assessment", "plan"]
empty = "Nothing was documented."
"""


def test_findings_never_quote_the_key_points():
    summary = ("Marguerite reports she 'cannot face Mondays'; sleeping ~4h/night; passive SI since the divorce. "
               "Pt engaged.")
    note = afternote.draft(summary, format="birp", session={"duration_minutes": 14})
    text = " ".join(f.message + " " + f.hint for f in note.findings).lower()
    for words in ("marguerite", "mondays", "divorce", "4h", "sleeping"):
        assert words not in text
