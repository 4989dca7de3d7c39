"""Read the key points: clauses, each with its category, actor, time, risk and the model's confidence.

    segment -> features -> learned model -> guard (headings, risk, typed subjects) -> statements

Risk is read over the whole sentence, so a denial covers its list ("denies SI, HI, AVH" is three clauses, each a
denial), then each mention goes to the clause that holds it.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from afternote.reading.features import Place, clause_features
from afternote.reading.guard import guard_actor, guard_category, role_of, typed_subject
from afternote.reading.model import ReaderModel, shipped_model
from afternote.reading.modality import members_only, modality_of, partners_only
from afternote.reading.cues import NEGATION, reactions_as_response, rule_categories
from afternote.reading.risk import Risk, read_risks
from afternote.reading.segment import protected_spans, segment, sentence_runs
from afternote.reading.statements import Statement

# in a group note the rest of a sentence that began with another member is about that member, not the client
GROUP_MEMBERS = ("another group member",)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# what it costs (in log-probability) for the next item of one list to change category: items of one sentence
# tell one thing unless the model is sure they do not ("tense, fidgeting, affect congruent" is one observation)
SWITCH_PENALTY = 2.0
SEMICOLON_PENALTY = 0.7


def smooth_categories(statements: Sequence[Statement], scores: Sequence[dict[str, float]],
                      switch: float = SWITCH_PENALTY, semicolon: float = SEMICOLON_PENALTY) -> list[str]:
    """The most likely categories for each sentence's items together (Viterbi): a change of category between two
    items of one sentence costs `switch`, across a semicolon `semicolon`; sentences are independent."""
    out: list[str] = []
    for index, end in sentence_runs(statements):
        labels = list(scores[index])
        best = {c: math.log(scores[index][c] + 1e-9) for c in labels}
        back: list[dict[str, str]] = []
        for i in range(index + 1, end):
            cost = semicolon if statements[i].clause != statements[i - 1].clause else switch
            step, came = {}, {}
            for c in labels:
                prev = max(labels, key=lambda p: best[p] - (cost if p != c else 0.0))
                step[c] = best[prev] - (cost if prev != c else 0.0) + math.log(scores[i][c] + 1e-9)
                came[c] = prev
            best = step
            back.append(came)
        path = [max(labels, key=best.get)]
        for came in reversed(back):
            path.append(came[path[-1]])
        out.extend(reversed(path))
    return out


# The cue table's own reading (list and heading logic included) weighs in as a prior: its category counts this many
# times the model's probability. 2 did best on both held-out authors with the model trained on ten authors (3 did
# with six); it fixes lists the model tears apart. docs/quality.md has the figures.
RULE_PRIOR = 2.0


def _with_prior(scores: dict[str, float], rule: str) -> dict[str, float]:
    weighted = {c: p * (RULE_PRIOR if c == rule else 1.0) for c, p in scores.items()}
    total = sum(weighted.values())
    return {c: p / total for c, p in weighted.items()}


def places(statements: Sequence[Statement]) -> list[Place]:
    """Where each statement stands, for its features."""
    out = []
    lead: dict[int, Statement] = {}
    for index, statement in enumerate(statements):
        first = index == 0 or statements[index - 1].sentence != statement.sentence
        lead.setdefault(statement.sentence, statement)
        out.append(Place(
            heading=statement.heading, index=index, count=len(statements), first_in_sentence=first,
            previous=statements[index - 1].text if index else "",
            sentence_lead="" if first else lead[statement.sentence].text,
            next=statements[index + 1].text if index + 1 < len(statements) else ""))
    return out


def sentence_risks(summary: str, statements: Sequence[Statement]) -> list[tuple[Risk, ...]]:
    """Each statement's risk mentions, read over its sentence, with spans in the summary."""
    found: list[list[Risk]] = [[] for _ in statements]
    for index, end in sentence_runs(statements):
        start_at, end_at = statements[index].start, statements[end - 1].end
        for risk in read_risks(summary[start_at:end_at]):
            at = start_at + risk.start
            owner = max((i for i in range(index, end) if statements[i].start <= at), default=index)
            found[owner].append(replace(risk, start=at, end=start_at + risk.end))
    return [tuple(r) for r in found]


def read_statements(summary: str, model: ReaderModel | None = None, modality: str | None = None) -> list[Statement]:
    """Segment the summary and read every statement. `modality` is the session's, when the software knows it."""
    statements = segment(summary)
    if not statements:
        return []
    model = model or shipped_model()
    risks = sentence_risks(summary, statements)
    predictions = model.predict([clause_features(s.text, p, risks=r)
                                 for s, p, r in zip(statements, places(statements), risks)])
    scores = [p["category"].scores for p in predictions]
    scores = [_with_prior(sc, rule) for sc, rule in zip(scores, rule_categories(statements))]
    smoothed = smooth_categories(statements, scores)
    session_modality = modality_of(summary, modality)
    partners = partners_only(summary, session_modality)
    whole_group = members_only(summary, session_modality)
    members: dict[int, str] = {}  # sentence -> the group member it is about, in a group session
    speakers: dict[int, str] = {}  # sentence -> the other person it last named ("mom: ... | said she's tired")
    out = []
    for index, (statement, risk, predicted, label) in enumerate(zip(statements, risks, predictions, smoothed)):
        category = predicted["category"]
        confidence = category.scores[label]
        chosen, note = guard_category(label, confidence, category.scores, statement.heading, risk,
                                      statement.text)
        previous = statements[index - 1].text if index else ""
        typed = typed_subject(statement.text, previous)
        actor, role = typed or (predicted["actor"].label, None)
        read = actor
        actor = guard_actor(statement.text, chosen, actor)
        actor_confidence = 1.0 if typed or actor != read else predicted["actor"].scores.get(actor, 1.0)
        if partners and actor == "client":
            actor, role = "other", "partner"  # no identified client: each partner is another person
        if whole_group and actor == "client":
            actor, role = "other", role_of(statement.text) or "another group member"
        if actor == "client" and not typed and statement.sentence in members:
            actor, role = "other", members[statement.sentence]  # "one member disclosed ...; shaking while she spoke"
        if actor == "other":
            # a person the clause does not name is the one its sentence last named ("mom: ... | said she's worn out")
            role = role or role_of(statement.text) or speakers.get(statement.sentence)
            if session_modality == "group" and role in GROUP_MEMBERS:
                members.setdefault(statement.sentence, role)
            if role:
                speakers[statement.sentence] = role
        text = statement.text
        out.append(replace(
            statement, category=chosen, actor=None if actor == "none" else actor, role=role,
            time=predicted["time"].label, confidence=category.scores.get(chosen, 1.0), actor_confidence=actor_confidence,
            risks=risk, negated=bool(NEGATION.search(text)), numbers=tuple(_NUMBER.findall(text)),
            quotes=tuple(text[s:e] for s, e in protected_spans(text) if text[s] in "\"'“‘"),
            evidence=(note,) if note else (),
            scores=tuple(sorted(scores[index].items(), key=lambda item: -item[1]))))
    return reactions_as_response(out)
