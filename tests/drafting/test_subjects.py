"""Who did it: every sentence's subject comes from the reading's actor, never invented."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import afternote
from afternote.drafting.provenance import actor_problem


def sentences(summary: str, format: str = "soap") -> list[str]:
    note = afternote.draft(summary, format=format)
    return [s.text for section in note.sections for s in section.sentences]


def sentence_with(summary: str, words: str, format: str = "soap") -> str:
    return next(s for s in sentences(summary, format) if words in s.lower())


@pytest.mark.parametrize("summary, words, start", [
    ("c/o low mood most days", "low mood", "Client reported low mood"),                    # the client
    ("taught box breathing", "box breathing", "Clinician taught box breathing"),           # the clinician
    ("I used cognitive restructuring", "restructuring", "Clinician used"),
    ("Observed pt restless", "restless", "Clinician observed client restless"),
    ("we built a safety plan together", "safety plan", "Clinician and client built"),       # both
    ("mom reports tantrums daily", "tantrums", "Mom reported tantrums"),                   # another person
    ("per teacher, off task most mornings", "off task", "Teacher reported off task"),
    ("another member shared a relapse", "relapse", "Another member shared"),               # a group member
    ("referred by PCP", "referred", "Client was referred by primary care provider"),
    ("referred for aggression at school", "aggression", "Client was referred for aggression"),  # risk content too
    ("c/o poor sleep; on sertraline 100 mg", "sertraline", "Client is on sertraline 100 mg"),
    ("pt 45M, on lithium 900 mg", "lithium", "Client is on lithium 900 mg"),                # a sentence of its own
    ("pt 45M, on lithium 900 mg", "45-year-old", "Client is a 45-year-old male"),          # not a fragment
    ("pt 45M, divorced, c/o stress", "divorced", "Client is a 45-year-old male, divorced"),
    ("pt 32F c/o panic", "panic", "Client, a 32-year-old female, reported panic"),         # has its own verb
    ("pt 32F, referred by PCP", "referred", "Client is a 32-year-old female, referred by"),
    ("NS for 10am appt", "no-show", "Client was a no-show for 10am appointment"),
    ("NS, 3rd in a row", "no-show", "Client was a no-show, 3rd in a row"),                  # no space before a comma
    ("third session of CBT-I", "third", "Third session of CBT-I"),                         # not "Client thirded"
    ("I consulted my supervisor; we agreed no duty to warn", "agreed", "Clinician and supervisor agreed"),
    ("one member disclosed a relapse", "relapse", "One member disclosed"),                 # typed, with "one"
    ("sister bring him in today", "brought", "Sister brought him"),                    # typed, verb untensed
    ("per pt, her labs last wk were normal", "labs", "Client reported her labs"),          # "per client," leads
    ("asked about SI, denies", "asked", "Client was asked about suicidal ideation"),      # the one asked
    ("Per officer, I/M refused breakfast tray x2", "breakfast", "Officer reported"),      # the typed source
    ("per victim advocate, she moved to her sister's", "moved", "Victim advocate reported"),
    ("LVM for pt re: missed appt", "voicemail", "Clinician left a voicemail"),           # outreach: the clinician's
    ("Shortened session to 25 min", "shortened", "Clinician shortened session"),
    ("Tracked, reflected anger", "reflected", "Clinician tracked"),                     # a play therapist's moves
    ("pt told about report in kid terms", "report", "Client was told about report"),   # the one told
    ("pt given 988 card", "988", "Client was given 988 card"),
    ("pt told mom about the fight", "fight", "Client told mom"),                         # the client's own act
    ("pt informed me of the move", "move", "Client informed"),
    ("transported to the ED by crisis team", "transported", "Client was transported"),  # done to the client
    ("transported to ED for eval", "transported", "Client was transported"),
    ("some conflict w/ wife over chores", "conflict", "Client reported some conflict with wife"),  # wife: the object
    ("teacher separated them, told principal", "separated", "Teacher separated them"),  # typed, in the past
    ("J + M, s4. B reported feeling 'on trial'", "trial", "B reported feeling"),       # an initial is a subject
    ("grace asked what to do if he won't get up", "what to do", "Grace asked"),         # so is a name
    ("when asked directly, denied plan", "plan", "When asked directly, client denied"),  # "when" is no name
    ("Unscheduled phone call 12 min", "phone call", "Unscheduled phone call"),          # an adjective, no act
    ("Group wk 3, 6 members. one member left early, redirected by co-leader", "redirected",
     "Another group member was redirected"),
    # the client's own words typed without quotation marks keep the client's "I"
    ("When I asked about SI he said I've lived long enough, I wouldn't mind going", "mind going",
     'When the clinician asked about suicidal ideation he said "I\'ve lived long enough, I wouldn\'t mind going"'),
    ("pt said I just want it to stop, I suggested a walk", "stop", 'Client said "I just want it to stop"'),
    ("pt said I just want it to stop, I suggested a walk", "walk", "Clinician suggested a walk"),
    ("mom said I could call the school", "school", "Mom said the clinician could call"),  # here "I" is the clinician
    ("When I asked about SI, she denied", "denied", "When the clinician asked about suicidal ideation, she denied"),
    ("when asked re SI said 'some days I don't care'", "care", "When asked regarding suicidal ideation, client said"),
    ("Valentina (30, MDD) says the thoughts are back", "thoughts", "Valentina (30, MDD) says"),  # a name leads
    ("We (me and interpreter) explain the exercise", "exercise", "Clinician and interpreter explained"),  # who "we" is
    ("abuela watches him after school", "school", "Abuela watches him"),    # a role in the family's language
    ("gma reports he sleeps well", "sleeps", "Grandma reported"),
    ("Today he reports 'I don't want to die'", "want to die", "Today he reported"),  # a lead-in before the subject
    ("Admitted after he told his wife he had a plan", "admitted", "Client was admitted after"),  # to a hospital
    ("Vet agreed the rifles stay w/ brother", "rifles", "Veteran agreed"),            # a VA note's client
])
def test_the_subject_is_who_the_key_points_say_acted(summary, words, start):
    assert sentence_with(summary, words).startswith(start)


@pytest.mark.parametrize("summary, words", [
    ("PHQ-9 16", "phq-9"),          # a score has no person as its subject
    ("f/u 1 wk", "1 week"),
    ("session 5 of 12", "session 5"),
])
def test_no_actor_means_no_invented_subject(summary, words):
    sentence = sentence_with(summary, words)
    assert not sentence.startswith(("Client", "Clinician"))


def test_a_report_from_a_source_the_reading_cannot_name_is_kept_as_typed_never_the_clients():
    sentence = sentence_with("Per the night crew, slept 6 hrs", "slept")
    assert not sentence.startswith("Client reported")


def test_a_clinician_never_reports_the_clients_content():
    for sentence in sentences("I think work stress continue, manager 'watch everything I do'. I ask about sleep."):
        assert not sentence.startswith("Clinician reported"), sentence


def test_in_a_couples_session_with_no_identified_client_nobody_is_the_client():
    summary = ("Couples session 4. A and B. Fight Thurs about money, tearful when describing it. "
               "Said she felt unheard. I had each summarize the other's position.")
    for sentence in sentences(summary):
        assert not sentence.startswith("Client"), sentence
    # the same key points with an identified client keep "Client"
    assert any(s.startswith("Client") for s in sentences(summary.replace("A and B", "pt and her partner")))


def test_the_clients_coping_is_the_clients():
    sentence = sentence_with("Urges to self-harm Sat, used ice and texted friend instead", "ice")
    assert not sentence.startswith("Clinician")


FRAGMENTS = st.sampled_from([
    "c/o poor sleep", "pt tearful", "I taught PMR", "we reviewed the safety plan", "mom reports meltdowns",
    "PHQ-9 12", "f/u 1 wk", "HW: thought record daily", "used ice and texted friend", "denies SI/HI",
    "pt engaged, able to name 2 distortions", "psychoed on sleep hygiene", "dad says homework is a fight",
    "referred by PCP", "NS last wk", "risk low", "I think pt is progressing", "partner present, supportive",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=6, unique=True), st.sampled_from(["soap", "birp", "dap"]))
def test_no_sentence_names_an_actor_its_sources_do_not(fragments, format):
    note = afternote.draft(". ".join(fragments), format=format)
    for section in note.sections:
        for sentence in section.sentences:
            assert not any("subject" in problem for problem in sentence.problems), (sentence.text, sentence.problems)


def test_a_plan_step_names_who_will_do_it_only_when_the_reading_is_sure():
    """ "call psychiatrist if nausea persists" typed with no subject: the plan's step, unless the reader is sure."""
    from afternote.drafting.phrasing import SURE_OF_WHO, with_subject
    from afternote.reading.statements import Statement

    def step(actor, confidence):
        statement = Statement(id=1, start=0, end=10, text="call psychiatrist", category="plan", actor=actor,
                              actor_confidence=confidence, time="planned")
        return with_subject("call psychiatrist if nausea persists", statement)

    assert step("clinician", SURE_OF_WHO) == "Clinician will call psychiatrist if nausea persists"
    assert step("clinician", SURE_OF_WHO - 0.2) == "Plan is to call psychiatrist if nausea persists"
    assert step("other", 0.95) == "Plan is to call psychiatrist if nausea persists"  # another person: only typed


def test_a_plan_typed_with_will_and_no_subject_gets_one_or_reads_as_the_plans_step():
    """ "will rescreen next session": never a sentence that opens with "Will"."""
    from afternote.drafting.phrasing import SURE_OF_WHO, with_subject
    from afternote.reading.statements import Statement

    def step(text, confidence):
        statement = Statement(id=1, start=0, end=len(text), text=text, category="plan", actor="clinician",
                              actor_confidence=confidence, time="planned")
        return with_subject(text, statement)

    assert step("will rescreen with C-SSRS", SURE_OF_WHO) == "Clinician will rescreen with C-SSRS"
    assert step("will call mom tomorrow", SURE_OF_WHO - 0.2) == "Plan is to call mom tomorrow"
    assert sentence_with("P: I will call psychiatrist re nausea", "psychiatrist").startswith("Clinician will call")
