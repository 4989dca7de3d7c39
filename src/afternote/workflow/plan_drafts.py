"""A treatment plan proposed from the key points of one of the client's notes (an intake, usually): the
clinician's own goal and intervention clauses moved into the plan's fields (drafting/plan_draft.py), nothing
saved until the clinician saves the form."""
from __future__ import annotations

from afternote.drafting.plan_draft import propose
from afternote.records.database import Database
from afternote.workflow import notes
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotFound


def proposal(db: Database, actor: Actor, client_id: str, note_id: str) -> dict:
    """The plan document the note's key points propose (reading the note is audited as a view)."""
    view = notes.show(db, actor, note_id)
    if view.client_id != client_id:
        raise NotFound(f"No note {note_id} of this client. The client's page lists their notes.").about(
            "note", note_id)
    return propose(view.key_points)
