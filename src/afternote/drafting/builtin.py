"""The builtin engine: deterministic clinical rewriting of the clinician's own statements. Never adds a fact.

Each statement goes to the section that holds its category; consecutive statements of one sentence that land in the
same section are written as one sentence, so a list stays a list. Each sentence is the clinician's wording with
shorthand spelled out, first person made third, and a subject where a fragment had none ("c/o low motivation" ->
"Client reported low motivation.").
"""
from __future__ import annotations

from collections.abc import Sequence

from afternote.drafting.engine import SectionCallback
from afternote.drafting.language import capitalize, clinical, end_sentence
from afternote.drafting.phrasing import with_subject
from afternote.drafting.statements import Statement
from afternote.formats import Format
from afternote.note import NoteSection, Sentence
from afternote.plugins import hookimpl
from afternote.session import Session


def group_statements(statements: Sequence[Statement]) -> list[list[Statement]]:
    """Runs of statements from one sentence with one category, in order: each run becomes one note sentence."""
    groups: list[list[Statement]] = []
    for statement in statements:
        last = groups[-1][-1] if groups else None
        if (last is not None and last.sentence == statement.sentence and last.category == statement.category
                and last.id == statement.id - 1):
            groups[-1].append(statement)
        else:
            groups.append([statement])
    return groups


def write_sentence(summary: str, group: Sequence[Statement]) -> Sentence:
    first, last = group[0], group[-1]
    text = with_subject(clinical(summary[first.start:last.end]), first)
    return Sentence(text=end_sentence(capitalize(text)), sources=[s.span for s in group],
                    statement_ids=[s.id for s in group])


class BuiltinEngine:
    name = "builtin"

    def write(self, summary: str, statements: Sequence[Statement], fmt: Format, session: Session,
              on_section: SectionCallback | None = None) -> list[NoteSection]:
        sections = []
        for spec in fmt.sections:
            held = [s for s in statements if s.category in spec.categories]
            section = NoteSection(key=spec.key, title=spec.title, empty_text=spec.empty, loinc=spec.loinc,
                                  sentences=[write_sentence(summary, g) for g in group_statements(held)])
            if on_section:
                on_section(section)
            sections.append(section)
        return sections


@hookimpl
def register_engines(register):
    register(BuiltinEngine())
