"""Verb forms from lemminflect's English lexicon: is a word a verb's base form, and what are its past and present.

The key points are often typed without tense ("Clinician ask about SI", "wife work nights"); the note says what
happened in the past tense and what is standing in the present, with the verb the clinician chose. The lexicon loads
on first use (about 0.35 s, once per process).
"""
from __future__ import annotations

import re
from functools import lru_cache

_NOT_VERBS = {"be", "do", "have", "will", "can", "may", "must", "shall", "need", "dare", "ought", "let", "please",
              "third"}  # the lexicon's rare verb "to third": "third session of CBT-I" is never "Client thirded"
# what follows a verb and not a noun: an object pronoun, a preposition, an article, "to", a quotation or a
# reported clause ("pt say "my head..."", "he say she left")
_VERB_FOLLOWS = re.compile(r"^(?:(him|her|them|me|us|it|himself|herself|themselves|in|on|at|to|with|about|from|for|"
                           r"into|out|up|down|off|over|back|home|the|a|an|his|her|their|that|this|what|how|if|"
                           r"when|again|directly|together|why|who|alone|separately|after|before|by|through|outside|"
                           r"inside|away|not|never|he|she|they|i|we|you)\b|[\"“'‘])", re.I)


@lru_cache(maxsize=4096)
def _forms(word: str, upos: str) -> dict[str, tuple[str, ...]]:
    from lemminflect import getAllInflections  # lazy: the lexicon loads on first use
    return getAllInflections(word, upos=upos)


@lru_cache(maxsize=1 << 14)
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    from lemminflect import getAllLemmas  # lazy, like _forms
    return getAllLemmas(word)


def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech the lexicon knows a lower-case word as ("legs": NOUN; "restless": ADJ); empty for a word
    it does not know (an acronym, a name, a typo)."""
    return frozenset(_lemmas(word))


def base_verb(word: str, following: str = "", expect_verb: bool = False) -> bool:
    """Whether `word` is a verb in its base form here: a verb only, or a verb and a noun followed by what follows
    verbs ("work in a restaurant", not "work stress"), or wherever a verb is expected (a plan: "call PCP"); never a
    word that is also an adjective."""
    word = word.lower()
    if word in _NOT_VERBS or not word.isalpha() or len(word) < 2:
        return False
    forms = _forms(word, "VERB")
    if not forms or forms.get("VB", ("",))[0] != word:
        return False
    if _forms(word, "ADJ"):
        return False  # "client negative for SI", "open to it": a predicate with its copula dropped
    if _forms(word, "NOUN"):
        return expect_verb or bool(_VERB_FOLLOWS.match(following.strip()))
    return True


def lemma(word: str) -> str:
    """A lower-case word's dictionary form ("showed" -> "show", "cried" -> "cry"), or the word when the lexicon does
    not know it."""
    found = _lemmas(word)
    return next((found[upos][0] for upos in ("VERB", "NOUN", "ADJ") if found.get(upos)), word)


def past_tense(word: str) -> bool:
    """Whether `word` is a verb's simple past ("separated", "told"), by the lexicon."""
    word = word.lower()
    return any(word in _forms(base, "VERB").get("VBD", ()) for base in _lemmas(word).get("VERB", ()))


def past(word: str) -> str:
    """'ask' -> 'asked', 'bring' -> 'brought'; the word as given when the lexicon has no past."""
    found = _forms(word.lower(), "VERB").get("VBD")
    return _same_case(word, found[0]) if found else word


def present(word: str, plural: bool = False) -> str:
    """'work' -> 'works' (or 'work' for a plural subject)."""
    if plural:
        return word
    found = _forms(word.lower(), "VERB").get("VBZ")
    return _same_case(word, found[0]) if found else word


def _same_case(original: str, form: str) -> str:
    return form.upper() if original.isupper() and len(original) > 1 else form
