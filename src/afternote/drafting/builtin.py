"""The builtin engine: deterministic clinical rewriting of the clinician's own statements. Never adds a fact.

Each statement goes to the section that holds its category; consecutive statements of one sentence that land in the
same section are written as one sentence, so a list stays a list. Each sentence is the clinician's wording with
shorthand spelled out, first person made third, and a subject where a fragment had none ("c/o low motivation" ->
"Client reported low motivation.").
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from afternote.drafting.engine import SectionCallback
from afternote.drafting.language import capitalize, end_sentence, expand_shorthand, in_third_person, quote_speech, unshout
from afternote.drafting.placing import section_plan
from afternote.drafting.phrasing import sentence_form, with_subject
from afternote.drafting.tense import in_tense
from afternote.reading.modality import modality_of, partners_only
from afternote.reading.statements import Statement
from afternote.formats import Format
from afternote.note import NoteSection, Sentence
from afternote.plugins import hookimpl
from afternote.session import Session


def group_statements(statements: Sequence[Statement]) -> list[list[Statement]]:
    """Runs of statements from one sentence with one category and one form, in order: each run becomes one note
    sentence ("thought record daily, next session in 1 week" is two: a phrase, then a next step)."""
    groups: list[list[Statement]] = []
    for statement in statements:
        last = groups[-1][-1] if groups else None
        form = sentence_form(statement.text, statement.category)
        if (last is not None and last.sentence == statement.sentence and last.category == statement.category
                and last.id == statement.id - 1 and form != "subject"
                and form in (sentence_form(groups[-1][0].text, statement.category), "phrase")):
            groups[-1].append(statement)
        else:
            groups.append([statement])
    return groups


def _line_of(summary: str, statement: Statement) -> str:
    end = summary.find("\n", statement.end)
    return summary[summary.rfind("\n", 0, statement.start) + 1:end if end >= 0 else len(summary)]


def _as_list(summary: str, group: Sequence[Statement]) -> str:
    """The group's words as typed, each statement spelled out (the same spelling verification reads), with
    "and" before the last of three or more comma items."""
    def spelled(statement: Statement) -> str:
        return expand_shorthand(quote_speech(unshout(statement.text, typed_in=_line_of(summary, statement))))

    parts = [spelled(group[0])]
    for before, statement in zip(group, group[1:]):
        separator = summary[before.end:statement.start]
        last = statement is group[-1]
        if (last and len(group) >= 3 and group[0].category not in ("context", "measure")  # descriptors, scores
                and separator.strip() == "," and not re.match(r"(and|or|but|then|plus)\b", statement.text, re.I)):
            separator = ", and "
        parts.append(expand_shorthand(separator) if separator.strip() else separator)
        parts.append(spelled(statement))
    return "".join(parts)


_HOMEWORK_LABEL = re.compile(r"\b(hw|homework)\s*(:|-)\s*$", re.I)


def write_sentence(summary: str, group: Sequence[Statement], client: str = "Client") -> Sentence:
    first = group[0]
    line_start = summary.rfind("\n", 0, first.start) + 1
    homework = bool(_HOMEWORK_LABEL.search(summary[line_start:first.start]))
    we = f"clinician and {first.role}" if first.actor == "clinician" and first.role else "clinician and client"
    text = with_subject(in_third_person(_as_list(summary, group), we), first, homework=homework, client=client)
    text = in_tense(capitalize(text), first.time, planned=first.category == "plan")
    return Sentence(text=end_sentence(capitalize(text)), sources=[s.span for s in group],
                    statement_ids=[s.id for s in group])


class BuiltinEngine:
    name = "builtin"

    def write(self, summary: str, statements: Sequence[Statement], fmt: Format, session: Session,
              on_section: SectionCallback | None = None) -> list[NoteSection]:
        # in a couples session with no identified client, a fragment with no subject is about the couple
        client = "The couple" if partners_only(summary, modality_of(summary, session.modality)) else "Client"
        sections = []
        plan = section_plan(statements, fmt)
        for spec in fmt.sections:
            held = plan[spec.key]
            section = NoteSection(key=spec.key, title=spec.title, empty_text=spec.empty, loinc=spec.loinc,
                                  sentences=[write_sentence(summary, g, client) for g in group_statements(held)])
            if on_section:
                on_section(section)
            sections.append(section)
        return sections


@hookimpl
def register_engines(register):
    register(BuiltinEngine())
