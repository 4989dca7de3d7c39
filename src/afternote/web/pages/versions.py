"""A note's versions: who saved each, when, why, and a diff of every section it changed; an earlier version of a
draft restored as a new version (the form posts the version the page showed as current: a stale one is refused)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request

from afternote.web.deps import CurrentCaller, DatabaseDep, SettingsDep
from afternote.web.pages.common import PageRoute, render, see_other
from afternote.workflow import clients, notes, versions

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
Number = Annotated[int, Path(ge=1, le=1_000_000)]


@router.get("/notes/{note_id}/versions")
def listing(request: Request, note_id: Id, caller: CurrentCaller, db: DatabaseDep):
    note = notes.show(db, caller.actor, note_id)
    client = clients.show_client(db, caller.actor, note.client_id)
    return render(request, "versions.html", caller, note=note, client=client,
                  versions=list(reversed(versions.history(db, caller.actor, note_id))))


@router.post("/notes/{note_id}/versions/{number}/restore")
def restore(request: Request, note_id: Id, number: Number, caller: CurrentCaller, db: DatabaseDep,
            settings: SettingsDep, base_version: Annotated[int, Form(ge=1, le=1_000_000)]):
    notes.restore(db, caller.actor, note_id, number, base_version, settings.formats_dir)
    return see_other(f"/notes/{note_id}")
