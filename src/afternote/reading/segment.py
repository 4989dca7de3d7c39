"""Split key points into statements: lines and bullets, sentences, then semicolon and comma items.

Quotes and parentheses are never split. A heading the clinician typed ("Plan:", "HW -", "Interventions:") is kept
as the statement's `heading`, the strongest evidence of its category; a heading alone on its line applies to the
lines below it until a blank line or the next heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from afternote.reading.headings import heading_category
from afternote.reading.statements import Statement

_BULLET = re.compile(r"[ \t]*(?:[-*•·–—▪◦>]+|\(?\d{1,2}[.)])[ \t]+")
_HEADING = re.compile(r"(?P<label>[A-Za-z][A-Za-z/&' -]{0,28}?)[ \t]*(?::|[ \t][-–—][ \t])[ \t]*")
# Abbreviations after which a period does not end a sentence.
_NO_BREAK = {"dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "approx", "st", "sr", "jr", "no", "w", "inc"}
_QUOTE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|(?<![\w'])'(?=\S)[^'\n]*?(?:\w'\w[^'\n]*?)*(?<=\S)'(?!\w)|‘[^’\n]*’")


_ARROW = re.compile(r"(?<![\d%])(?<![\d%] )\s*(?:->|=>|→)(?!\s*[\d~])\s*")
_ARROW_AT = re.compile(r"(?:->|=>|→)\s*")


@dataclass
class _Piece:
    start: int
    end: int
    sentence: int
    clause: int
    heading: str | None


# a person's words typed without quotation marks: "he said I've lived long enough, I wouldn't mind going" (the
# speaker's "I", not the clinician's). Only an "I" that speaks of the speaker's own state opens such words: in
# "mom said I could call the school" or "she said that I was helpful" the "I" is the clinician
_SPEECH_VERBS = r"said|says|stated|states|replied|replies|answered|told (?:me|us)|added|admitted|kept saying"
_UNQUOTED_SPEECH = re.compile(
    r"(?i:\b(?:he|she|they|pt|client|mom|dad|mother|father|son|daughter|wife|husband|partner|child)|\b[A-Z][a-z]+)"
    r"\s+(?i:" + _SPEECH_VERBS + r")[,:]?\s+"
    r"(?P<speech>[Ii](?:['’](?:m|ve|d|ll)\b|\s+(?:am|feel|felt|don['’]?t|do not|didn['’]?t|want|wanted|hate|can['’]?t|"
    r"cannot|just|never|wouldn['’]?t|think|know|wish|need|love|like|won['’]?t|keep|always|still|really|have|mean|"
    r"swear)\b)"
    # the words end with the sentence, or where the clinician goes on in the first person ("..., I suggested a walk")
    r"(?:(?!,\s*(?:and\s+|but\s+|so\s+)?(?:I|we)\s+(?:\w+ed|asked|told|gave|said|taught|did|went|made|had)\b)"
    r"[^.;!?\n\"“”])*)")


_SPEECH_GATE = re.compile(r"(?:" + _SPEECH_VERBS + r")[,:]?\s+[Ii]\b", re.I)  # a cheap test first: most texts hold none


def unquoted_speech(text: str) -> list[tuple[int, int]]:
    """Spans of a person's own words typed without quotation marks, from their first "I" to the sentence's end."""
    if not _SPEECH_GATE.search(text):
        return []
    return [m.span("speech") for m in _UNQUOTED_SPEECH.finditer(text)]


@lru_cache(maxsize=8192)
def protected_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans that must not be split or rewritten: quotations, parentheses, and words quoted without marks.
    (Cached: the reader, the writer and the verifier ask about the same texts.)"""
    spans = [m.span() for m in _QUOTE.finditer(text)] + unquoted_speech(text)
    depth, opened = 0, 0
    for index, char in enumerate(text):
        if char in "([":
            if depth == 0:
                opened = index
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, index + 1))
    return tuple(sorted(spans))


def _inside(index: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < index < end for start, end in spans)


def _sentence_breaks(text: str, start: int, end: int, spans) -> list[int]:
    """Offsets just after each sentence-ending mark between start and end."""
    breaks = []
    for match in re.finditer(r"[.!?]+[\"'”’)]*(?=\s+\S)", text[start:end]):
        at = start + match.start()
        if _inside(start + match.end(), spans):
            continue
        word = re.search(r"([A-Za-z.]+)$", text[start:at])
        if match.group().startswith(".") and word and (
                word.group(1).lower().strip(".") in _NO_BREAK or re.fullmatch(r"[A-Z]", word.group(1))):
            continue  # an abbreviation or an initial ("K."), not the end of a sentence
        breaks.append(start + match.end())
    return breaks


# after a comma, these words go on with the same fact ("labs were normal, including potassium")
_CONTINUES = re.compile(r"\s*(including|such as|especially|particularly|mostly|mainly|except|which|who|whom|whose|"
                        r"where|though|although|even though|as well as|rather than|than|like|so that|because|since|"
                        r"with|without|w/|w/o|not|no plan|no intent|none|both|each|either|etc|e\.g\.|i\.e\.|"
                        r"(?:most )?likely|probably|possibly|consistent with|c/w|r/o|versus|vs\.?|"
                        r"no (?:obvious |visible )?(?:signs?|evidence) of infection|"  # a wound's status
                        r"at least|at most|up from|down from|from|per|approx|about|around|in (?:the|a|an|her|his|"
                        r"their)\b|on (?:the|a|an)\b|for (?:the|a|an)\b)\b", re.I)
# "Per client, ...", "In session, ...": a short lead-in is no clause of its own
_LEAD_IN = re.compile(r"\s*(per|in|at|on|today|overall|otherwise|also|however|when|after|before|during|since|this|"
                      r"last|according|as|for|by|despite|initially|later|afterwards|again|now|currently)\b", re.I)
_LEAD_WORDS = 3
# "When I asked about SI, she denied": the question leads in to its answer, however long it is
_ASKED_LEAD = re.compile(r"\s*(?:when|once|after|if)\s+(?:(?:i|we|writer|this writer|clinician|the clinician|"
                         r"therapist)\s+)?(?:asked|inquired|checked|followed up|screened|probed)\b", re.I)
_ASKED_LEAD_WORDS = 12
# a conjunction that starts another fact with its own subject ("... and then she described the funeral"): the
# conjunction itself belongs to neither clause
_NEW_SUBJECT = re.compile(r"\s+(?:and then|so then|and also|and|but|so|then|plus|also)\s+(?=(?:then\s+|also\s+)?"
                          r"(?:i|we|she|he|they|pt|client|mom|dad|mother|father|parents?|partner|the client|"
                          r"the clinician|clinician|therapist|husband|wife|teacher|her (?:mom|mother|dad|father|"
                          r"husband|wife|partner)|his (?:mom|mother|dad|father|wife|partner))\b"
                          # a possessive or an object is no new subject: "removed the cord and client's razors",
                          # "will call ED SW and pt tmrw"
                          r"(?!['’]s\b)(?!\s*(?:$|[,.;)]|tmrw|tomorrow|today|tonight|together|too|both|as well|"
                          r"re\b|about\b|and\b|or\b|to\b|for\b|at\b|in\b|on\b|with\b|w/)))", re.I)

# dictated key points run on without punctuation: in a long run, a subject with its verb starts a clause
_RUN_ON_WORDS = 20
_RUN_ON_SUBJECT = re.compile(r"(?<!\bthe)\s+(?:and\s+|so\s+|then\s+|but\s+)*(?=(?:she|he|they|i|we|pt|(?:the )?client|mom|dad|"
                             r"her \w+|his \w+)\s+(?:\w+ed|said|did|was|were|had|has|is|are|felt|went|got|made|told|"
                             r"came|thinks?|think|feels?|wants?|reports?|denie[sd]|cried|kept|stayed|took|gave|"
                             r"taught|spent|slept|saw)\b)", re.I)

# a subject after these words belongs to the clause they open: "we agreed no duty to warn since he denied intent"
# (and after a verb of saying or thinking, whose object it is: "he said he feels calmer")
_SUBORDINATOR_BEFORE = re.compile(r"\b(?:since|because|bc|b/c|when|whenever|if|that|after|before|while|until|"
                                  r"although|though|as|unless|whether|where|so that|even though|said|says|say|"
                                  r"told (?:me|her|him|them|us)|tells (?:me|her|him|them|us)|thinks?|thought|feels?|"
                                  r"felt|knows?|knew|reported|reports|stated|states|admitted|explained|realized|"
                                  r"noticed|decided|hopes?|hoped|worries|worried|wonders?|wondered|believes?|"
                                  r"guess|guessed|means?|meant)\s*$", re.I)


def _clause_breaks(text: str, start: int, end: int, spans) -> list[tuple[int, int, bool]]:
    """The gaps between clauses of one sentence, as (end of one, start of the next, whether the next starts a new
    clause rather than the next item of a list): semicolons, list commas
    (a comma followed by a space), one arrow between two events, and a conjunction before a new subject; never
    inside quotes or parentheses. A comma after a short lead-in, or before words that go on with the same fact, is
    no break."""
    arrows = list(_ARROW.finditer(text, start, end))
    # one arrow links two clauses ("reviewed log -> completed 2/5"); several make a chain, kept whole
    gaps = [(start + m.start(), start + m.end(), m.group() == ";") for m in re.finditer(r";|,(?=\s)", text[start:end])]
    gaps += [(arrows[0].start(), arrows[0].start() + 1, False)] if len(arrows) == 1 else []
    gaps += [(*m.span(), True) for m in _NEW_SUBJECT.finditer(text, start, end)]
    if len(text[start:end].split()) > _RUN_ON_WORDS and not re.search(r"[,;]", text[start:end]):
        gaps += [(*m.span(), True) for m in _RUN_ON_SUBJECT.finditer(text, start, end)
                 if m.start() > start and not _SUBORDINATOR_BEFORE.search(text, start, m.start())]
    cuts: list[tuple[int, int, bool]] = []
    last = start
    for at, after, new_clause in sorted(gaps):
        if any(s <= at < e for s, e in spans) or at < last:
            continue
        if text[at] == ",":
            before = re.findall(r"[\w/'-]+", text[last:at])
            lead_in = last == start and (len(before) <= _LEAD_WORDS and _LEAD_IN.match(text, last) or
                                         len(before) <= _ASKED_LEAD_WORDS and _ASKED_LEAD.match(text, last))
            if lead_in or _CONTINUES.match(text, at + 1, end):
                continue
        cuts.append((at, after, new_clause))
        last = after
    return cuts


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    arrow = _ARROW_AT.match(text, start, end)
    if arrow:
        start = arrow.end()
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def _pieces(summary: str) -> list[_Piece]:
    spans = protected_spans(summary)
    pieces: list[_Piece] = []
    sentence = clause = 0
    block_heading: str | None = None
    offset = 0
    for line in summary.splitlines(keepends=True):
        line_start, line_end = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        if not summary[line_start:line_end].strip():
            block_heading = None
            continue
        bullet = _BULLET.match(summary, line_start, line_end)
        start = bullet.end() if bullet else line_start
        line_heading = None
        label = _HEADING.match(summary, start, line_end)
        if label and (category := heading_category(label.group("label"))) is not None:
            line_heading, start = category or None, label.end()
            if not summary[start:line_end].strip():
                block_heading = category or None
                continue
        heading = line_heading or block_heading
        bounds = [start, *_sentence_breaks(summary, start, line_end, spans), line_end]
        for s_start, s_end in zip(bounds, bounds[1:]):
            s_start, s_end = _trim(summary, s_start, s_end)
            if s_start >= s_end:
                continue
            sentence_heading = heading
            label = _HEADING.match(summary, s_start, s_end)
            if label and s_start != start and (category := heading_category(label.group("label"))) is not None:
                sentence_heading, s_start = category or heading, label.end()
            sentence += 1
            clause += 1
            pieces_of_sentence = [(s_start, False)]
            ends = []
            for at, after, new_clause in _clause_breaks(summary, s_start, s_end, spans):
                ends.append(at)
                pieces_of_sentence.append((after, new_clause))
            ends.append(s_end)
            for (c_start, new_clause), c_end in zip(pieces_of_sentence, ends):
                clause += new_clause  # a semicolon or a new subject starts a clause; a comma joins list items
                c_start, c_end = _trim(summary, c_start, c_end)
                if c_start < c_end and re.search(r"\w", summary[c_start:c_end]):
                    pieces.append(_Piece(c_start, c_end, sentence, clause, sentence_heading))
    return pieces


def sentence_runs(statements) -> list[tuple[int, int]]:
    """The (start, end) index ranges of the statements of each sentence, in order: what is read together."""
    runs, index = [], 0
    while index < len(statements):
        end = index
        while end < len(statements) and statements[end].sentence == statements[index].sentence:
            end += 1
        runs.append((index, end))
        index = end
    return runs


def segment(summary: str) -> list[Statement]:
    """The statements of the summary, in order, with character spans; categories are read later."""
    return [Statement(id=number, start=p.start, end=p.end, text=summary[p.start:p.end],
                      sentence=p.sentence, clause=p.clause, heading=p.heading)
            for number, p in enumerate(_pieces(summary), 1)]
