"""The deterministic guard over the learned reader: typed headings, risk and typed subjects.

The model decides; the guard may overrule it where the rules know better: risk content read by the risk reader is
always risk (or safety), never lowered to another category; a heading the clinician typed wins over a model that is
not sure; a subject the clinician typed ("I", "we", "pt", "mom") is who acted. Where the guard overrules a
confident model, the statement says so (`Statement.evidence`), and a finding asks the clinician to look.
"""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from afternote.reading.risk import Risk
from afternote.verbs import base_verb, past_tense, parts_of_speech

RISK_CATEGORIES = ("risk", "safety")
ACTS = ("intervention", "plan")
# the model's confidence above which a disagreement with the guard is worth the clinician's look
DISAGREEMENT = 0.6
# a typed heading wins unless the model is at least this sure of another category
HEADING_OVERRULED_AT = 1.01


@cache
def roles() -> dict[str, str]:
    with open(Path(__file__).parent / "data" / "roles.toml", "rb") as handle:
        return tomllib.load(handle)["roles"]


@cache
def _role_pattern() -> re.Pattern:
    words = sorted(roles(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b(?!['’]s)", re.I)


_CLINICIAN_SUBJECT = re.compile(r"^(i|i've|i'd|i'm|clinician|therapist|this writer|writer|th)\b(?!['’]s)", re.I)
_BOTH_SUBJECT = re.compile(r"^(we|we've|we'd|together|clinician and client|client and clinician)\b", re.I)
_CLIENT_SUBJECT = re.compile(r"^(pt|pt\.|client|patient|cl|ct)\b(?!['’]s)(?!\s+and\b)", re.I)
_ROLE_SUBJECT_VERB = re.compile(r"^\s*(\([^)]*\)\s*)?(reports?|reported|states?|stated|says|said|shared|noted|"
                                r"described|expressed|endorsed|denied|denies|asked|called|emailed|texted|agreed|"
                                r"was|is|were|are|has|had|will|wants|wanted|feels|felt|thinks|thought|and|too|also|"
                                r"per|came|attended|joined|arrived|left|brought|added|disclosed|requested|worried|"
                                r"notes|observed|complained|c/o)\b", re.I)


# before a role word, what makes the person the object of the clause, not its speaker: "conflict with wife",
# "after telling sister", "my wife calls it", "2 staff resignations"
_OBJECT_BEFORE = re.compile(r"\b(with|w/|to|from|telling|told|about|against|of|my|own|his|her|their|client's|pt's|"
                            r"\d+)\s+$", re.I)


def role_of(text: str) -> str | None:
    """The role of the first other person a clause names as its possible speaker ("mom reports" -> "mother"; not
    "conflict with wife"), or None."""
    for match in _role_pattern().finditer(text):
        if not _OBJECT_BEFORE.search(text[:match.start()]):
            return roles()[match.group(1).lower()]
    return None


_COLLEAGUE = re.compile(r"\b(supervisor|clinical director|director|colleague|consultant|team|psychiatrist|prescriber|"
                        r"co-?leader|co-?facilitator|case manager)\b", re.I)


def typed_subject(text: str, previous: str = "") -> tuple[str, str | None] | None:
    """The subject the clinician typed at the start of a clause, when it is plain: (actor, role). "We" after a
    consultation with a colleague is the clinician and that colleague, not the client."""
    stripped = text.strip()
    if _BOTH_SUBJECT.match(stripped):
        colleague = _COLLEAGUE.search(previous) if re.match(r"we\b", stripped, re.I) else None
        if colleague:
            return ("clinician", colleague.group(1).lower())
        return ("both", None)
    if _CLINICIAN_SUBJECT.match(stripped):
        return ("clinician", None)
    if _CLIENT_SUBJECT.match(stripped):
        return ("client", None)
    match = re.match(r"(?:per\s+)?(?:(?:client's|pt's|her|his|their|the|one|a|an|another|two|several|some)\s+)?"
                     r"([a-z][a-z ]{1,20}?)\b", stripped, re.I)
    if match:
        word = match.group(1).lower().strip()
        rest = stripped[match.end():]
        verb = re.match(r"\s*([a-z]+)\b(.*)", rest, re.I | re.S)
        if word in roles() and (stripped.lower().startswith("per ") or _ROLE_SUBJECT_VERB.match(rest)
                                or (verb and (base_verb(verb.group(1), verb.group(2)) or _acted(verb.group(1))))):
            return ("other", roles()[word])
    return None


def _acted(word: str) -> bool:
    """'teacher separated them', 'nurse checked arm': a verb's past, not a state ('mom concerned')."""
    return past_tense(word) and "ADJ" not in parts_of_speech(word.lower())


@cache
def _modalities() -> re.Pattern:
    with open(Path(__file__).parent / "data" / "modalities.toml", "rb") as handle:
        names = tomllib.load(handle)["modalities"]
    return re.compile(r"\b(" + "|".join(names) + r")\b", re.I)


# "CPT session 8", "PE sess 6", "EMDR #4": the modality of this very session, what the clinician did
_SESSION_NUMBER = re.compile(r"\b(session|sess|visit|wk|week|module|phase|#)\s*#?\d+|\b\d+(st|nd|rd|th)\s+(session|sess)\b",
                             re.I)
# teaching about a risk is safety work ("explained strangulation is a lethality risk factor")
_EDUCATES = re.compile(r"^(explained|educated|psychoeducated|psycho-?ed|taught|reviewed|discussed|provided)\b", re.I)

# assigning homework is the plan, like the homework itself (docs/annotation.md)
_ASSIGNS = re.compile(r"^assigned\b.{0,40}\b(hw|homework|worksheet|log|record|diary|practice|assignment|tracker|"
                      r"exercise)s?\b", re.I)

# a hedged impression is the clinician's formulation ("likely adjustment disorder", "r/o PTSD"): an assessment
_IMPRESSION = re.compile(r"^(likely|most likely|probable|probably|suspect(ed)?|consistent with|c/w|r/o|rule out|"
                         r"ddx|differential|impression)\b", re.I)

# a medication the client takes ("on sertraline 100 mg", "takes lithium 600 mg qhs") is a standing fact: context,
# wherever it stands in the list; a change to it ("on X 50 mg, taper to 25") is the plan and stays as read
TAKES_MEDICATION = re.compile(r"^(?:(?:pt|client|clt|he|she|they)\s+)?(?:(?:is|remains|still|now|currently)\s+)*"
                               r"(?:on|takes|taking)\s+[a-z][\w-]*(?:\s+(?:er|xr|sr|xl|cr|odt|ir))?\s+"
                               r"\d+(?:\.\d+)?\s*(?:mg|mcg)\b(?!.*\b(?:start|stop|increas|decreas|taper|switch|chang|"
                               r"titrat|add|discontinu|wean|hold|resum|refill|missed|skip|continu|will))", re.I)

# "Goal 2 (reduce panic):", "Obj 1b:": the treatment-plan goal the clinician typed, a heading in all but form
_GOAL_LABEL = re.compile(r"^(?:tx |treatment )?(?:goal|obj(?:ective)?)\s*#?\s*\d+[a-z]?\s*(?:\([^)]*\))?\s*[:-]", re.I)


def guard_category(predicted: str, confidence: float, scores: dict[str, float], heading: str | None,
                   risks: tuple[Risk, ...], text: str = "") -> tuple[str, str | None]:
    """The category the statement takes, and a note when the guard overruled a model that was sure."""
    if _GOAL_LABEL.match(text) and not risks and predicted not in RISK_CATEGORIES:
        heading = "goal"
    if predicted == "context" and _SESSION_NUMBER.search(text) and _modalities().search(text):
        predicted = "intervention"
    if predicted not in RISK_CATEGORIES and not risks and _ASSIGNS.match(text.strip()):
        predicted = "plan"
    if predicted not in RISK_CATEGORIES and not risks and TAKES_MEDICATION.match(text.strip()):
        predicted = "context"
    if predicted not in RISK_CATEGORIES and not risks and _IMPRESSION.match(text.strip()):
        predicted = "assessment"
    if predicted == "risk" and not risks and _EDUCATES.match(text.strip()):
        return "safety", None
    if risks and predicted not in RISK_CATEGORIES:
        # what the clinician did or will do about a risk is safety work; anything else that names one is risk
        kept = "safety" if predicted in ACTS else "risk"
        note = f"read as {predicted} by the model, kept as {kept} content" if confidence >= DISAGREEMENT else None
        return kept, note
    if heading and heading != predicted:
        if heading in RISK_CATEGORIES or scores.get(predicted, 0) < HEADING_OVERRULED_AT:
            if predicted in RISK_CATEGORIES:
                return predicted, None  # risk content keeps its category under any heading
            return heading, None
    return predicted, None


# a clinician's verb opening an intervention or an observation: the clinician acted ("used CBT", "observed pt
# restless"), whatever the model read; the client's own acts of coping are presenting, not these categories
_CLINICIAN_ACT = re.compile(r"^(used|utilized|taught|introduced|provided|modeled|explained|conducted|facilitated|"
                            r"administered|assessed|screened|observed|noted|reflected|challenged|coached|guided|"
                            r"educated|encouraged|offered|demonstrated|led)\b", re.I)
# verbs only a therapist's act opens, whatever category the model read (checked first, so _CLINICIAN_ACT need not
# list them): "Tracked, reflected anger" in a play
# session is the clinician's even when read as the child's response ("reflected on her week" is the client's)
_ONLY_CLINICIAN_ACT = re.compile(r"^(validated|normalized|reframed|psychoeducated|psycho-?ed|tracked|narrated|"
                                 r"set (?:a )?limits?|reflected(?! on\b)|lvm|left (?:a )?(?:vm|voicemail|message)|"
                                 r"assigned|faxed|shortened (?:the )?session|converted (?:the session )?to)\b", re.I)
# the client's by convention when no one else is typed as the subject: "referred by PCP", "referred for aggression"
# (the client was referred), "c/o poor sleep" (the client's complaint), "NS last wk", "LC" (the client's missed
# session), whatever the model read from the clauses around them
_CLIENTS_BY_CONVENTION = re.compile(r"^(?:(?:was |were )?referred (?:by|for|from|d/t|due to|because|after)|c/o|"
                                    r"complains? of|(?-i:NS|LC)|no[- ]show|late[- ]cancel\w*)\b", re.I)


# "used" is the clinician's only with a technique for its object ("used CBT", "used Socratic questioning");
# "used a cane", "used 2 coping steps from plan" are the client's
_USED = re.compile(r"^(used|utilized)\b", re.I)
_TECHNIQUE = re.compile(r"\b(socratic|reflective|reflections?|validation|role[- ]?play\w*|chain analysis|"
                        r"cognitive restructuring|refram\w*|scaling|miracle question|empty chair|guided imagery|"
                        r"genogram|decisional balance|OARS|open[- ]ended|interpreter|psycho-?ed\w*|"
                        r"motivational)\b", re.I)


def guard_actor(text: str, category: str, actor: str) -> str:
    text = text.strip()
    if _CLIENTS_BY_CONVENTION.match(text):
        return "client"
    if actor in ("client", "none") and _ONLY_CLINICIAN_ACT.match(text):
        return "clinician"
    if actor == "client" and category in ("intervention", "observation", "safety") and _CLINICIAN_ACT.match(text):
        if _USED.match(text) and not (_modalities().search(text) or _TECHNIQUE.search(text)):
            return actor
        return "clinician"
    return actor
