"""Reading statements: the content category, and risk with its polarity, never flipped."""
import pytest

from afternote.reading.reader import read_statements
from afternote.reading.risk import read_risks


def category_of(summary: str) -> list[str]:
    return [s.category for s in read_statements(summary)]


@pytest.mark.parametrize("summary, category", [
    ("c/o low motivation", "presenting"),
    ("Appeared tense and fidgety", "observation"),
    ("PHQ-9 16", "measure"),
    ("SI/HI neg", "risk"),
    ("safety plan reviewed and updated", "safety"),
    ("I used cognitive restructuring", "intervention"),
    ("pt engaged and receptive", "response"),
    ("My impression: minimal progress on current goals", "assessment"),
    ("next session in 1 week", "plan"),
    ("pt 32F, referred by PCP", "context"),
])
def test_each_kind_of_key_point_gets_its_category(summary, category):
    assert category_of(summary)[0] == category


def test_a_medication_the_client_takes_is_context_wherever_it_stands_and_a_change_to_it_is_not():
    assert category_of("agreed to walk daily, on sertraline 100 mg, next appt 2 wks") == ["plan", "context", "plan"]
    assert "context" not in category_of("agreed to walk daily, on sertraline 100 mg until the psychiatrist changes it")


def test_a_typed_heading_outweighs_weak_cues():
    assert category_of("Plan: daily walks") == ["plan"]


def test_list_items_without_cues_follow_their_sentence():
    assert category_of("Appeared tense, fidgeting, affect congruent") == ["observation"] * 3


def test_risk_content_stays_risk_even_inside_an_intervention_sentence():
    assert "risk" in category_of("I assessed directly: he denied any plan or intent to harm R.")


def test_what_the_client_said_after_an_intervention_is_their_response():
    assert category_of("I taught box breathing. She said she felt 'lighter'.") == ["intervention", "response"]


@pytest.mark.parametrize("text, expected", [
    ("SI/HI neg", {("suicidal", "denied"), ("homicidal", "denied")}),
    ("denies SI/HI", {("suicidal", "denied"), ("homicidal", "denied")}),
    ("endorses passive SI", {("suicidal", "passive")}),
    ("+SI with plan", {("suicidal", "endorsed")}),
    ("hx of cutting, last 6 wks ago", {("self_harm", "history")}),
    ("reports AVH", {("psychosis", "endorsed")}),
    ("denies cmd AH", {("psychosis", "denied")}),                 # a denial reaches across "command"
    ("DIARY CARD: URGES SH 3/5 WED AND THU", {("self_harm", "endorsed")}),  # in capitals, beside "urges"
])
def test_risk_polarity_is_read_as_written(text, expected):
    assert {(r.kind, r.polarity) for r in read_risks(text)} == expected


def test_statement_attributes_are_read():
    statement = read_statements("pt rated anxiety 7/10, said 'I will be fired'")[0]
    assert statement.numbers == ("7", "10")
    assert read_statements("I taught box breathing")[0].actor == "clinician"
    assert read_statements("no dissociation noted")[0].negated


@pytest.mark.parametrize("summary, field, value", [
    ("mom reports tantrums daily", "actor", "other"),
    ("mom reports tantrums daily", "role", "mother"),
    ("some conflict w/ wife over chores", "role", None),   # the wife is who the conflict is with, not a speaker
    ("nurse checked arm, superficial", "role", "nurse"),
    ("I taught PMR", "actor", "clinician"),
    ("we built a safety plan", "actor", "both"),
    ("f/u 1 wk", "time", "planned"),
    ("PHQ-9 16", "actor", None),
    ("EMDR session 4, target: the accident", "category", "intervention"),
    ("Assigned a thought record for the week", "category", "plan"),
    ("Goal 2 (reduce panic attacks): 3 attacks this week", "category", "goal"),
])
def test_each_field_of_the_reading(summary, field, value):
    assert getattr(read_statements(summary)[0], field) == value


@pytest.mark.parametrize("summary", [
    "<script>alert('x')</script> pt c/o low mood",
    "PT REPORTS FEELING HOPELESS, DENIES SI/HI, AGREED TO SAFETY PLAN",
    "😢 tearful 😢; slept 3h",
    "x" * 3000,
    "a, " * 400,
    "SI SI SI SI / / / - - - ; ; ;",
])
def test_hostile_key_points_are_read_without_failing(summary):
    statements = read_statements(summary)
    assert statements
    for statement in statements:
        assert summary[statement.start:statement.end] == statement.text
        assert statement.category and 0.0 <= statement.confidence <= 1.0


def test_risk_content_is_never_read_below_risk():
    for summary in ("PT REPORTS FEELING HOPELESS, DENIES SI/HI", "Plan: passive SI discussed, no plan"):
        for statement in read_statements(summary):
            if statement.risks:
                assert statement.category in ("risk", "safety")


def test_the_session_modality_is_given_or_read_from_the_key_points():
    from afternote.reading.modality import modality_of
    assert modality_of("Couples session 3, both partners present") == "couples"
    assert modality_of("IOP group, 7 members") == "group"
    assert modality_of("pt c/o low mood") == "individual"
    assert modality_of("pt c/o low mood", given="family") == "family"


@pytest.mark.parametrize("summary, modality", [
    ("Process group, wk 9 of 16, 7 of 8 members present", "group"),
    ("DBT skills group wk 4: distress tolerance", "group"),
    ("Attendance: 5/6 members, one late", "group"),
    ("co-leader out sick today", "group"),
    # a group only mentioned is not the session's modality
    ("Session 3. A co-worker died; she found out by group text and went to work anyway.", "individual"),
    ("pt attends a support group on Tuesdays, mood better", "individual"),
])
def test_a_group_session_is_read_from_how_the_session_is_named_not_any_mention_of_a_group(summary, modality):
    from afternote.reading.modality import modality_of
    assert modality_of(summary) == modality


def test_in_a_group_note_the_rest_of_a_members_sentence_is_about_that_member():
    statements = read_statements("DBT skills group, 6 members present\n"
                                 "- one member disclosed SH urges last wk, used her urge log, denies current SI")
    denial = next(s for s in statements if "denies" in s.text)
    assert (denial.actor, denial.role) == ("other", "another group member")


def test_another_person_the_clause_does_not_name_is_the_one_its_sentence_named():
    said = read_statements('mom worried about his grades, said she is "at the end of her rope"')[1]
    assert (said.actor, said.role) == ("other", "mother")
    # the client typed as the subject ends it: the rest of the line is the client's again
    denial = read_statements("Dad reports pt up until 3am; pt denies, says he sleeps fine")[1]
    assert (denial.actor, denial.role) == ("client", None)


def test_a_whole_group_note_names_no_one_as_the_client():
    statements = read_statements("Process group wk 6, 5 of 6 members present\n"
                                 "- quiet at first, then shared her fear of the holidays\n- I reflected the theme of loss")
    assert "client" not in {s.actor for s in statements}


def test_a_group_note_about_an_identified_client_keeps_the_client():
    statements = read_statements("IOP group, 7 members\n- pt shared relapse on Sat, tearful\n- pt denies SI")
    assert any(s.actor == "client" and "denies" in s.text for s in statements)


@pytest.mark.parametrize("summary, modality", [
    ("J + M, s8, Gottman. J wore the pulse ox at home", "couples"),
    ("Kim & Lou, s6, sex therapy for desire discrepancy", "couples"),
    ("A/B (together 9 yrs). A wants to open the relationship", "couples"),
    ("session 9 with Greg and Tanya, they decided on a trial separation", "couples"),
    ("Premarital session 3, wedding in October", "couples"),
    ("Joint session after the stillbirth, both tearful", "couples"),
    # shorthand and role words are not two partners
    ("A/P: continue CBT, f/u 2 wks", "individual"),
    ("SUICIDE WATCH F/U - cell 12, I/M calm", "individual"),
    ("Pt + mom attended; pt reports better sleep", "individual"),
    ("S/O attended the first 10 min", "individual"),
])
def test_a_couples_session_is_read_from_the_two_partners_named_up_front(summary, modality):
    from afternote.reading.modality import modality_of
    assert modality_of(summary) == modality


def test_in_a_couples_session_with_no_identified_client_each_partner_is_another_person():
    statements = read_statements("Couples s2. Said she felt unheard; tearful.", modality="couples")
    assert {s.actor for s in statements if s.actor} <= {"other", "clinician", "both"}
    assert any(s.role == "partner" for s in statements)


@pytest.mark.parametrize("text, actor", [
    ("Used a cane.", "client"),                                  # the client's aid, whatever the model guessed
    ("Used 2 coping steps from her plan.", "client"),
    ("Used Socratic questioning.", "clinician"),                 # a technique: the clinician's act
    ("Used CBT thought record.", "clinician"),
    ("Taught box breathing.", "clinician"),
])
def test_used_is_the_clinicians_act_only_with_a_technique(text, actor):
    from afternote.reading.guard import guard_actor
    assert guard_actor(text, "intervention", "client") == actor


@pytest.mark.parametrize("text, category, read, actor", [
    ("Tracked, reflected anger.", "response", "client", "clinician"),      # a play therapist's moves
    ("Set limit: the doll is not for hitting.", "presenting", "client", "clinician"),
    ("Reflected on her week at work.", "presenting", "client", "client"),  # the client's reflection
    ("Referred by PCP for panic attacks.", "context", "clinician", "client"),  # the client was referred
    ("referred for aggression at school", "context", "clinician", "client"),
    ("Referred her to the DBT group.", "plan", "clinician", "clinician"),  # the clinician referred
    ("c/o poor sleep", "presenting", "other", "client"),      # a complaint with no one typed is the client's
    ("NS last wk", "context", "other", "client"),             # so is a missed session
    ("mom c/o meltdowns", "presenting", "other", "other"),    # unless someone else is typed
])
def test_who_acts_follows_the_verb_the_clinician_typed(text, category, read, actor):
    from afternote.reading.guard import guard_actor
    assert guard_actor(text, category, read) == actor
