"""The path of a note: key points -> statements -> categorized statements -> sections -> verified -> checked."""
from __future__ import annotations

from pathlib import Path

from afternote import plugins
from afternote.reading.reader import read_statements
from afternote.drafting.engine import Engine, EngineFailed, SectionCallback
from afternote.drafting.provenance import verify_sections
from afternote.drafting.summary import check_summary
from afternote.errors import EngineError
from afternote.formats import Format, get_format
from afternote.note import Finding, Note
from afternote.session import Session, session_from


def get_engine(name: str) -> Engine:
    engines = plugins.engines()
    if name not in engines:
        raise EngineError(f"unknown engine '{name}'. Choose one of: {', '.join(engines)}.")
    return engines[name]


def run_checks(note: Note, statements, session: Session) -> list[Finding]:
    findings: list[Finding] = []
    for check in plugins.checks():
        findings.extend(check(note, statements, session))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order.get(f.severity, 3))


def draft(summary: str, format: "str | Format" = "soap", session: "Session | dict | None" = None,
          engine: str = "builtin", formats_dir: Path | None = None,
          on_section: SectionCallback | None = None) -> Note:
    """Draft a note from the clinician's key points. Never adds a fact; flags what it cannot verify.

    Raises InputError (bad key points or session), FormatError (unknown or bad format) or EngineError (unknown
    engine). An engine that fails mid-draft does not raise: the builtin draft is returned with a notice saying why.
    """
    summary = check_summary(summary)
    fmt = get_format(format, formats_dir)
    facts = session_from(session)
    statements = read_statements(summary, modality=facts.modality)
    chosen = get_engine(engine)
    notices: list[str] = []
    try:
        sections = chosen.write(summary, statements, fmt, facts, on_section)
        used = chosen.name
    except EngineFailed as exc:
        notices.append(f"The {chosen.name} engine's draft could not be used ({exc}). "
                       "This is the built-in engine's draft; review it as usual.")
        sections = get_engine("builtin").write(summary, statements, fmt, facts, on_section)
        used = "builtin"
    verify_sections(sections, statements, summary)
    if used != "builtin" and (rewritten := sum(s.written_by == "builtin" for sec in sections for s in sec.sentences)):
        notices.append(f"{rewritten} sentence{'s' if rewritten != 1 else ''} of this draft "
                       f"{'were' if rewritten != 1 else 'was'} written by the built-in engine: the {used} model left "
                       "out their key points or wrote what the key points do not support. Review them as usual.")
    note = Note(format=fmt.key, format_name=fmt.name, sections=sections, engine=used, notices=notices)
    note.findings = run_checks(note, statements, facts)
    return note


def warm_up() -> None:
    """Load what the first draft would otherwise wait for (the reader's model, the verb lexicon, the formats) with
    key points that hold no health data. The server calls it in the background as it starts."""
    draft("c/o low mood; tearful. Pt ask about sleep. Taught box breathing, pt said it helped. f/u 1 wk.", "soap")
