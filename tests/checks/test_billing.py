"""CPT code suggestions and session time: the table in checks/data/cpt.toml, through the drafting pipeline."""
import pytest

import afternote
from afternote.checks.billing import suggest_cpt

KEY_POINTS = ("Client reports increased anxiety at work after new manager; denies SI/HI. Used CBT: cognitive "
              "restructuring, taught box breathing. Client engaged, generated a balanced thought. "
              "Plan: thought record daily, next session in 1 week.")


def finding(note, code):
    found = [f for f in note.findings if f.code == code]
    return found[0] if found else None


def test_53_minutes_suggests_90837():
    note = afternote.draft(KEY_POINTS, format="soap", session={"duration_minutes": 53})
    suggested = finding(note, "cpt-suggested")
    assert suggested.severity == "info"
    assert "90837" in suggested.message and "53 minutes" in suggested.message
    assert finding(note, "session-time-missing") is None


def test_start_and_end_times_count_as_minutes():
    note = afternote.draft(KEY_POINTS, format="dap", session={"start": "10:00", "end": "10:45"})
    assert "90834" in finding(note, "cpt-suggested").message


def test_15_minutes_is_not_billable():
    note = afternote.draft(KEY_POINTS, format="soap", session={"duration_minutes": 15})
    not_billable = finding(note, "not-billable")
    assert not_billable.severity == "warning"
    assert "15 minutes" in not_billable.message and "16 minutes" in not_billable.message
    assert finding(note, "cpt-suggested") is None


def test_no_minutes_means_time_missing_and_no_code():
    note = afternote.draft(KEY_POINTS, format="soap")
    assert finding(note, "session-time-missing").severity == "warning"
    assert finding(note, "cpt-suggested") is None
    assert finding(note, "not-billable") is None


def test_minutes_typed_in_the_key_points_do_not_replace_the_session_time():
    note = afternote.draft(KEY_POINTS + " Session was 50 min.", format="soap")
    assert finding(note, "session-time-missing") is not None


def test_video_telehealth_adds_modifier_95():
    note = afternote.draft(KEY_POINTS, format="soap", session={"duration_minutes": 45, "telehealth": "video"})
    assert "90834-95" in finding(note, "cpt-suggested").message


def test_audio_only_telehealth_adds_modifier_93():
    note = afternote.draft(KEY_POINTS, format="soap", session={"duration_minutes": 60, "telehealth": "audio"})
    assert "90837-93" in finding(note, "cpt-suggested").message


def test_couples_modality_suggests_90847_unless_the_client_was_absent():
    couples = ("Couples session, Gottman method. Both partners described the recurring fight about chores; "
               "practiced soft start-up. Both engaged. Plan: one daily check-in, next session in 1 week.")
    with_client = afternote.draft(couples, format="birp", session={"duration_minutes": 50, "modality": "couples"})
    without = afternote.draft(couples, format="birp", session={"duration_minutes": 50, "modality": "couples",
                                                                "client_present": False})
    assert "90847" in finding(with_client, "cpt-suggested").message
    assert "90846" in finding(without, "cpt-suggested").message


def test_group_and_intake_codes_do_not_depend_on_minutes():
    group = afternote.draft(KEY_POINTS, format="dap", session={"modality": "group"})
    intake = afternote.draft(KEY_POINTS, format="dap", session={"service": "intake"})
    assert "90853" in finding(group, "cpt-suggested").message
    assert "90791" in finding(intake, "cpt-suggested").message
    # The time is still an audit requirement.
    assert finding(group, "session-time-missing") is not None


def test_service_wins_over_modality():
    note = afternote.draft(KEY_POINTS, format="soap", session={"duration_minutes": 60, "service": "crisis",
                                                                "modality": "individual"})
    assert "90839" in finding(note, "cpt-suggested").message


@pytest.mark.parametrize("minutes, codes", [
    (15, ()), (16, ("90832",)), (37, ("90832",)), (38, ("90834",)), (52, ("90834",)), (53, ("90837",)),
    (120, ("90837",)),
])
def test_psychotherapy_boundaries(minutes, codes):
    assert suggest_cpt("psychotherapy", minutes).codes == codes


@pytest.mark.parametrize("minutes, codes", [
    (15, ()), (29, ("90832",)), (30, ("90839",)), (74, ("90839",)), (75, ("90839", "90840")),
    (104, ("90839", "90840")), (105, ("90839", "90840", "90840")), (134, ("90839", "90840", "90840")),
    (135, ("90839", "90840", "90840", "90840")),
])
def test_crisis_boundaries(minutes, codes):
    assert suggest_cpt("crisis", minutes).codes == codes


@pytest.mark.parametrize("service", ["family", "couples"])
@pytest.mark.parametrize("client_present, code", [(None, "90847"), (True, "90847"), (False, "90846")])
def test_family_boundaries(service, client_present, code):
    assert suggest_cpt(service, 25, client_present).codes == ()
    assert suggest_cpt(service, 25, client_present).least_minutes == 26
    assert suggest_cpt(service, 26, client_present).codes == (code,)


def test_unknown_minutes_of_timed_service_needs_minutes():
    suggestion = suggest_cpt("psychotherapy", None)
    assert suggestion.needs_minutes and not suggestion.billable


def test_add_on_codes_carry_the_modifier_too():
    assert suggest_cpt("crisis", 110, telehealth="video").describe() == "90839-95 + 90840-95 x2"
    assert suggest_cpt("group", None, telehealth="audio").describe() == "90853-93"
