"""Risk findings: no invented risk screen, and risk that is present comes with safety planning."""
import pytest

import afternote
from afternote.reading.risk import read_risks

SESSION = {"duration_minutes": 53}


def codes(note):
    return [f.code for f in note.findings]


def finding(note, code):
    return next(f for f in note.findings if f.code == code)


def test_passive_si_without_safety_plan_is_an_error():
    note = afternote.draft(
        "pt reports passive SI since the layoff, 'wouldn't mind not waking up'. no plan or intent. "
        "used CBT, pt engaged.", format="soap", session=SESSION)
    error = finding(note, "risk-without-safety-plan")
    assert error.severity == "error"
    assert "suicidal ideation (passive)" in error.message.lower()
    assert error.section == "assessment"  # where the risk was written
    assert note.findings[0].severity == "error"  # errors come first


def test_passive_si_with_a_safety_plan_is_not_flagged():
    note = afternote.draft(
        "pt reports passive SI since the layoff, no plan or intent. Completed Stanley-Brown safety plan together, "
        "reviewed 988 crisis line. used CBT, pt engaged. Plan: f/u 1 wk.", format="soap", session=SESSION)
    assert "risk-without-safety-plan" not in codes(note)
    assert "risk-without-safety-statement" not in codes(note)


def test_current_risk_with_only_a_general_plan_is_a_warning():
    note = afternote.draft(
        "pt reports passive SI since the layoff. used CBT, pt engaged. Plan: thought record daily, f/u 1 wk.",
        format="dap", session=SESSION)
    assert "risk-without-safety-plan" not in codes(note)
    assert finding(note, "risk-without-safety-statement").severity == "warning"


def test_history_of_self_harm_without_any_plan_is_an_error():
    note = afternote.draft("Client has hx of cutting in high school. Used DBT skills coaching, client engaged.",
                           format="birp", session=SESSION)
    assert "self-harm (history)" in finding(note, "risk-without-safety-plan").message.lower()


def test_disclosed_abuse_without_a_report_or_safety_plan_is_an_error():
    note = afternote.draft("Client disclosed her partner grabbed her by the neck during an argument Saturday. "
                           "Validated, psychoeducation on warning signs.", format="dap", session=SESSION)
    assert finding(note, "risk-without-safety-plan").severity == "error"


def test_denied_si_hi_needs_no_safety_plan():
    note = afternote.draft("Client reports low mood; denies SI/HI. Used behavioral activation; client engaged.",
                           format="soap", session=SESSION)
    assert "risk-without-safety-plan" not in codes(note)
    assert "no-risk-assessment" not in codes(note)


def test_no_risk_content_means_no_risk_sentence_and_a_finding():
    note = afternote.draft("Client reports stress about a move. Used problem-solving; client engaged, made a list. "
                           "Plan: next session in 2 weeks.", format="soap", session=SESSION)
    assert finding(note, "no-risk-assessment").severity == "warning"
    assert not any(read_risks(sentence.text) for section in note.sections for sentence in section.sentences)
    assert "risk-without-safety-plan" not in codes(note)


def test_si_hi_neg_shorthand_is_a_denial():
    note = afternote.draft("pt c/o low mood. SI/HI neg. used BA, pt engaged. HW: BA log.", format="soap",
                           session=SESSION)
    assert "risk-without-safety-statement" not in codes(note)
