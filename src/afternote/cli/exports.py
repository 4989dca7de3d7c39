"""Export commands: `afternote notes export NOTE_ID --as pdf|docx|fhir|text|markdown [-o FILE]` and
`afternote clients export CLIENT_ID --as pdf|fhir --from DATE --to DATE [-o FILE]`. Each is a few lines around
one call to workflow/exports.py, which audits the export."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from afternote.cli.records import _session, actionable, clients_app, notes_app
from afternote.errors import InputError
from afternote.workflow import exports

Output = Annotated[Optional[Path], typer.Option("--output", "-o", help=(
    "File to write (default: the export's own file name here, e.g. note-ID.pdf; '-' writes to standard output)."))]


def _target(output: Path | None, default: str) -> Path | None:
    """Where to write (None: standard output); an existing file is refused before anything is exported."""
    if output is not None and str(output) == "-":
        return None
    target = output or Path(default)
    if target.exists():
        raise InputError(f"{target} exists; choose another file with -o (nothing was exported).")
    return target


def _write(export: exports.Export, target: Path | None) -> None:
    if target is None:
        sys.stdout.buffer.write(export.content)
        sys.stdout.buffer.flush()
        return
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # health data: readable by you only
    with os.fdopen(fd, "wb") as handle:
        handle.write(export.content)
    typer.echo(f"Wrote {target} ({len(export.content):,} bytes).", err=True)


@notes_app.command("export")
@actionable
def notes_export(note: str, as_: Annotated[str, typer.Option("--as", help="pdf, docx, fhir, text or markdown.")],
                 output: Output = None) -> None:
    """Export a note (a signed note as sealed, with its verification; a draft marked DRAFT). Audited."""
    target = _target(output, exports.note_filename(note, as_))
    db, actor = _session()
    _write(exports.export_note(db, actor, note, as_), target)


@clients_app.command("export")
@actionable
def clients_export(client: str, as_: Annotated[str, typer.Option("--as", help="pdf or fhir.")],
                   from_: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"],
                                                              help="First session date, YYYY-MM-DD.")],
                   to: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="Last session date.")],
                   output: Output = None) -> None:
    """Export a client's record for a period: every signed note and addendum, as one PDF or FHIR Bundle. Audited."""
    target = _target(output, exports.record_filename(client, as_, from_.date(), to.date()))
    db, actor = _session()
    _write(exports.export_client_record(db, actor, client, as_, from_.date(), to.date()), target)
