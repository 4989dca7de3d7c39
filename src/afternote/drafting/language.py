"""Clinical wording: shorthand spelled out (data/shorthand.toml), third person, past tense for what happened.

Every function here rewrites only what the clinician wrote: nothing is added that the key points do not say.
Quotations are never rewritten.
"""
from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from pathlib import Path

from afternote.prefilter import PatternSet
from afternote.reading.segment import protected_spans, unquoted_speech
from afternote.verbs import parts_of_speech

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "ninety": 90, "hundred": 100, "once": 1, "twice": 2, "half": 0.5, "single": 1, "couple": 2,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "daily": 1, "weekly": 1, "nightly": 1, "both": 2,
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD_NUMBER = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)


def number_values(text: str, words: bool = True) -> set[float]:
    """The numbers a text states, as values: digits ("1,800" is 1800, "6:00" is 6), and number words if asked."""
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    plain = re.sub(r"(?<=\d):00\b", "", plain)
    values = {float(n) for n in _NUMBER.findall(plain)}
    if words:
        values |= {float(NUMBER_WORDS[w.lower()]) for w in _WORD_NUMBER.findall(text)}
    return values


@cache
def _rules() -> list[tuple[re.Pattern, str]]:
    with open(Path(__file__).parent / "data" / "shorthand.toml", "rb") as handle:
        rules = tomllib.load(handle)["rules"]
    return [(re.compile(pattern, re.I), replacement) for pattern, replacement in rules]


def quote_speech(text: str) -> str:
    """A person's own words typed without quotation marks put in them ('he said I'm done' -> 'he said "I'm
    done"'), so that their "I" stays theirs and their words stay as typed."""
    for start, end in reversed(unquoted_speech(text)):
        text = f'{text[:start]}"{text[start:end].rstrip()}"{text[end:]}'
    return text


def _outside_quotes(text: str, rewrite) -> str:
    """Apply `rewrite` to the parts of `text` that are not quotations."""
    quotes = [(s, e) for s, e in protected_spans(text) if text[s] in "\"'“‘"]
    out, last = [], 0
    for start, end in quotes:
        out.append(rewrite(text[last:start]))
        out.append(text[start:end])
        last = end
    out.append(rewrite(text[last:]))
    return "".join(out)


@cache
def _rule_set() -> PatternSet:
    return PatternSet([pattern for pattern, _ in _rules()])


def _expand(text: str) -> str:
    """The rules applied one by one, in order; one RE2 pass says which could match, so the others are skipped.
    After a rule rewrites the text, the pass is made again for the rules after it."""
    rules, gate = _rules(), _rule_set()
    candidates = gate.candidates(text)
    while candidates:
        number = candidates.pop(0)
        pattern, replacement = rules[number]
        rewritten = pattern.sub(replacement, text)
        if rewritten != text:
            text = rewritten
            candidates = [n for n in gate.candidates(text) if n > number]
    return text


@lru_cache(maxsize=8192)
def expand_shorthand(text: str) -> str:
    """Shorthand spelled out ("pt c/o" -> "client reported", "SI/HI neg" -> "denied suicidal and homicidal
    ideation", "~5h" -> "approximately 5 hours"), quotations untouched."""
    return _outside_quotes(text, _expand)


# First person to third: the note is about the client and written of the clinician.
_PRESENT_AFTER_I = {"think": "thinks", "feel": "feels", "need": "needs", "want": "wants", "believe": "believes",
                    "have": "has", "do": "does", "see": "sees", "notice": "notices", "suspect": "suspects",
                    "wonder": "wonders", "know": "knows", "agree": "agrees", "plan": "plans", "am": "is",
                    "recommend": "recommends", "consider": "considers", "hope": "hopes"}
# "I" typed in lower case, as dictated key points often are ("i think he's close"), but never a numeral ("bipolar
# i", "type i", "(i)") nor a letter of "i.e." or "CBT-i"
_I = (r"(?:\bI|\bi(?<!bipolar i)(?<!type i)(?<!phase i)(?<!stage i)(?<!level i)(?<!class i)(?<!part i))"
      r"(?<![-/&.(][Ii])")
_PERSON = [
    (re.compile(_I + r"['’]m\b|" + _I + r" am\b"), "the clinician is"),
    (re.compile(_I + r"['’]ve\b"), "the clinician has"),
    (re.compile(_I + r"['’]ll\b"), "the clinician will"),
    (re.compile(_I + r"['’]d\b"), "the clinician would"),
    (re.compile(_I + r" (" + "|".join(_PRESENT_AFTER_I) + r")\b"),
     lambda m: "the clinician " + _PRESENT_AFTER_I[m.group(1)]),
    (re.compile(r"(?<![-/&])\bI\b(?![-/&])"), "the clinician"),  # not the I of CBT-I or A/I
    (re.compile(_I + r"(?= [a-z])"), "the clinician"),
    # "we (me and interpreter)": the clinician and whoever the clinician says "we" were
    (re.compile(r"\bwe \((?:me|I|myself) (?:and|\+|&) (?:the |my )?([^()]{1,30})\)", re.I), r"the clinician and \1"),
    (re.compile(r"\bwe['’]re\b", re.I), "clinician and client are"),
    (re.compile(r"\bwe['’]ve\b", re.I), "clinician and client have"),
    (re.compile(r"\bwe['’]ll\b", re.I), "clinician and client will"),
    (re.compile(r"\bwe\b", re.I), "clinician and client"),
    (re.compile(r"\bour\b", re.I), "the"),
    (re.compile(r"\bus\b", re.I), "clinician and client"),
    (re.compile(r"\bmyself\b", re.I), "the clinician"),
    (re.compile(r"\bmy\b", re.I), "the clinician's"),
    (re.compile(r"\bme\b", re.I), "the clinician"),
]


_ANY_FIRST_PERSON = re.compile(r"\b(?:i|we|us|our|my|me|myself)\b", re.I)


def _third_person(text: str, we: str) -> str:
    if not _ANY_FIRST_PERSON.search(text):
        return text  # most items hold no first person at all
    for pattern, replacement in _PERSON:
        if isinstance(replacement, str) and replacement.startswith("clinician and client"):
            replacement = replacement.replace("clinician and client", we)
        text = pattern.sub(replacement, text)
    return text


def third_person(text: str, we: str = "clinician and client") -> str:
    """'I used' -> 'the clinician used', 'we practiced' -> 'clinician and client practiced' (or whoever `we`
    are: 'clinician and supervisor'); quotations kept."""
    return _outside_quotes(text, lambda part: _third_person(part, we))


_SHOUTED_WORD = re.compile(r"\b[A-Z][A-Z']+\b")
# short words of English's closed classes, which the lexicon of open-class words does not hold
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet of in on at by to for from with without into onto over under about after before "
    "during since until than then as if not no is am are was were be been has have had do does did will would can "
    "could should may might must this that these those it its he him his she her they them their we us our i me my "
    "you your who what when where why how which there here all any each every some both very too also just only "
    "again still out up down off per via".split())
# names the lexicon of common words does not hold, written with their capital when typed in capitals ("THURSDAY",
# "SPANISH"); "MAY" and "MARCH" are left to the lexicon, as words far more often than months
_PROPER_NOUNS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february april june july september october "
    "november december english spanish french arabic portuguese mandarin cantonese vietnamese somali haitian creole "
    "russian korean japanese hindi urdu farsi dari pashto tagalog swahili amharic polish ukrainian".split())
# acronyms that are also English words and mean the acronym in clinical key points
_ACRONYM_WORDS = frozenset({"ACT", "ERP", "ADD", "SAD", "CAT", "IT", "ED", "ER"})


# "IN PT", "MISSED PT": physical therapy, as shorthand.toml reads PT after these words; elsewhere PT is the patient
_THERAPY_BEFORE = re.compile(r"\b(?:in|to|attending|attends|started|starts|began|missed|from|after|with|and) $", re.I)


def _shouted_word(match: re.Match) -> str:
    """A word of text typed in capitals: an English word in lower case ("BY" -> "by", "SAY" -> "say", "PT" the
    patient -> "pt"), an acronym as typed ("DBT", "SI", "PHQ")."""
    word = match.group(0)
    lower = word.lower()
    if word in _ACRONYM_WORDS:
        return word
    if lower.removesuffix("s") in _PROPER_NOUNS:  # "THURSDAYS" too
        return word[0] + lower[1:]
    if lower in ("pt", "pts"):
        return word if _THERAPY_BEFORE.search(match.string[max(0, match.start() - 12):match.start()]) else lower
    if len(word) >= 5 or lower in _FUNCTION_WORDS or parts_of_speech(lower):
        return lower
    return word


def unshout(text: str, typed_in: str | None = None) -> str:
    """Key points typed in capitals read as ordinary prose: English words are lowercased ("REFERRED BY" ->
    "referred by"); acronyms (SI, CBT, EMDR, PTSD) stay. `typed_in` is the line the text comes from, which says
    whether it was typed in capitals when the text alone is too short to tell ("PT 19 Y/O FEMALE")."""
    if not _typed_in_capitals(text) and not (typed_in and _typed_in_capitals(typed_in)):
        return text  # neither this clause nor its line is typed in capitals
    return _SHOUTED_WORD.sub(_shouted_word, text)


_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1024)
def _typed_in_capitals(line: str) -> bool:
    """At least 12 letters, 60% of them capitals. (Cached: the clauses of one line ask about the same line.)"""
    letters = _LETTER.findall(line)
    return len(letters) >= 12 and sum(map(str.isupper, letters)) >= 0.6 * len(letters)


_AFTER_SENTENCE_END = re.compile(r"(?<=[.!?] )(the clinician|clinician and)\b")


def in_third_person(text: str, we: str = "clinician and client") -> str:
    """First person made third; a sentence opens with "Clinician", not "The clinician" (nor "clinician and
    client" after the full stop of a sentence before it)."""
    text = third_person(text, we)
    text = _AFTER_SENTENCE_END.sub(lambda m: "Clinician" if m.group(1) == "the clinician" else "Clinician and", text)
    return "Clinician" + text[len("the clinician"):] if text.lower().startswith("the clinician ") else text


def clinical(text: str) -> str:
    """Shorthand spelled out and first person made third, quotations kept verbatim."""
    return in_third_person(expand_shorthand(text))


def capitalize(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1:]
        if char.isdigit() or char in "\"'“‘":
            return text
    return text


def end_sentence(text: str) -> str:
    text = text.rstrip(" ,;:-")
    if re.search(r"[.!?][\"'”’)]*$", text):
        return text
    return text + "."
