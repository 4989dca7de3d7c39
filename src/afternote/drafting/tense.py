"""Tense from the reading: a verb typed in its base form takes the tense of the statement's time.

"Clinician ask about SI" (this session) -> "Clinician asked about SI"; "wife work nights" (standing) -> "Wife works
nights"; "client call PCP" (a plan) -> "Client will call PCP". Only the verb right after the subject changes.
"""
from __future__ import annotations

import re
from functools import lru_cache

from afternote.verbs import base_verb, past, present

# the subjects the writer gives or the clinician typed, and whether they take a plural verb
_PLURAL = re.compile(r"^(clinician and|client and|they|both|parents|grandparents|group members|members|peers|"
                     r"partners|siblings)\b", re.I)


# after two people as the subject, or before these words, a word that may be a noun is the verb ("Clinician and
# client practice the skill", "Husband say it is only beer")
_JOINT_SUBJECT = re.compile(r"^(clinician and|client and|they|both)\b", re.I)
_SPEECH = {"say", "tell", "ask", "deny"}
# a decision taken in the session about what will happen: past even in a plan
_DECIDED = {"agree", "commit", "consent", "decline", "refuse", "accept", "promise"}
_NEGATED = re.compile(r"(?:not|n't)\b", re.I)


@lru_cache(maxsize=1)
def _subject_verb() -> re.Pattern:
    from afternote.reading.guard import roles
    people = sorted({r[0].upper() + r[1:] for r in roles().values()}, key=len, reverse=True)
    subjects = ["Clinician and client", "Client and clinician", r"Clinician and [a-z][\w -]{1,25}?", "Client",
                "Clinician", "He", "She", "They", "Both"]
    others = "(?i:" + "|".join(re.escape(p) for p in people) + ")"
    # an adverb may stand before the verb ("Father also say"); a verb before an apostrophe is none ("he don't sleep")
    return re.compile(r"^((?:" + "|".join(subjects) + r")|(?:(?:Client's|The|Another|One|Her|His|Their) )?" + others
                      + r")\s+(?:(also|then|still|now|just|later|again)\s+)?([A-Za-z]+)\b(?!['’])(\s*)(.*)$", re.S)


def in_tense(sentence: str, time: str | None, planned: bool = False) -> str:
    """The verb after the sentence's subject, when typed in its base form, in the tense of the statement's time:
    past for what happened ("Clinician ask directly" -> "Clinician asked directly"), present for a standing fact
    ("Wife work nights" -> "Wife works nights"), "will" for a plan. Other sentences are returned as they are."""
    match = _subject_verb().match(sentence)
    if not match:
        return sentence
    subject, adverb, verb, space, rest = match.groups()
    if adverb:
        subject = f"{subject} {adverb}"  # "Father also say he is stressed": the verb after the adverb
    session = not planned and time not in ("planned", "standing")
    if verb.lower() == "do" and session and not _NEGATED.match(rest):
        return f"{subject} {past(verb)}{space}{rest}"  # "We do paced breathing": "do" is the verb, not an auxiliary
    expect_verb = planned or time == "planned" or bool(_JOINT_SUBJECT.match(subject)) or verb.lower() in _SPEECH
    if not base_verb(verb, rest, expect_verb=expect_verb):
        return sentence
    if verb.lower() in _DECIDED and time != "standing":
        form = past(verb)  # "pt agree roommate keeps the pills": the agreeing happened in session, whatever it plans
    elif planned or time == "planned":
        form = "will " + verb
    elif time == "standing":
        form = present(verb, plural=bool(_PLURAL.match(subject)))
    else:
        form = past(verb)
    return f"{subject} {form}{space}{rest}"
