"""Give a fragment the subject it lacks, from its category: who reported, observed or did what.

"reported low motivation" -> "Client reported low motivation"; "low motivation" (a complaint) -> "Client reported
low motivation"; "used activity scheduling" -> "Clinician used activity scheduling"; "PHQ-9 16" -> "PHQ-9 score was
16"; "continue worry time daily" (a plan) -> "Plan is to continue worry time daily". A fragment that already has a
subject, or a clause of its own, is left as the clinician wrote it. Only subjects and linking words are added: never
a fact.
"""
from __future__ import annotations

import re

from afternote.verbs import base_verb, parts_of_speech
from afternote.reading.guard import TAKES_MEDICATION, role_of, typed_subject
from afternote.reading.statements import Statement

_SUBJECT = re.compile(
    # a short lead-in may stand before the subject: "Today he reports ...", "In session, she ..."
    r"^(?:(?:today|tonight|this week|in session|at the end|later|then|also|now|initially|afterwards|overall),?\s+"
    r"(?=(?:he|she|they|client|the client|i|we)\b))?"
    r"(client|clients|veteran|clinician|the clinician|clinician and client|he|she|they|both|each|everyone|someone|mom|dad|"
    r"mother|father|parents?|partner|partners|wife|husband|son|daughter|family|group|members?|co-leader|his|her|"
    r"their|the|this|that|it|there|these|those|session|sessions|plan|homework|next|follow-up|no|not|none|[A-Z]\.|"
    r"[A-Z][a-z]+'s|i|we)\b", re.I)
_CLAUSE = re.compile(r"^(\S+\s+){0,3}?(is|are|was|were|has|have|had|did|does|do|will|can|could|would|went|came|"
                     r"got|made|felt|said|says)\b", re.I)
_IRREGULAR_PAST = {"did", "taught", "made", "gave", "said", "went", "felt", "came", "told", "built", "wrote", "got",
                   "kept", "found", "held", "ran", "sat", "saw", "thought", "brought", "left", "began", "chose", "set",
                   "put", "had", "was", "were", "spent", "took", "met", "read", "heard", "slept", "lost", "drew",
                   "broke", "led", "understood", "stood", "ate", "drank", "woke", "fell", "forgot", "hid", "spoke", "sought",
                   "taught", "caught", "bought", "won", "lent", "sent", "meant", "paid", "sold"}
_NOT_PAST = {"need", "seed", "bed", "red", "shed", "feed", "speed", "breed", "bleed", "weed", "tired", "scared",
             "worried", "depressed", "animated", "engaged", "agitated", "guarded", "motivated", "dedicated",
             "detailed", "relaxed", "frustrated", "isolated", "overwhelmed", "embarrassed", "ashamed"}
_JOINT = {"practiced", "did", "role-played", "roleplayed", "worked", "wrote", "built", "made", "mapped", "planned",
          "added", "discussed", "explored", "processed", "agreed", "talked", "created", "developed", "identified",
          "brainstormed", "set", "completed", "rehearsed", "listed"}
_CLINICIAN_VERBS = {"used", "taught", "introduced", "reviewed", "provided", "gave", "modeled", "validated",
                    "normalized", "reframed", "explained", "conducted", "facilitated", "assigned", "discussed",
                    "explored", "processed", "assessed", "coached", "demonstrated", "urged", "educated", "consulted",
                    "called", "referred", "encouraged", "offered", "challenged", "guided", "tracked", "reflected",
                    "mapped", "linked", "reassured", "administered", "screened", "utilized", "psychoeducated",
                    "observed"}
_PLAN_VERBS = {
    "continue", "practice", "try", "add", "bring", "call", "complete", "use", "keep", "read", "listen", "log", "track",
    "attend", "ask", "eat", "cook", "spend", "write", "start", "increase", "decrease", "reduce", "schedule", "revisit",
    "revise", "repeat", "review", "refer", "coordinate", "email", "meet", "return", "monitor", "reassess", "assess",
    "follow", "consider", "explore", "discuss", "obtain", "send", "take", "go", "stay", "limit", "taper", "space",
    "notice", "name", "re-evaluate", "plan", "time-block", "restart", "resume", "work", "focus", "begin", "set", "turn",
    "walk", "check", "join", "contact", "see", "request", "sign", "submit", "apply", "visit", "maintain", "avoid",
    "do", "make", "give", "spend", "finish", "fill", "sleep", "exercise", "journal", "text", "drink", "eat",
}
_OBSERVED_STATES = re.compile(
    r"^(tearful|tense|anxious|calm|animated|tired|quiet|restless|guarded|defensive|flat|engaged|fidgety|fidgeting|"
    r"agitated|slowed|matter-of-fact|cooperative|pleasant|withdrawn|irritable|distracted|disheveled|unkempt|"
    r"well-groomed|alert|oriented|sad|nervous|smiling|crying|laughing|relaxed|embarrassed|motivated|receptive|"
    r"open|teary|upset|angry|frustrated|hopeful|euthymic|dysphoric|labile|appropriate)\b", re.I)
_MSE_NOUN = re.compile(r"^(affect|mood|speech|eye contact|thought process|thought content|insight|judgment|"
                       r"hygiene|grooming|attention|concentration|memory)\s+(?!was\b|is\b|were\b)(\w[\w-]*)$", re.I)
_INSTRUMENT = re.compile(r"^([A-Z][A-Za-z]*(?:-[A-Z0-9]+)*(?:-\d+)?)\s+(today\s+|now\s+)?(\d+(?:\.\d+)?%?)(.*)$")
_TECHNIQUE = re.compile(r"^(activity scheduling|behavioral activation|cognitive|exposure|interoceptive|imaginal|"
                        r"in vivo|psychoeducation|motivational interviewing|mindfulness|relaxation|progressive|"
                        r"grounding|validation|supportive|chain analysis|problem[- ]solving|socratic|role[- ]?play|"
                        r"decatastrophizing|defusion|values|habit reversal|applied tension|paced breathing|"
                        r"box breathing|diaphragmatic|cope[- ]ahead|urge surfing|play therapy|sand ?tray|"
                        r"cbt|dbt|act|emdr|ipsrt|ipt|erp|eft|tf-cbt)\b", re.I)
_LEADING_CONJUNCTION = re.compile(r"^(and|but|then|also|plus)\s+", re.I)


def _first_word(text: str) -> str:
    match = re.match(r"[A-Za-z][\w'-]*", text)
    return match.group(0).lower() if match else ""


# a hyphenated word ending in -ed is an adjective ("pain-related", "well-rested"), unless its first part is a
# verb's prefix ("re-engaged", "self-harmed", "co-led")
_COMPOUND_ADJECTIVE = re.compile(r"^(?!(?:re|co|pre|self|over|under|mis|de)-)[a-z]+-[a-z-]+$")


def _is_past(word: str, irregular: bool = True) -> bool:
    known_as = parts_of_speech(word)  # "unscheduled", "unplanned": the lexicon knows them only as adjectives
    if _COMPOUND_ADJECTIVE.match(word):
        return False
    return (irregular and word in _IRREGULAR_PAST) or (word.endswith("ed") and len(word) > 3
                                                        and word not in _NOT_PAST
                                                        and (not known_as or "VERB" in known_as))


def _lower_first(text: str) -> str:
    """'Appeared tense' -> 'appeared tense' after a new subject; acronyms and names keep their capitals."""
    word = re.match(r"[A-Za-z][\w'-]*", text)
    if word and word.group(0)[1:].islower() and word.group(0) != "I":
        return text[0].lower() + text[1:]
    return text


def _on_medication(text: str, category: str) -> bool:
    """'on lithium 900 mg' as a context item: the medication the client is on, a sentence of its own."""
    return category == "context" and _first_word(text.strip()) == "on" and bool(TAKES_MEDICATION.match(text.strip()))


def sentence_form(text: str, category: str) -> str:
    """How a list item reads: 'subject' (has its own), 'next' (next session, follow-up), 'verb' (a plan's base verb),
    'medication' (one the client is on) or 'phrase'. Items of one list are written as one sentence only while their form stays the same."""
    word = _first_word(_LEADING_CONJUNCTION.sub("", text.strip()))
    if word in {"next", "follow-up", "f/u", "return"}:
        return "next"
    if _SUBJECT.match(text.strip()) or re.match(r"^(pt|i|we)\b", text.strip(), re.I):
        return "subject"
    if category == "plan" and word in _PLAN_VERBS:
        return "verb"
    if _on_medication(text, category):
        return "medication"  # "Client is on lithium 900 mg": a sentence of its own, not a descriptor of the last
    return "phrase"


def _is_present(word: str) -> bool:
    return word in {"is", "has", "says", "feels", "wants", "needs", "keeps", "asks", "thinks", "gets", "goes", "uses",
                    "takes", "sees", "knows", "lives", "works", "continues", "avoids", "worries", "plans", "hopes"}


_NOUN_AFTER = {"log", "logs", "record", "records", "card", "cards", "diary", "sheet", "worksheet", "schedule",
               "plan", "window", "time", "journal", "check-in", "chart", "list", "tracker", "review", "affect",
               "speech", "mood", "contact"}
_LABEL = re.compile(r"^[\w' /-]{2,30}:\s")
_ADJECTIVE = re.compile(r"^\w+(ent|ant|ive|ous|ful|less|able|ible|ic|ical|ish)$", re.I)


# "sleep hygiene log": a noun compound whose first word is also a plan's verb ("sleep 8 hours")
_COMPOUND_NOUN = re.compile(r"^(sleep|drink|drinking|worry|exercise|journal|mood|food|thought|urge|craving)\s+[a-z-]+"
                            r"\s+(log|record|diary|card|sheet|worksheet|schedule|tracker|chart|journal|list)s?\b", re.I)
_BEFORE_NOUN = re.compile(r"^([A-Za-z][\w'-]*) ([a-z][\w'-]*)\b")


def _describes_noun(text: str) -> bool:
    """'restless legs visible', 'intrusive images of ...': an adjective before its noun, a noun phrase, not a
    state of the client ('restless', 'tearful when discussing ...', 'tense, fidgety')."""
    match = _BEFORE_NOUN.match(text)
    if not match:
        return False
    first, second = (parts_of_speech(w.lower()) for w in match.groups())
    return "ADJ" in first and "NOUN" in second and not ({"ADJ", "ADV"} & second)


def _second_word(text: str) -> str:
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    return words[1].lower() if len(words) > 1 else ""


_MISSING_COPULA = re.compile(r"^(client|he|she|they|both|[A-Z]\.)\s+(?=(?:very |more |less |somewhat |a bit )?"
                             r"(?:tearful|tense|anxious|calm|animated|tired|quiet|restless|guarded|defensive|engaged|"
                             r"receptive|motivated|cooperative|withdrawn|irritable|upset|angry|frustrated|hopeful|"
                             r"open|teary|nervous|relaxed|proud|relieved|ambivalent|agitated|slowed|able|unable)\b"
                             r"(?!\s+(?:in|with|the|a|an|him|her|them)\b))", re.I)


# "pt told about the report", "pt given 988 card": the client is the one told or given; the past participle needs
# its "was" ("pt told mom", "pt informed me" stay the client's own acts)
_PASSIVE_AFTER_SUBJECT = re.compile(
    r"^(client|he|she|they)\s+(?=(?:given|shown|seen|taken|driven)\b|(?:told|informed|notified|reminded|educated|"
    r"advised|encouraged|instructed|invited|prompted|cued|redirected|referred|escorted|transported|discharged|"
    r"placed)\s+(?:about|of|before|after|on|to|by|from|for|re|regarding|in|back|home|x\s?\d)\b)", re.I)


# "pt 45M" spelled out, with no verb after it: "Client, a 45-year-old male, divorced" is a fragment
_AGE_ONLY = re.compile(r"^(client), (an?) (\d{1,3}-year-old [a-z]+)(?=,|$)", re.I)


def _with_copula(text: str, category: str = "") -> str:
    """'Client engaged, able to ...' -> 'Client was engaged, able to ...': shorthand drops the verb; so does a
    client's description ('Client, a 45-year-old male, divorced' -> 'Client is a 45-year-old male, divorced')."""
    age = _AGE_ONLY.match(text) if category == "context" else None
    if age:
        rest = text[age.end():].lstrip(", ")
        verb = _first_word(rest)
        acts = (_is_past(verb) or _is_present(verb)) and "ADJ" not in parts_of_speech(verb)  # not "divorced"
        if not verb or _PASSIVE_BY.match(rest) or not acts:
            return _AGE_ONLY.sub(r"\1 is \2 \3", text, count=1)  # not "Client is a 32-year-old female, reported"
    if _PASSIVE_AFTER_SUBJECT.match(text):
        return _PASSIVE_AFTER_SUBJECT.sub(_with_be, text, count=1)
    return _MISSING_COPULA.sub(_with_be, text, count=1)


def _with_be(subject: re.Match) -> str:
    return subject.group(1) + (" were " if subject.group(1).lower() in ("they", "both") else " was ")


def subject_for(statement: Statement) -> str | None:
    """The subject the reading gives a statement: its actor, another person by the role typed, or none."""
    if statement.actor == "client":
        return "Client"
    if statement.actor == "clinician":
        return "Clinician"
    if statement.actor == "both":
        return "Clinician and client"
    if statement.actor == "other" and statement.role:
        return statement.role[0].upper() + statement.role[1:]
    return None


# "converted to a phone check-in", "changed to telehealth": the session changed, not the client
_PASSIVE_BY = re.compile(r"^(?!(?:converted|changed|switched|moved|shortened|extended|rescheduled)\b)"
                         r"(\w+ed|seen|brought|sent|taken|driven|given|told)\s+(by|from|to|for)\b", re.I)
_BY_SOMEONE = re.compile(r"^(?:\w+ed|seen|taken|driven|given|brought|sent)\b[^.;]*?\bby\s+(?:the\s+|a\s+|an\s+|her\s+|"
                         r"his\s+)?(\S+(?:\s+\S+)?)", re.I)
_AGENTS = re.compile(r"^(crisis|mobile|ems|ambulance|security|team|writer|me|clinician|therapist|co-?leader|md|"
                     r"unit|on-call)\b", re.I)


# "transported to ED", "escorted to the unit": the client is the one moved, whoever did it
_MOVED = re.compile(r"^(transported|escorted|admitted|readmitted|hospitalized|taken|driven)\s+(to|back|after|for)\b",
                    re.I)


def _done_by_someone(text: str) -> bool:
    """'transported to the ED by crisis team': something done to the client by a person, whatever its category."""
    match = _BY_SOMEONE.match(text)
    return bool(match) and bool(_AGENTS.match(match.group(1)) or role_of(match.group(1)))


# "When asked about SI she said", "When the clinician asked about SI, he said": the answer has its own subject
_WHEN_ASKED_WITH_SUBJECT = re.compile(r"(?:when|if|once|after)\s+(?:(?:the clinician|clinician)\s+)?(?:asked|inquired|"
                                      r"followed up)\b[^,;]{0,60}?,?\s*\b(?:she|he|they|client)\s+[a-z]+", re.I)
_WHEN_ASKED = re.compile(r"^((?:when|if|once) asked\b[^,;]{0,60}?)(?:,\s*|\s+)(?=(?:denied|denies|said|says|stated|"
                         r"reported|endorsed|admitted|shared|described|replied)\b)", re.I)
_ASKED = re.compile(r"^(asked|questioned|screened|assessed)\s+(about|if|whether|for|re|regarding|directly|again)\b", re.I)
_PER_ROLE = re.compile(r"^(?:per|according to)\s+(?:the\s+|client's\s+|her\s+|his\s+)?([\w ]{2,25}?)\s*[,:-]\s*(.+)$",
                       re.I)
# a name or initial and its report verb: the clause has its subject ("B reported feeling", "grace asked what to do")
_REPORTED_BY_NAME = re.compile(r"^(?!(?i:when|if|once|after|before|while|as|very|so|too|then|also|not|just|still|"
                               r"later|again)\b)(?:[A-Z]|[A-Za-z][a-z]+)(?:\s*\([^)]{1,80}\))?\s+(reported|reports|said|"
                               r"says|say|stated|"
                               r"states|felt|feels|was|is|has|had|wants|wanted|shared|added|denied|described|asked|asks|"
                               r"worried|worries|told|tells|agreed|agrees)\b")
_RISK_LEVEL = re.compile(r"^((?:overall |acute |chronic |imminent |current |suicide |suicidal |self-harm |violence )*"
                         r"risk(?: level)?(?: (?:of|for|to) [\w -]{2,20}?)?)\s*(?:is|was|=|:|-)?\s*"
                         r"((?:very )?(?:low|moderate|mod|high|elevated|minimal|imminent)\b.*)$", re.I)
_ATTENDANCE = [
    (re.compile(r"^no[- ]?show(?:ed)?\b\s*", re.I), "{who} was a no-show"),
    (re.compile(r"^late cancel(?:l?ation|l?ed)?\b\s*", re.I), "{who} cancelled late"),
]
_NAME_TO_DO = re.compile(r"^([A-Z][a-z]*|[A-Z]\.?)\s+to\s+([a-z]+)")
_PLAN_CLAUSE = re.compile(r"^(\S+\s+){0,3}?(may|might|should|must|agreed|accepted|declined|restated|offered|moved|"
                          r"scheduled|booked|set|given|sent|signed|\w+'ll)\b", re.I)
_WILL = re.compile(r"^will\s+([a-z]+)\b", re.I)  # a plan typed with its modal and no subject


def _sure_who_will(statement: Statement, who: str | None) -> bool:
    """Whether a plan step names who will do it: the reader is sure enough of the actor (of another person, only
    when typed)."""
    return bool(who) and statement.actor in ("clinician", "both", "other") and statement.actor_confidence >= (
        SURE_OF_WHO if statement.actor != "other" else 1.0)
_FREQUENCY_ONLY = re.compile(r"^(weekly|biweekly|every other week|monthly|daily|twice a week|once a week|"
                             r"every \d+ weeks)$", re.I)


# how sure the reader must be of who will do a plan's step the clinician typed without a subject ("call PCP") to
# name them; below it the step is the plan's ("Plan is to call PCP"), which is never the wrong person. Another
# person is named only when typed. On the held-out authors, the model's clinician below 0.9 was wrong 3 times in 6.
SURE_OF_WHO = 0.9


def _typed_other(text: str) -> bool:
    """The clause names another person as its subject ("boss cut his hours", "supervisor agreed"): it has one."""
    typed = typed_subject(text)
    return bool(typed and typed[0] == "other")


def _subject_or(statement: Statement, default: str | None) -> str | None:
    return subject_for(statement) or default


def _reporter(statement: Statement, client: str = "Client") -> str:
    """Who reported: the client or the other person the reading names; a clinician does not "report" content."""
    return (statement.actor in ("client", "other") and subject_for(statement)) or client


def with_subject(text: str, statement: Statement, homework: bool = False, client: str = "Client") -> str:
    """`text` (already in clinical wording) with a subject where the fragment has none: the reading's actor, never
    a person the key points do not name as the one who acted. `client` is who a fragment with no other subject is
    about: "Client", or "The couple" in a couples session with no identified client."""
    text = _LEADING_CONJUNCTION.sub("", text.strip())
    word = _first_word(text)
    category = statement.category
    who = subject_for(statement)
    if homework and category == "plan" and not text.lower().startswith("homework"):
        return "Homework: " + text
    if text[:1] in "\"'“‘" and category in ("presenting", "response", "risk"):
        return f"{_reporter(statement, client)} stated " + text  # a quotation on its own: its speaker's words, attributed
    per = _PER_ROLE.match(text)
    if per and statement.actor == "other" and who:
        return f"{who} reported " + _lower_first(per.group(2))
    if per and per.group(1).lower() in ("client", "patient", "pt"):
        return f"{client} reported " + _lower_first(per.group(2))  # "Per client, her labs were normal"
    if per:
        return text  # "Per the night crew, slept 6 hrs": the source is typed; never "Client reported per ..."
    for pattern, frame in _ATTENDANCE:
        if pattern.match(text) and category in ("observation", "context"):
            rest = pattern.sub("", text, count=1)
            joint = "" if not rest or rest[0] in ",;:." else " "  # "no-show, 3rd in a row": no space before the comma
            return frame.format(who=who if statement.actor == "client" else client) + joint + rest
    if _WHEN_ASKED_WITH_SUBJECT.match(text):
        return text  # "When asked about SI she said ...": the clause has its own subject
    if (asked := _WHEN_ASKED.match(text)) and statement.actor in ("client", None):
        return f"{asked.group(1)}, {client.lower()} {text[asked.end():]}"  # "When asked directly, client denied plan"
    if _ASKED.match(text) and statement.actor in ("client", None):
        return f"{client} was " + _lower_first(text)  # "asked about HI, denies": the client is the one asked
    if _PASSIVE_BY.match(text) and (category in ("context", "presenting", "observation") or (
            category == "risk" and statement.actor in ("client", None))):
        return f"{client} was " + _lower_first(text)  # "referred by PCP": the client is the one referred
    if category != "plan" and (_done_by_someone(text) or _MOVED.match(text)):
        member = statement.actor == "other" and statement.role == "another group member"
        return f"{who if member else client} was " + _lower_first(text)  # the one it was done to
    if _on_medication(text, category):
        return f"{client} is " + _lower_first(text)  # "on sertraline 100 mg": the medication the client takes
    if not word or _SUBJECT.match(text) or _REPORTED_BY_NAME.match(text) or _typed_other(text):
        return _with_copula(text, category)
    noun_phrase = _second_word(text) in _NOUN_AFTER or bool(_COMPOUND_NOUN.match(text)) or _describes_noun(text)
    if category == "plan":
        if _FREQUENCY_ONLY.match(text):
            return "Frequency: " + _lower_first(text)
        if _LABEL.match(text):
            return text  # a labelled item of its own: "Bank: she'll call the fraud line"
        if (will := _WILL.match(text)) and (base_verb(will.group(1), expect_verb=True)
                                            or not parts_of_speech(will.group(1).lower())):
            # "will call mom tmrw": who will, when the reading is sure; the plan's step otherwise
            return (f"{who} will " if _sure_who_will(statement, who) else "Plan is to ") + text[will.start(1):]
        if (word in _PLAN_VERBS or base_verb(word, text[len(word):], expect_verb=True)) and not noun_phrase:
            return (f"{who} will " if _sure_who_will(statement, who) else "Plan is to ") + _lower_first(text)
        if not noun_phrase and (_is_past(word, irregular=not base_verb(word, expect_verb=True)) or _is_present(word)):
            default = "Clinician" if word in {"assigned", "gave", "referred", "provided", "offered"} else client
            return f"{_subject_or(statement, default)} " + _lower_first(text)
        if (to_do := _NAME_TO_DO.match(text)) and base_verb(to_do.group(2), expect_verb=True):
            return f"{to_do.group(1)} will {to_do.group(2)}" + text[to_do.end():]  # "J to get a quote"
        if _CLAUSE.match(text) or _PLAN_CLAUSE.match(text):
            return text  # a clause of its own: "Partner may join a session later"
        return "Plan includes " + _lower_first(text)  # a noun phrase: "Plan includes a sleep log nightly"
    if category == "risk" and statement.actor == "clinician" and (level := _RISK_LEVEL.match(text)):
        return f"Clinician assessed {_lower_first(level.group(1))} as {level.group(2)}"
    if _LABEL.match(text) and not _is_past(word):
        return text  # "Social anxiety: client reported ..." already says who
    if word in _CLINICIAN_VERBS or ((_is_past(word) or base_verb(word, text[len(word):]))
                                    and category in ("intervention", "safety")):
        # "Reviewed coping skills" in key points: the reading says who did it; a clinician's act by default
        joint = word in _JOINT and re.search(r"\btogether\b", text, re.I)
        default = "Clinician and client" if joint else "Clinician"
        return f"{_subject_or(statement, default)} " + _lower_first(text)
    if _is_past(word) or base_verb(word, text[len(word):]):
        return f"{_subject_or(statement, client)} " + _lower_first(text)
    if _is_present(word):
        return f"{_subject_or(statement, client)} " + _lower_first(text)
    if category == "measure":
        match = _INSTRUMENT.match(text)
        if match:
            name, when, value, rest = match.groups()
            change = re.match(r"(.*?)\bto (\d)", rest)
            if change and not re.search(r"\b(was|were)\b", change.group(1)):
                return f"{name} {when or ''}went from {value}{rest}"
            return f"{name} score {when or ''}was {value}{rest}"
        return text
    if _CLAUSE.match(text):
        return text
    if category == "observation":
        if (_OBSERVED_STATES.match(text) or word.endswith("ing")) and not noun_phrase:
            return f"{_subject_or(statement, client)} was " + _lower_first(text)
        match = _MSE_NOUN.match(text)
        if match:
            return f"{match.group(1)} was {match.group(2)}"
        return text
    if category in ("presenting", "response") and _ADJECTIVE.match(word) and not noun_phrase:
        return f"{_subject_or(statement, client)} was " + _lower_first(text)
    if statement.actor == "client" and word.endswith("ed") and parts_of_speech(word) == {"ADJ"} and not noun_phrase:
        return f"{client} was " + _lower_first(text)  # "widowed 5 months": a state, not an act
    if (category == "presenting" and statement.actor != "clinician") or (
            category == "context" and word.endswith("ing")) or (
            category == "risk" and statement.actor in ("client", "other") and who):
        return f"{_reporter(statement, client)} reported " + _lower_first(text)
    if category == "intervention" and _TECHNIQUE.match(text) and ":" not in text[:25]:
        return f"{who if statement.actor in ('clinician', 'both') else 'Clinician'} used " + _lower_first(text)
    if category == "response" and _OBSERVED_STATES.match(text):
        return f"{_subject_or(statement, client)} was " + _lower_first(text)
    return text
