"""The path of a note: key points -> statements -> categorized statements -> sections -> verified -> checked."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from afternote import plugins
from afternote.reading.reader import read_statements
from afternote.drafting.engine import Engine, EngineFailed, SectionCallback
from afternote.drafting.placing import section_plan
from afternote.drafting.provenance import verify_sections
from afternote.drafting.summary import check_summary
from afternote.errors import EngineError
from afternote.formats import Format, get_format
from afternote.note import Finding, Note, NoteSection, Sentence
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


def findings_for(content: dict, session: "Session | dict | None" = None, formats_dir: Path | None = None) -> list[Finding]:
    """The checks over a saved note as it stands after hand edits (note JSON, as `Note.to_dict()` gives it): the
    key points' statements for the sections as drafted, and the clinician's own text read in place of each section
    they rewrote, as that section's content. So a safety plan typed into the Plan by hand answers "no safety
    plan", with no redraft."""
    fmt = get_format(content["format"], formats_dir)
    facts = session_from(session)
    key_points = content.get("key_points") or ""
    statements = read_statements(key_points, modality=facts.modality) if key_points.strip() else []
    edited = {sec["key"]: sec for sec in content["sections"] if sec.get("edited")}
    specs = {spec.key: spec for spec in fmt.sections}
    placed = {s.id: key for key, held in section_plan(statements, fmt).items() for s in held}  # as drafted
    kept = [s for s in statements if placed[s.id] not in edited]
    next_id = max((s.id for s in statements), default=0) + 1
    for key, section in edited.items():
        spec = specs.get(key)
        if spec is None or not section.get("text", "").strip():
            continue
        # what the reader cannot place in this section counts as the section's own kind of content (never as
        # risk or safety work the clinician did not write)
        own = spec.key if spec.key in spec.categories else next(
            (c for c in spec.categories if c not in ("risk", "safety")), spec.categories[0])
        for statement in read_statements(section["text"], modality=facts.modality):
            category = statement.category if statement.category in spec.categories else own
            kept.append(replace(statement, id=next_id, category=category, heading=category))
            next_id += 1
    note = Note(format=fmt.key, format_name=fmt.name, engine=content.get("engine", "builtin"),
                sections=[_saved_section(sec) for sec in content["sections"]])
    return run_checks(note, kept, facts)


def _saved_section(section: dict) -> NoteSection:
    """A saved section as the checks read it: its drafted sentences, or the clinician's text as one sentence."""
    if section.get("edited") or not section.get("sentences"):
        text = (section.get("text") or "").strip() if not section.get("empty") else ""
        sentences = [Sentence(text=text)] if text else []
    else:
        sentences = [Sentence(text=s["text"], sources=[tuple(x) for x in s.get("sources", [])],
                              supported=s.get("supported", True)) for s in section["sentences"]]
    return NoteSection(key=section["key"], title=section.get("title", section["key"]), sentences=sentences)


def warm_up() -> None:
    """Load what the first draft would otherwise wait for (the reader's model, the verb lexicon, the formats) with
    key points that hold no health data. The server calls it in the background as it starts."""
    draft("c/o low mood; tearful. Pt ask about sleep. Taught box breathing, pt said it helped. f/u 1 wk.", "soap")
