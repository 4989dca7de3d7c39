"""A total its instrument cannot give is a finding that names the instrument and its range, never the client nor
the number; a possible total, a pending screen or an earlier total is none."""
import pytest

import afternote
from afternote import plugins
from afternote.drafting.pipeline import findings_for

SESSION = {"duration_minutes": 53}
REST = " Client Jordan Avery reports low mood. Used CBT, client engaged. SI/HI neg. Plan: f/u 1wk."


def out_of_range(note):
    return [f for f in note.findings if f.code == "measure-out-of-range"]


@pytest.mark.parametrize("typed, range_text", [
    ("PHQ-9 31.", "0-27 in whole numbers"), ("GAD-7 = 14.5.", "0-21 in whole numbers"),
    ("PHQ-9 14/21.", "0-27 in whole numbers"), ("ORS 41.", "0-40 in steps of 0.1"), ("K10 6.", "10-50"),
])
def test_a_total_outside_its_range_is_a_warning_naming_the_instrument_and_range(typed, range_text):
    note = afternote.draft(typed + REST, format="soap", session=SESSION)
    (finding,) = out_of_range(note)
    assert finding.severity == "warning"
    name = typed.split(" ")[0]
    assert name in finding.message and range_text in finding.message
    assert "Jordan" not in finding.message + finding.hint and typed.split(" ")[-1].rstrip(".") not in finding.message
    # the section the measure was written in
    assert finding.section == next(sec.key for sec in note.sections
                                   if any(start == 0 for sen in sec.sentences for start, _ in sen.sources))


@pytest.mark.parametrize("typed", ["PHQ-9 27.", "PHQ-9 0.", "GAD-7 12 (down from 35).", "PHQ-9 pending.",
                                   "SUDS 70.", "SUDS 7/10.", "ORS 24.9.", "XYZ-9 300."])
def test_a_possible_or_absent_total_is_no_finding(typed):
    assert out_of_range(afternote.draft(typed + REST, format="soap", session=SESSION)) == []


def test_each_impossible_total_is_its_own_finding():
    note = afternote.draft("PHQ-9 31, GAD-7 22." + REST, format="dap", session=SESSION)
    assert ["PHQ-9" in f.message for f in out_of_range(note)] == [True, False]


def test_the_finding_follows_the_saved_key_points():
    note = afternote.draft("PHQ-9 31." + REST, format="soap", session=SESSION)
    content = note.to_dict()
    content["key_points"] = "PHQ-9 31." + REST
    assert [f.code for f in findings_for(content, SESSION) if f.code == "measure-out-of-range"] == [
        "measure-out-of-range"]
    content["key_points"] = "PHQ-9 13." + REST
    assert [f.code for f in findings_for(content, SESSION) if f.code == "measure-out-of-range"] == []


def test_the_check_is_registered_through_the_plugin_hook():
    assert "totals_out_of_range" in {check.__name__ for check in plugins.checks()}
