"""`afternote draft`: key points in, a note out (plain text, JSON, or one JSON note a line for a batch)."""
from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer

from afternote.cli import app, fail
from afternote.config import settings
from afternote.drafting.pipeline import draft as draft_note
from afternote.errors import AfternoteError, InputError


def parse_session(pairs: list[str]) -> dict:
    """`duration_minutes=53 telehealth=video attendees=mother,father` as a session dict."""
    session: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--session takes key=value (for example duration_minutes=53), not '{pair}'.")
        key = key.strip()
        session[key] = [v.strip() for v in value.split(",") if v.strip()] if key == "attendees" else value.strip()
    return session


def read_summary(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source} is not a file. Pass the file with the key points, or - to read stdin.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {source} ({exc.strerror or exc.__class__.__name__}). "
                             "Check the path and its permissions.") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text (binary data?). Save the key points as plain text.") from None


def draft_batch(cases_path: Path, fmt: str, engine: str, session: dict) -> int:
    """One JSON note a line for each JSON case a line; a bad case gets an error line, the rest go on."""
    from tqdm import tqdm

    from afternote.drafting.pipeline import get_engine
    from afternote.formats import get_format

    try:
        lines = cases_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {cases_path} ({exc.__class__.__name__}); pass a JSONL file.") from None
    # a wrong --format or --engine is the command's fault, not a case's: refuse it before printing anything
    chosen_format = get_format(fmt, settings().formats_dir)
    get_engine(engine)
    failures = drafted = 0
    out = sys.stdout
    for number, line in enumerate(tqdm(lines, desc="drafting", unit="note", file=sys.stderr,
                                       disable=None), 1):
        if not line.strip():
            continue
        case_id = None
        try:
            case = json.loads(line)
            if not isinstance(case, dict):
                raise InputError("each line must be a JSON object with 'id' and 'summary'.")
            case_id = case.get("id", number)
            if not isinstance(case.get("summary"), str):
                raise InputError("'summary' is missing or not text; each line needs \"summary\": \"...\".")
            case_session = case.get("session") or {}
            if not isinstance(case_session, dict):
                raise InputError("'session' must be an object such as {\"duration_minutes\": 53}.")
            note = draft_note(case.get("summary"), format=chosen_format, engine=engine,
                              session={**session, **case_session})
            note.id = case_id  # the case's own id, as given (string or number), so results join back to cases
            out.write(note.to_json() + "\n")
            drafted += 1
        except (json.JSONDecodeError, InputError) as exc:
            failures += 1
            reason = f"line {number} is not JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            out.write(json.dumps({"id": case_id, "line": number, "error": reason}) + "\n")
    out.flush()
    typer.echo(f"afternote: drafted {drafted} note{'s' if drafted != 1 else ''} from {cases_path}"
               + (f"; {failures} case{'s' if failures != 1 else ''} could not be drafted (see their error "
                  "lines)." if failures else "."), err=True)
    return 2 if failures else 0


def print_section():
    """Print each section as a language model finishes it; if the model fails part-way, say so before the
    built-in draft (which then streams from its first section)."""
    seen: set[str] = set()

    def on_section(section) -> None:
        if section.key in seen:
            typer.echo("(the model's draft stopped; the built-in draft follows)\n")
            seen.clear()
        seen.add(section.key)
        typer.echo(f"{section.title}:\n{section.text}\n")

    return on_section


@contextlib.contextmanager
def cancel_on_interrupt(engine_name: str):
    """While a language model drafts, the first Ctrl-C cancels it (the built-in draft is shown); a second quits."""
    from afternote.drafting.pipeline import get_engine

    engine = get_engine(engine_name)
    if not hasattr(engine, "cancel") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum, frame) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        typer.echo("afternote: cancelling the model; the built-in draft follows (Ctrl-C again to quit).", err=True)
        engine.cancel()

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def llm_timeout(seconds: float | None):
    """`--timeout`: the language-model engines' time limit for this command only."""
    if seconds is None:
        return contextlib.nullcontext()
    from afternote.drafting.llm import timeout_override  # light: the model libraries load only when drafting

    return timeout_override(seconds)


@app.command()
def draft(
    source: Annotated[Optional[str], typer.Argument(help="File with the key points, or - for stdin.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Format key (soap, dap, ...) or a .toml file.")] = "soap",
    as_json: Annotated[bool, typer.Option("--json", help="Print the note JSON (sentences, sources, findings).")] = False,
    jsonl: Annotated[Optional[Path], typer.Option("--jsonl", help="Draft each case of a JSONL file: "
                                                  "one JSON object a line with id, summary, optional session.")] = None,
    engine: Annotated[Optional[str], typer.Option(help="Drafting engine: builtin, local, openai.")] = None,
    session: Annotated[list[str], typer.Option("--session", "-s", help="Session detail as key=value, e.g. "
                                               "duration_minutes=53; repeat for more.")] = [],
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", min=0.1, metavar="SECONDS", help="Most seconds a language model may take for a note "
        "(overrides AFTERNOTE_LLM_TIMEOUT); past it the built-in draft is shown.")] = None,
) -> None:
    """Draft a progress note from the key points of a session."""
    try:
        details = parse_session(session)
        chosen = engine or settings().engine
        with llm_timeout(timeout):
            if jsonl is not None:
                raise typer.Exit(draft_batch(jsonl, format, chosen, details))
            if source is None:
                raise InputError("give a file with the key points, or - to read them from stdin "
                                 "(for example: afternote draft examples/session.txt --format soap).")
            streaming = chosen != "builtin" and not as_json and sys.stdout.isatty()
            with cancel_on_interrupt(chosen):
                note = draft_note(read_summary(source), format=format, session=details, engine=chosen,
                                  formats_dir=settings().formats_dir,
                                  on_section=print_section() if streaming else None)
    except AfternoteError as error:
        raise fail(error)
    if as_json:
        typer.echo(json.dumps(note.to_dict(), indent=2, ensure_ascii=False))
        return
    if not streaming:
        typer.echo(note.to_text())
    for notice in note.notices:
        typer.echo(f"Notice: {notice}", err=True)
    if note.findings:
        typer.echo("Findings:", err=True)
        for finding in note.findings:
            where = f" [{finding.section}]" if finding.section else ""
            typer.echo(f"  {finding.severity}{where}: {finding.message}"
                       + (f" ({finding.hint})" if finding.hint else ""), err=True)
