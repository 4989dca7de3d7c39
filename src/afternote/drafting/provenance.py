"""Verify every drafted sentence against the statements it claims to rest on.

A sentence is supported when its numbers, negations, risk mentions and their polarity, quotations, medications,
diagnoses and names are all found in its sources (or, for names and terms, anywhere in the key points). What is not
found is listed in the sentence's `problems` and the sentence is marked unsupported: flagged, never silently kept or
dropped. Pure functions; used on the builtin engine's sentences and on every language model's.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from afternote.reading.cues import NEGATION
from afternote.reading.risk import read_risks
from afternote.drafting.language import expand_shorthand, number_values
from afternote.reading.segment import protected_spans
from afternote.reading.statements import Statement
from afternote.note import NoteSection, Sentence
from afternote.verbs import lemma

_CAPITALIZED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][a-z]+(?:[-'][A-Za-z]+)?\b")
_NOTE_WORDS = {
    "client", "clinician", "plan", "homework", "next", "session", "follow-up", "the", "she", "he", "they", "her",
    "his", "their", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text.lower()).strip()


def _quotes(text: str) -> list[str]:
    return [text[s + 1:e - 1] for s, e in protected_spans(text) if text[s] in "\"'“‘" and e - s > 2]


def _without_quotes(text: str, quotes: Sequence[str]) -> str:
    for quote in quotes:
        text = text.replace(quote, " ")
    return text


_WORD = re.compile(r"[a-z][a-z'-]{3,}")
# Words a note adds around the clinician's own: they show nothing about where a sentence came from.
_FRAME_WORDS = {"client", "clinician", "reported", "reports", "denied", "endorsed", "session", "plan", "includes",
                "homework", "was", "were", "with", "that", "this", "their", "they", "then", "from", "have", "been",
                "about", "also", "will", "said", "stated", "described", "noted", "observed", "used", "discussed",
                "score", "went"}


def _content_stems(text: str) -> set[str]:
    """The content words, by their dictionary form's first letters: "showed" and "show me" share "show"."""
    return {lemma(word)[:5] for word in _WORD.findall(text.lower()) if word not in _FRAME_WORDS}


_SUBJECTS = [
    ("both", re.compile(r"^(clinician and client|client and clinician)\b", re.I)),
    ("clinician", re.compile(r"^(the )?(clinician|therapist|this writer)\b(?!'s)", re.I)),
    ("client", re.compile(r"^(the )?client\b(?!'s)", re.I)),
]
# the client acted on or taking part: "Client was given 988", "Client agreed to ...", "Client practiced ..."
_CLIENT_TAKES_PART = re.compile(r"^(the )?client (was|were) (given|provided|offered|taught|referred|encouraged|"
                                r"asked|told|educated|reminded|seen|assessed|screened|shown|taken|driven|sent|"
                                r"brought|\w+ed (to|by|about|of|before|after|back)\b)|^(the )?client (agreed|"
                                r"practiced|participated|completed|tried|role-played|rehearsed)\b", re.I)
_HEDGE = re.compile(r"(?<![\w?])\?(?=\s*\w)|\b(possibl[ey]|maybe|might|perhaps|unclear|unsure|questionabl[ey]|"
                    r"uncertain|probabl[ey]|seem(s|ed)?|appear(s|ed)?|r/o|rule out)\b", re.I)
_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(mg|mcg|g|ml|kg|lbs?|pounds|hours?|hrs?|h|minutes?|mins?|days?|d|weeks?|wks?|"
                   r"months?|mos?|years?|yrs?|%|times)\b", re.I)
_UNIT_NAMES = {"hrs": "hour", "hr": "hour", "h": "hour", "hours": "hour", "mins": "minute", "min": "minute",
               "minutes": "minute", "days": "day", "d": "day", "wks": "week", "wk": "week", "weeks": "week",
               "mos": "month", "mo": "month", "months": "month", "yrs": "year", "yr": "year", "years": "year",
               "lbs": "lb", "pounds": "lb"}


def _units(text: str) -> dict[float, set[str]]:
    found: dict[float, set[str]] = {}
    for value, unit in _UNIT.findall(text):
        unit = unit.lower()
        found.setdefault(float(value), set()).add(_UNIT_NAMES.get(unit, unit))
    return found


def sentence_subject(text: str) -> str | None:
    """Who a note sentence names as its subject (client, clinician, both), or None for a pronoun, a role or none."""
    for actor, pattern in _SUBJECTS:
        if pattern.match(text.strip()):
            return actor
    return None


def actor_problem(text: str, actors: Sequence[str | None]) -> str | None:
    """A sentence whose subject contradicts every source's actor: "Client notified the principal" for the
    clinician's act, "Clinician used ice" for the client's coping."""
    subject = sentence_subject(text)
    known = [a for a in actors if a]
    if subject is None or not known or subject in known:
        return None
    if subject == "client" and _CLIENT_TAKES_PART.match(text.strip()):
        return None
    if subject == "both" and set(known) <= {"client", "clinician"}:
        return None  # a joint sentence over the client's and the clinician's parts
    return f"names the {'clinician and client' if subject == 'both' else subject} as the subject; the key points " \
           f"say {', '.join(sorted(set(known)))}"


def known_words(summary: str, statements: Sequence[Statement] = ()) -> str:
    """The key points as typed and spelled out, normalized: where names and terms are looked up."""
    spelled = [expand_shorthand(s.text) for s in statements] or [expand_shorthand(summary)]
    return _norm(summary + " " + " ".join(spelled))


def sentence_problems(text: str, sources: Sequence[str], summary: str, known: str | None = None,
                      actors: Sequence[str | None] = ()) -> list[str]:
    """What in `text` is not supported by `sources` (the texts of the statements it cites, read as `actors`) or the
    summary: numbers, units, quotations, risk and its polarity, negations, hedges, names, and who acted."""
    problems: list[str] = []
    if (wrong_subject := actor_problem(text, actors)) is not None:
        problems.append(wrong_subject)
    source_text = " ".join(sources)
    expanded = " ".join(expand_shorthand(source) for source in sources)  # each statement's is cached
    allowed = number_values(source_text) | number_values(expanded)
    quotes = _quotes(text)
    unquoted = _without_quotes(text, quotes)
    for quote in quotes:
        if _norm(quote).strip(" .,!?") not in _norm(summary):
            problems.append("a quotation that is not in the key points")
    for value in sorted(number_values(text, words=False) - allowed):
        problems.append(f"the number {value:g}, which the key points do not give")
    source_risks = {(r.kind, r.polarity) for r in read_risks(source_text)} | \
        {(r.kind, r.polarity) for r in read_risks(expanded)}
    source_kinds = {kind for kind, _ in source_risks}
    for risk in read_risks(text):  # read like the sources, quotations included
        label = risk.kind.replace("_", "-")
        if risk.kind not in source_kinds:
            problems.append(f"a {label} risk statement that the key points do not make")
        elif (risk.kind, risk.polarity) not in source_risks and (
                risk.polarity == "denied" or all(p == "denied" for k, p in source_risks if k == risk.kind)):
            problems.append(f"the {label} risk with a different polarity ({risk.polarity}) than the key points")
    stems = _content_stems(unquoted)
    # a quotation from its sources is content enough, whatever frame the sentence puts around it
    cites_a_quote = any(_norm(q).strip(" .,!?") in _norm(source_text) for q in quotes)
    if stems and not cites_a_quote and not stems & _content_stems(source_text + " " + expanded):
        problems.append("nothing in it is in the key points it cites")
    if not NEGATION.search(source_text + " " + expanded) and NEGATION.search(unquoted):
        problems.append("a negation that the key points do not contain")
    if NEGATION.search(source_text) and not NEGATION.search(text):
        problems.append("drops a negation that the key points contain")
    # a hedge inside a quotation stays with the quotation, which is checked above
    if _HEDGE.search(_without_quotes(source_text, _quotes(source_text))) and not _HEDGE.search(unquoted):
        problems.append("drops the uncertainty ('?', 'possible') that the key points express")
    source_units = _units(source_text + " " + expanded)
    for value, units in _units(unquoted).items():
        if value in source_units and not units & source_units[value]:
            problems.append(f"the unit of {value:g} differs from the key points")
    known = known_words(summary) if known is None else known
    for word in _CAPITALIZED.findall(unquoted):
        if word.lower() not in _NOTE_WORDS and word.lower() not in known:
            problems.append(f"the name or term '{word}', which the key points do not contain")
    return problems


def verify_sentence(sentence: Sentence, statements: dict[int, Statement], summary: str,
                    known: str | None = None) -> Sentence:
    """Check one sentence in place and return it: `supported` and `problems` are set."""
    cited = [statements[i] for i in sentence.statement_ids if i in statements]
    if not sentence.sources and cited:
        sentence.sources = [s.span for s in cited]
    if not sentence.sources:
        sentence.supported = False
        sentence.problems = ["no source in the key points"]
        return sentence
    sources = [summary[start:end] for start, end in sentence.sources]
    sentence.problems = sentence_problems(sentence.text, sources, summary, known, [s.actor for s in cited])
    sentence.supported = not sentence.problems
    return sentence


def verify_sections(sections: Sequence[NoteSection], statements: Sequence[Statement], summary: str) -> None:
    by_id = {s.id: s for s in statements}
    known = known_words(summary, statements)
    for section in sections:
        for sentence in section.sentences:
            verify_sentence(sentence, by_id, summary, known)
