"""Where the reader's model and its guard disagree, the guard keeps risk content and the clinician gets a look."""
import afternote

# a diary-card line reads like a score to the model; the risk rules keep it as risk content
SUMMARY = "Diary card: urges to self-harm 2/5 on Tuesday. Taught opposite action. f/u 1 wk."


def disagreements(note):
    return [f for f in note.findings if f.code == "reader-disagreement"]


def test_a_confident_model_overruled_by_the_risk_rules_gives_the_clinician_a_finding():
    note = afternote.draft(SUMMARY, format="soap")
    found = disagreements(note)
    assert len(found) == 1
    finding = found[0]
    assert finding.severity == "info" and finding.section == "assessment"
    assert "kept as risk content" in finding.message and "Sentence 1 of Assessment" in finding.message
    assert "self-harm" not in finding.message  # the guard's words, never the clinician's


def test_no_disagreement_no_finding():
    assert disagreements(afternote.draft("c/o low mood. Taught opposite action. f/u 1 wk.", format="soap")) == []
