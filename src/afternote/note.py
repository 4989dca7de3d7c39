"""The drafted note: sections of sentences that point back at the key points, and findings for the clinician."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass
class Sentence:
    """A sentence of the note and the spans of the key points it rests on.

    `supported` is False when verification found something in it that the key points do not contain; `problems`
    then says what, in words a clinician can check. `written_by` names the builtin writer when it wrote a sentence
    of a language model's draft (the model left its key points out, or its own sentence failed verification).
    """

    text: str
    sources: list[tuple[int, int]] = field(default_factory=list)
    statement_ids: list[int] = field(default_factory=list)
    supported: bool = True
    problems: list[str] = field(default_factory=list)
    written_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "sources": [list(s) for s in self.sources],
                               "supported": self.supported}
        if self.problems:
            out["problems"] = list(self.problems)
        if self.written_by:
            out["written_by"] = self.written_by
        return out


@dataclass
class NoteSection:
    key: str
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    empty_text: str = ""
    loinc: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.sentences

    @property
    def text(self) -> str:
        """The section as prose; an empty section says plainly that nothing was documented. Unsupported sentences
        are flagged in their data (`supported`, `problems`) and on the page, never inside the prose."""
        if not self.sentences:
            return self.empty_text
        return " ".join(s.text for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "text": self.text, "empty": self.is_empty,
                "loinc": self.loinc, "sentences": [s.to_dict() for s in self.sentences]}


@dataclass(frozen=True)
class Finding:
    """Something the clinician should know before signing: what is missing, risky or suggested, and what to do."""

    code: str
    severity: str
    message: str
    section: str | None = None
    hint: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "section": self.section, "hint": self.hint}


@dataclass
class Note:
    """A drafted note. `to_dict()` is the note JSON of DESIGN.md; `to_text()` pastes cleanly into an EHR."""

    format: str
    format_name: str
    sections: list[NoteSection]
    findings: list[Finding] = field(default_factory=list)
    engine: str = "builtin"
    notices: list[str] = field(default_factory=list)
    id: str | None = None

    def section(self, key: str) -> NoteSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "format": self.format, "format_name": self.format_name, "engine": self.engine,
                "sections": [s.to_dict() for s in self.sections],
                "findings": [f.to_dict() for f in self.findings], "notices": list(self.notices)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_text(self) -> str:
        """Plain text: one paragraph per section under its title; no markup, so it pastes into any EHR."""
        return "\n\n".join(f"{s.title}:\n{s.text}" for s in self.sections) + "\n"
