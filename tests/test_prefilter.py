"""The RE2 prefilter never leaves out a pattern that matches, so skipping the others changes nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afternote.drafting.language import _expand, _rule_set, _rules
from afternote.prefilter import PatternSet, loosened
from afternote.reading import corpus
from afternote.reading.risk import rules as risk_rules
from afternote.reading.segment import segment

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# pieces clinicians type, shorthand and risk words among them, with the characters where RE2 and Python differ:
# accented letters, curly quotes, other scripts' digits, unusual spaces
PIECES = ["pt", "PT", "c/o", "x 2 wks", "x3", "2x/wk", "q2wk", "SI/HI neg", "HI", "denies", "cut", "cutting",
          "suicidal", "kill myself", "f/u", "1wk", "~5h", "w/", "b/c", "->", "cont", "re", "nxt", "appt", "tx",
          "hx", "s/p", "d/c", "BID", "PRN", "1/9", "oriented x3", "CBT-I", "LC", "19F", "\u2019", "\u201c", "é",
          "Zoë", "\u0663", "\u00a0", "\u2009", "\n", "-", "+", ":", "(", ")", ",", ".", "'", '"', "10", "0", " ",
          "reports", "mom", "she", "I", "we", "safety plan", "988", "OD", "NSSI", "self-harm", "ſ", "\u212a"]
texts_typed = st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join)


def corpus_clauses() -> list[str]:
    return [clause.text for case in corpus.load(CORPUS) for clause in segment(case.summary)]


def shorthand_patterns() -> list[re.Pattern]:
    return [pattern for pattern, _ in _rules()]


def matching(patterns: list[re.Pattern], text: str) -> set[int]:
    return {number for number, pattern in enumerate(patterns) if pattern.search(text)}


def test_every_shorthand_rule_and_the_risk_targets_go_into_the_set():
    assert PatternSet(shorthand_patterns())._always == []
    assert PatternSet([risk_rules().any_target])._always == []


def test_on_every_clause_of_the_corpus_each_matching_rule_is_a_candidate():
    patterns = shorthand_patterns()
    gate = PatternSet(patterns)
    clauses = corpus_clauses()
    assert len(clauses) > 10_000
    for text in clauses:
        assert matching(patterns, text) <= set(gate.candidates(text)), text
    # and it is a filter: most rules are skipped for most clauses
    assert sum(len(gate.candidates(t)) for t in clauses) < 0.02 * len(patterns) * len(clauses)


@settings(max_examples=400, deadline=None)
@given(texts_typed)
def test_a_matching_rule_is_always_a_candidate(text):
    assert matching(shorthand_patterns(), text) <= set(_rule_set().candidates(text))


@settings(max_examples=400, deadline=None)
@given(texts_typed)
def test_the_risk_gate_passes_every_text_that_names_a_risk(text):
    rules = risk_rules()
    if rules.any_target.search(text):
        assert rules.any_target_gate.any(text)


@settings(max_examples=300, deadline=None)
@given(texts_typed)
def test_shorthand_spelled_out_as_if_every_rule_were_tried_in_order(text):
    every_rule = text
    for pattern, replacement in _rules():
        every_rule = pattern.sub(replacement, every_rule)
    assert _expand(text) == every_rule


def test_lookarounds_and_anchors_are_dropped_and_word_boundaries_kept_in_ascii():
    assert loosened(r"(?<![\d,.])(\d+)\s*secs?\b(?=\s)") == r"(\pN+)[\s\pZ\x{85}\x{0b}\x{1c}-\x{1f}]*secs?"
    assert loosened(r"(?<![\d,.])(\d+)\s*secs?\b(?=\s)", ascii_text=True) == r"(\d+)\s*secs?\b"
    assert loosened(r"^\bq(?!uiet)[^\w]$") == r"q[^\w]"


@pytest.mark.parametrize("text", ["\u0663 secs", "caf\u00e9 5\u00a0secs", "\u212aill"])
def test_python_classes_wider_than_re2_still_pass_the_gate(text):
    patterns = [re.compile(r"\b(\d+)\s*secs?\b", re.I), re.compile(r"\bkill", re.I)]
    assert matching(patterns, text) <= set(PatternSet(patterns).candidates(text))
    assert matching(patterns, text)  # each text matches one of them in Python


def test_a_pattern_re2_cannot_take_is_always_a_candidate():
    patterns = [re.compile(r"(ab)\1"), re.compile(r"xyz")]
    gate = PatternSet(patterns)
    assert gate._always == [0]
    assert gate.candidates("nothing here") == [0]
    assert gate.candidates("abab xyz") == [0, 1]

