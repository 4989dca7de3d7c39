"""The goal line from linked plan goals: quoted as the plan says it, marked as from the plan (no key-point
sources), placed in GIRP's Goal or the section that holds goals, never over the clinician's own text."""
import afternote
from afternote.drafting import plan_goals
from afternote.formats import get_format

LINKS = {"plan_id": "p", "plan_version": 1, "goals": [
    {"id": "g1", "text": 'Reduce anxiety at work (in the client\'s words: "stop dreading Mondays")', "objectives": [
        {"id": "o1", "text": "GAD-7 below 10", "target": "below 10", "measure": "GAD-7",
         "progress": "GAD-7 down from 16 to 12."}]}]}
KEY_POINTS = "Used CBT: cognitive restructuring. Client engaged. Plan: thought record daily."


def content(fmt: str) -> dict:
    return afternote.draft(KEY_POINTS, fmt).to_dict()


def test_girps_goal_section_quotes_the_linked_goal_and_progress_from_the_plan():
    note = content("girp")
    note["plan_links"] = LINKS
    plan_goals.place(note, get_format("girp"))
    goal = next(s for s in note["sections"] if s["key"] == "goal")
    assert goal["text"].startswith('Treatment-plan goal addressed: Reduce anxiety at work (in the client\'s words: '
                                   '"stop dreading Mondays").')
    assert "Objective: GAD-7 below 10 (target: below 10); progress: GAD-7 down from 16 to 12." in goal["text"]
    assert not goal["empty"] and all(s["from_plan"] and s["sources"] == [] for s in goal["sentences"])


def test_formats_without_a_goal_section_put_the_line_where_goals_go():
    assert plan_goals.goal_section(get_format("soap")) == "assessment"
    assert plan_goals.goal_section(get_format("birp")) == "behavior"
    note = content("soap")
    note["plan_links"] = LINKS
    plan_goals.place(note, get_format("soap"))
    assessment = next(s for s in note["sections"] if s["key"] == "assessment")
    assert assessment["sentences"][0]["text"].startswith("Treatment-plan goal addressed: Reduce anxiety")


def test_placing_again_replaces_and_unlinking_says_the_section_is_empty_again():
    note = content("girp")
    empty_text = next(s for s in note["sections"] if s["key"] == "goal")["text"]
    note["plan_links"] = LINKS
    plan_goals.place(note, get_format("girp"))
    plan_goals.place(note, get_format("girp"))
    goal = next(s for s in note["sections"] if s["key"] == "goal")
    assert sum(s["text"].startswith("Treatment-plan goal") for s in goal["sentences"]) == 1
    note["plan_links"] = {}
    plan_goals.place(note, get_format("girp"))
    assert goal["empty"] and goal["text"] == empty_text and goal["sentences"] == []


def test_a_section_edited_by_hand_is_left_as_written():
    note = content("girp")
    goal = next(s for s in note["sections"] if s["key"] == "goal")
    goal.update(text="My own words.", sentences=[], edited=True)
    note["plan_links"] = LINKS
    plan_goals.place(note, get_format("girp"))
    assert goal["text"] == "My own words."


def test_the_goal_finding_follows_the_plan():
    findings = [{"code": "no-treatment-goal", "severity": "info", "message": "No treatment-plan goal was named.",
                 "hint": "Name it."}, {"code": "no-plan", "severity": "warning", "message": "m", "hint": "h"}]
    assert [f["code"] for f in plan_goals.plan_findings(findings, has_plan=False, linked=False)] == ["no-plan"]
    assert [f["code"] for f in plan_goals.plan_findings(findings, has_plan=True, linked=True)] == ["no-plan"]
    kept = plan_goals.plan_findings(findings, has_plan=True, linked=False)
    assert kept[0]["code"] == "no-treatment-goal" and "Tick the treatment-plan goals" in kept[0]["hint"]
