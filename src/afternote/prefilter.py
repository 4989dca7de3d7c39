"""Which of many regular expressions could match a text, in one pass: an RE2 set over looser copies of them.

The shorthand table and the risk reader hold hundreds of Python patterns, and Python's `re` tries each one at
every position of a text. RE2 (google-re2) matches a whole set at once in linear time, but knows no lookarounds
and reads `\\b`, `\\d`, `\\w` and `\\s` as ASCII. So each pattern goes into the set loosened: lookarounds and
anchors dropped, and, for a text that is not all ASCII, word boundaries dropped and the classes widened to their
Unicode supersets (in an ASCII text RE2's classes and boundaries are Python's). A loosened pattern matches wherever
the original does (and sometimes where it does not), so `candidates(text)` never leaves out a pattern that would
match: the caller still applies the real Python pattern to the candidates. A pattern RE2 cannot take is always a
candidate.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import re2

# outside a character class: an escape widened to what Python's Unicode class can match
_WIDENED = {"d": r"\pN", "w": r"[\pL\pN\pM_]", "s": r"[\s\pZ\x{85}\x{0b}\x{1c}-\x{1f}]"}
# inside a class (not a negated one: there a wider member would narrow the class)
_WIDENED_IN_CLASS = {"d": r"\pN", "w": r"\pL\pN\pM_", "s": r"\s\pZ\x{85}\x{0b}\x{1c}-\x{1f}"}
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")


def _class_end(pattern: str, start: int) -> int:
    """The index just past the character class that opens at `start`."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1  # a ] first in a class is a member
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group that opens at `start`."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            continue
        depth += char == "("
        depth -= char == ")"
        i += 1
        if depth == 0:
            return i
    raise ValueError("unbalanced group")


def _loosen_class(body: str, ascii_text: bool) -> str:
    negated = body.startswith("[^") or ascii_text
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in "uU":
            width = 4 if body[i + 1] == "u" else 8
            out.append("\\x{" + body[i + 2:i + 2 + width] + "}")
            i += 2 + width
        elif body[i] == "\\" and i + 1 < len(body):
            letter = body[i + 1]
            out.append(_WIDENED_IN_CLASS[letter] if letter in _WIDENED_IN_CLASS and not negated else body[i:i + 2])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def loosened(pattern: str, ascii_text: bool = False) -> str:
    """`pattern` in RE2's syntax, matching at least wherever the Python pattern matches (in a text of ASCII
    characters only, when `ascii_text`: there RE2's and Python's classes and word boundaries agree)."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            letter = pattern[i + 1]
            if letter in "bB" and ascii_text:
                out.append(pattern[i:i + 2])
            elif letter in "bBAZ":
                pass  # an anchor: dropped
            elif letter in "uU":  # Python's \uXXXX is RE2's \x{XXXX}
                width = 4 if letter == "u" else 8
                out.append("\\x{" + pattern[i + 2:i + 2 + width] + "}")
                i += width
            elif letter in _WIDENED and not ascii_text:
                out.append(_WIDENED[letter])
            else:
                out.append(pattern[i:i + 2])
            i += 2
        elif char == "[":
            end = _class_end(pattern, i)
            out.append(_loosen_class(pattern[i:end], ascii_text))
            i = end
        elif pattern.startswith(_LOOKAROUND, i):
            i = _group_end(pattern, i)  # a lookaround: dropped
        elif char in "^$":
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


class PatternSet:
    """Many Python patterns; `candidates(text)` gives the indices of those that might match `text`, in order."""

    def __init__(self, patterns: Sequence[re.Pattern]):
        always: set[int] = set()
        self._sets = {}
        for ascii_text in (True, False):
            options = re2.Options()
            options.max_mem = 64 << 20
            pattern_set = re2.Set.SearchSet(options)
            numbers: list[int] = []  # the set's own numbering -> the pattern's
            for number, pattern in enumerate(patterns):
                flags = "(?i)" if pattern.flags & re.IGNORECASE else ""
                try:
                    pattern_set.Add(flags + loosened(pattern.pattern, ascii_text))
                except (ValueError, IndexError, re2.error):
                    always.add(number)
                    continue
                numbers.append(number)
            pattern_set.Compile()
            self._sets[ascii_text] = (pattern_set, numbers)
        self._always = sorted(always)

    def candidates(self, text: str) -> list[int]:
        pattern_set, numbers = self._sets[text.isascii()]
        found = {numbers[n] for n in pattern_set.Match(text) or ()}
        return sorted(found.union(self._always))

    def any(self, text: str) -> bool:
        return bool(self._always) or bool(self._sets[text.isascii()][0].Match(text))
