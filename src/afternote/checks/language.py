"""Language check: the builtin engine drafts English only, so key points in another language are flagged."""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from afternote.reading.statements import Statement
from afternote.note import Finding, Note
from afternote.plugins import hookimpl
from afternote.session import Session

# Too few words to judge: a three-word note ("pt no-show, called") says nothing about its language.
MIN_WORDS = 5
# Below this share of known words (or above this share of non-Latin letters) the key points are not English.
MIN_KNOWN_SHARE = 0.25
MAX_NON_LATIN_SHARE = 0.3
_WORD = re.compile(r"[^\W\d_]+(?:['’/][^\W\d_]+)*")
_SUFFIXES = ("'s", "’s", "s", "es", "ed", "d", "ing", "ly")


@cache
def english_words() -> frozenset[str]:
    lines = (Path(__file__).parent / "data" / "english_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.lower() for line in lines if not line.startswith("#") for w in line.split())


def _known(word: str) -> bool:
    words = english_words()
    return word in words or any(word.endswith(s) and word[:-len(s)] in words for s in _SUFFIXES)


def looks_english(text: str) -> bool:
    """Whether `text` reads as English: mostly Latin letters and enough common English words.

    Abbreviations in capitals (PHQ, CBT, SI) are left out of the count: they say nothing about the language."""
    letters = [c for c in text if c.isalpha()]
    if letters:
        non_latin = sum(1 for c in letters if not c.isascii() and not unicodedata.name(c, "").startswith("LATIN"))
        if non_latin / len(letters) > MAX_NON_LATIN_SHARE:
            return False
    words = [w.lower() for w in _WORD.findall(text) if not w.isupper()]
    if len(words) < MIN_WORDS:
        return True
    return sum(_known(w) for w in words) / len(words) >= MIN_KNOWN_SHARE


def summary_not_english(note: Note, statements: list[Statement], session: Session) -> list[Finding]:
    if looks_english(" ".join(s.text for s in statements)):
        return []
    return [Finding(
        "summary-not-english", "warning",
        "The key points do not look like English; the built-in engine drafts English only.",
        hint="Type the key points in English, or use a language-model engine that handles your language; "
             "check every sentence of this draft against the key points.")]


@hookimpl
def register_checks(register):
    register(summary_not_english)
