"""Shorthand keeps its meaning: the same letters mean different things in different places; unknown stays as typed."""
import pytest

from afternote.drafting.language import clinical


@pytest.mark.parametrize("typed, written", [
    ("PT 2x/wk", "physical therapy twice a week"),            # PT in capitals before a frequency
    ("pt 32F c/o panic", "client, a 32-year-old female, reported panic"),  # age and sex set off by commas
    ("said hi to peers at lunch", "said hi to peers at lunch"),  # a greeting, not HI
    ("she said si to the plan", "she said si to the plan"),      # Spanish for yes, not SI
    ("denies si or hi", "denied suicidal ideation or homicidal ideation"),  # lower case beside a word of risk
    ("si/hi neg", "denied suicidal and homicidal ideation"),
    ("passive si, no plan", "passive suicidal ideation, no plan"),
    ("mom says he hit his brother", "mom said he hit his brother"),  # another person's report, past tense
    ("states she slept 4h", "stated she slept 4 hours"),
    ("named emotional states", "named emotional states"),        # a noun, not a report
    ("we're working on sleep", "clinician and client are working on sleep"),  # not "client'regarding"
    ("we’re working on sleep", "clinician and client are working on sleep"),  # a typed curly apostrophe too
    ("third session of CBT-I", "third session of CBT-I"),
    ("Int: cost-benefit of checking", "cost-benefit of checking"),  # a template's field label: the section says it
    ("Resp: engaged", "engaged"),
    ("Obs: restless", "restless"),
    ("pt's resp: engaged", "client's resp: engaged"),          # only a label that opens the line
    ("moved from the United States", "moved from the United States"),
    ("pt 45M", "client, a 45-year-old male"),                 # with nothing after it, no dangling comma
    ("pt (28M)", "client, a 28-year-old male"),
    ("attending PT for her knee", "attending physical therapy for her knee"),
    ("pt c/o poor sleep", "client reported poor sleep"),      # lower-case pt is the patient
    ("low mood x 2 wks", "low mood for 2 weeks"),
    ("walked dog x3", "walked dog 3 times"),
    ("oriented x3", "oriented x3"),                           # a mental-status finding, kept as typed
    ("A&Ox3", "A&Ox3"),
    ("started CBT-I", "started CBT-I"),                       # not first person
    ("I taught CBT-I", "Clinician taught CBT-I"),
    ("next appt on 1/9", "next appointment on 1/9"),          # a date, not a count
    ("LVM re: missed appt", "left a voicemail regarding missed appointment"),
    ("completed 2/5 planned activities", "completed 2 of 5 planned activities"),
    ("f/u q2wk", "follow-up every 2 weeks"),
    ("sessions q wk", "sessions weekly"),
    ("hydroxyzine 25 mg PRN", "hydroxyzine 25 mg as needed"),
    ("sertraline BID", "sertraline twice a day"),
    ("cont weekly CBT", "continue weekly CBT"),
    ("pt cont to struggle w/ sleep", "client continued to struggle with sleep"),
    ("talked re sleep", "talked regarding sleep"),
    ("nxt sess thru telehealth", "next session through telehealth"),
    ("s/p hospitalization", "status post hospitalization"),
    ("d/c'd sertraline", "discontinued sertraline"),
    ("indiv session", "individual session"),
    ("resched to Thurs", "rescheduled to Thursday"),
    ("grp on Sat, f/u Sun am", "group on Saturday, follow-up Sunday am"),
    ("Sat quietly for a while", "Sat quietly for a while"),                 # a verb, not a day
    ("ct reports cravings, CT scan normal", "client reported cravings, CT scan normal"),  # case carries meaning
    ("he doesnt want to go, hes been drinking", "he doesn't want to go, he's been drinking"),  # voice-to-text
    ("risk low-mod, call tmrw", "risk low-moderate, call tomorrow"),
    ("etoh 3-4 drinks/night, bup 8 mg", "alcohol 3-4 drinks per night, buprenorphine 8 mg"),
    ("gma and dtr at wkly grp til June", "grandma and daughter at weekly group until June"),
    ("member: 28 y/o M, PTSD", "member: 28-year-old male, PTSD"),
    ("tx hx sx", "treatment history symptoms"),
    ("?ADHD", "possible ADHD"),                               # the hedge is kept as uncertainty
    ("abt 2 hrs", "about 2 hours"),
    ("pt (8M) running fever", "client, an 8-year-old male, running fever"),  # the article as the number is said
    ("18 y/o, a 45 y/o", "18-year-old, a 45-year-old"),
    ("flurbex 10 mg", "flurbex 10 mg"),                       # an unknown word stays as typed
])
def test_shorthand_is_spelled_out_by_its_context(typed, written):
    assert clinical(typed) == written


def test_quotations_are_never_rewritten():
    assert clinical("pt said 'PT 2x/wk w/ me'") == "client said 'PT 2x/wk w/ me'"
