"""What the learned reader sees of a clause: its words, their letters, where it stands, and what the rules say.

Features are strings hashed into a fixed number of buckets (the hashing trick), so the shipped model needs no
vocabulary file and an unseen word costs nothing. Pure functions: the same text always gives the same features.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from afternote.reading.cues import category_scores
from afternote.reading.risk import Risk, read_risks

BUCKETS = 1 << 18
_TOKEN = re.compile(r"[a-z0-9]+(?:[/'’.-][a-z0-9]+)*|[?+~<>→]|->|:")
_NUMERIC = re.compile(r"\d")


@dataclass(frozen=True)
class Place:
    """Where a clause stands: its typed heading, its neighbours, its position in the summary."""

    heading: str | None
    index: int               # in the summary's clauses
    count: int
    first_in_sentence: bool
    previous: str            # the clause before (same sentence or not), "" at the start
    sentence_lead: str       # the first clause of its sentence when it is not the first itself
    next: str = ""


def _word_shape(token: str) -> str:
    if _NUMERIC.search(token):
        return re.sub(r"\d+", "0", token)
    return token


def tokens(text: str) -> list[str]:
    return [_word_shape(t) for t in _TOKEN.findall(text.lower())]


def clause_features(text: str, place: Place, with_rules: bool = True, risks: Sequence[Risk] | None = None) -> list[str]:
    """The features of one clause. `with_rules` adds the cue table's and the risk reader's evidence (`risks`, as the
    reader read them over the clause's sentence; read from the clause alone when not given)."""
    words = tokens(text)
    out = [f"w:{w}" for w in words]
    out += [f"b:{a}_{b}" for a, b in zip(words, words[1:])]
    out += [f"f:{w}" for w in words[:2]]
    if words:
        out.append(f"f1:{words[0]}")
        out.append(f"l:{words[-1]}")
    padded = f" {' '.join(words)} "
    for n in (3, 4, 5):
        out += [f"c{n}:{padded[i:i + n]}" for i in range(len(padded) - n + 1)]
    out.append(f"h:{place.heading or '-'}")
    out.append(f"len:{min(len(words), 12) // 3}")
    out.append(f"pos:{min(4, 5 * place.index // max(place.count, 1))}")
    if place.index == place.count - 1:
        out.append("pos:last")
    out.append("item:first" if place.first_in_sentence else "item:cont")
    previous = tokens(place.previous)
    if previous:
        out.append(f"p1:{previous[0]}")
        out += [f"pw:{w}" for w in previous[:4]]
    if place.sentence_lead:
        lead = tokens(place.sentence_lead)
        out += [f"sw:{w}" for w in lead[:3]]
    following = tokens(place.next)
    if following:
        out.append(f"n1:{following[0]}")
    if re.search(r"[\"“”]|(?<!\w)'\w", text):
        out.append("quote")
    if with_rules:
        scores = category_scores(text)
        out += [f"cue:{c}:{min(int(s) // 4, 3)}" for c, s in scores.items()]
        if scores:
            out.append("cuetop:" + max(scores, key=scores.get))
        out += [f"risk:{r.polarity}:{r.experiencer}" for r in (read_risks(text) if risks is None else risks)]
    return out


@lru_cache(maxsize=1 << 17)
def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)


def feature_indices(features: Sequence[str]) -> list[int]:
    return sorted({bucket(f) for f in features})
