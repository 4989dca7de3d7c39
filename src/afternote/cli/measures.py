"""`afternote clients measures CLIENT_ID [--instrument phq9] [--json]`: a client's measures over time, per
instrument, as typed in each session's key points; `afternote practice read-measures`: the measures of notes written
before afternote stored them. Each is one call to workflow/measures.py, which audits."""
from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from afternote.cli.records import _session, actionable, clients_app, practice_app
from afternote.errors import InputError
from afternote.reading.instruments import instruments, score_text
from afternote.workflow import measures


@clients_app.command("measures")
@actionable
def clients_measures(client: str,
                     instrument: Annotated[Optional[str], typer.Option(help='Only this one, by key ("phq9").')] = None,
                     as_json: Annotated[bool, typer.Option("--json", help="One JSON object, as the API gives.")] = False
                     ) -> None:
    """Each instrument's scores for a client, oldest first, with their severity band and note."""
    if instrument is not None and instrument not in instruments():
        raise InputError(f"No instrument '{instrument}'. Known ones: {', '.join(instruments())}.")
    db, actor = _session()
    found = [s for s in measures.series_of(db, actor, client) if instrument in (None, s.instrument.key)]
    if as_json:
        typer.echo(json.dumps({"client_id": client, "instruments": [
            {"key": s.instrument.key, "name": s.instrument.name, "low": s.instrument.low, "high": s.instrument.high,
             "trend": s.trend, "points": [{"date": p.date.isoformat(), "score": p.score, "band": p.band,
                                           "note_id": p.note_id} for p in s.points]} for s in found]}))
        return
    if not found:
        typer.echo("No scores typed in this client's notes yet" + (f" for {instrument}." if instrument else "."))
        return
    for series in found:
        typer.echo(f"{series.instrument.name} (scored {series.instrument.range_text}): {series.trend}")
        for p in series.points:
            typer.echo(f"  {p.date.isoformat()}  {score_text(p.score):>5}  {p.band or '':<30}  note {p.note_id}")


@practice_app.command("read-measures")
@actionable
def practice_read_measures() -> None:
    """Store the measures typed in notes written before afternote stored them (owners; once after upgrading)."""
    db, actor = _session()
    added = measures.read_earlier_notes(db, actor)
    typer.echo(f"{added} score{'s' if added != 1 else ''} read from earlier notes.")
