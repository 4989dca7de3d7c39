"""Completeness checks: empty sections, and the elements payers and auditors look for (data/completeness.toml).

A missing element whose own section is empty (BIRP's Intervention with no intervention) is reported once, by the
element's finding, which then names that section: every empty section gets exactly one finding.
"""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from afternote.note import SEVERITIES, Finding, Note
from afternote.plugins import hookimpl
from afternote.session import Session


@cache
def completeness_table() -> dict:
    with open(Path(__file__).parent / "data" / "completeness.toml", "rb") as handle:
        return tomllib.load(handle)


def _more_severe(a: str, b: str) -> str:
    return min(a, b, key=SEVERITIES.index)


def missing_elements(note: Note, statements, session: Session) -> list[Finding]:
    """One finding per required category that no statement of the key points falls in."""
    present = {s.category for s in statements}
    empty = {section.key for section in note.sections if section.is_empty}
    findings = []
    for category, element in completeness_table()["elements"].items():
        if category in present:
            continue
        section = category if category in empty else None
        # Standing in for an empty section, the finding is at least as severe as an empty section's.
        severity = _more_severe(element["severity"], "warning") if section else element["severity"]
        findings.append(Finding(element["code"], severity, element["message"], section, element["hint"]))
    return findings


def empty_sections(note: Note, statements, session: Session) -> list[Finding]:
    """One warning per empty section not already named by a missing element's finding."""
    table = completeness_table()
    present = {s.category for s in statements}
    told_by_element = {key for key in table["elements"] if key not in present}
    hints = table["empty_sections"]
    return [
        Finding("empty-section", "warning", f"The {section.title} section is empty.", section.key,
                hints.get(section.key, hints["default"]).format(title=section.title))
        for section in note.sections if section.is_empty and section.key not in told_by_element
    ]


@hookimpl
def register_checks(register):
    register(empty_sections)
    register(missing_elements)
