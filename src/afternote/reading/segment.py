"""Split key points into statements: lines and bullets, sentences, then semicolon and comma items.

Quotes and parentheses are never split. A heading the clinician typed ("Plan:", "HW -", "Interventions:") is kept
as the statement's `heading`, the strongest evidence of its category; a heading alone on its line applies to the
lines below it until a blank line or the next heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from afternote.drafting.headings import heading_category
from afternote.drafting.statements import Statement

_BULLET = re.compile(r"[ \t]*(?:[-*•·–—▪◦>]+|\(?\d{1,2}[.)])[ \t]+")
_HEADING = re.compile(r"(?P<label>[A-Za-z][A-Za-z/&' -]{0,28}?)[ \t]*(?::|[ \t][-–—][ \t])[ \t]*")
# Abbreviations after which a period does not end a sentence.
_NO_BREAK = {"dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "approx", "st", "sr", "jr", "no", "w", "inc"}
_QUOTE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|(?<![\w'])'(?=\S)[^'\n]*?(?:\w'\w[^'\n]*?)*(?<=\S)'(?!\w)|‘[^’\n]*’")


_ARROW = re.compile(r"(?<![\d%])\s*(?:->|=>|→)\s*(?![\d~])")
_ARROW_AT = re.compile(r"(?:->|=>|→)\s*")


@dataclass
class _Piece:
    start: int
    end: int
    sentence: int
    clause: int
    heading: str | None


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans that must not be split or rewritten: quotations and parentheses."""
    spans = [m.span() for m in _QUOTE.finditer(text)]
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
    return sorted(spans)


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


def _clause_breaks(text: str, start: int, end: int, spans) -> list[int]:
    """Offsets of semicolons and of list commas (a comma followed by a space) outside quotes and parentheses."""
    cuts = []
    arrows = list(_ARROW.finditer(text, start, end))
    # one arrow links two clauses ("reviewed log -> completed 2/5"); several make a chain, kept whole
    marks = [m.start() for m in re.finditer(r";|,(?=\s)", text[start:end])]
    marks = [start + m for m in marks] + ([arrows[0].start()] if len(arrows) == 1 else [])
    for at in sorted(marks):
        if not any(s <= at < e for s, e in spans):
            cuts.append(at)
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
        if label and (category := heading_category(label.group("label"))):
            line_heading, start = category, label.end()
            if not summary[start:line_end].strip():
                block_heading = category
                continue
        heading = line_heading or block_heading
        bounds = [start, *_sentence_breaks(summary, start, line_end, spans), line_end]
        for s_start, s_end in zip(bounds, bounds[1:]):
            s_start, s_end = _trim(summary, s_start, s_end)
            if s_start >= s_end:
                continue
            sentence_heading = heading
            label = _HEADING.match(summary, s_start, s_end)
            if label and s_start != start and (category := heading_category(label.group("label"))):
                sentence_heading, s_start = category, label.end()
            sentence += 1
            clause += 1
            cuts = [s_start, *_clause_breaks(summary, s_start, s_end, spans), s_end]
            for c_start, c_end in zip(cuts, cuts[1:]):
                if summary[c_start] == ";":
                    clause += 1  # a semicolon joins two clauses; a comma joins the items of one list
                c_start, c_end = _trim(summary, c_start, c_end)
                if c_start < c_end and re.search(r"\w", summary[c_start:c_end]):
                    pieces.append(_Piece(c_start, c_end, sentence, clause, sentence_heading))
    return pieces


def segment(summary: str) -> list[Statement]:
    """The statements of the summary, in order, with character spans; categories are read later."""
    return [Statement(id=number, start=p.start, end=p.end, text=summary[p.start:p.end],
                      sentence=p.sentence, clause=p.clause, heading=p.heading)
            for number, p in enumerate(_pieces(summary), 1)]
