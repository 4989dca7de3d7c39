"""Which goals and objectives of the client's treatment plan a note addressed, and the progress toward each in the
clinician's own words.

The link is part of the note's version content (`plan_links`: encrypted with it, versioned, sealed at signing from
seal shape 3 on), so a stale save is refused like any other and an earlier version keeps the link it had. It holds
the goals' and objectives' words as the signed plan says them, so the note reads the same after the plan changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from afternote import plans as documents
from afternote.drafting.goal_proposals import Proposal, propose
from afternote.errors import InputError
from afternote.records.database import Database
from afternote.workflow import access, audit, notes, objective_measures, plans
from afternote.workflow.actor import Actor
from afternote.workflow.objective_measures import ObjectiveMeasure

PROGRESS_LIMIT = 2000


def plan_of_note(db: Database, actor: Actor, client_id: str) -> plans.PlanView | None:
    """The client's active plan (its signed version) for the note screen, or None; the view is audited."""
    with db.session(write=True) as session:
        access.get_client(session, actor, client_id)
        view = plans.active_plan(db, session, actor.practice_id, client_id)
        if view is not None:
            audit.record(session, actor, "view", "treatment_plan", view.id)
        return view


def _progress(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError("An objective's progress is text; send it as a string.")
    if "\x00" in value:
        raise InputError("An objective's progress holds a NUL character, which cannot be stored. Remove it.")
    value = value.strip()
    if len(value) > PROGRESS_LIMIT:
        raise InputError(f"An objective's progress is at most {PROGRESS_LIMIT} characters; shorten it.")
    return value


def links_of(plan: plans.PlanView, chosen: list[dict]) -> dict:
    """The note's link to `plan` from what the clinician ticked: [{"goal_id", "objectives": [{"objective_id",
    "progress"}]}]; InputError names an id the plan does not have."""
    goals = {g.id: g for g in plan.document.goals()}
    out = []
    for choice in chosen:
        goal = goals.get(choice.get("goal_id"))
        if goal is None:
            raise InputError("A goal ticked is not in the client's active treatment plan (it was changed since the "
                             "note was opened). Reload the note and tick the goals again.")
        objectives = {o.id: o for o in goal.objectives}
        linked = []
        for pick in choice.get("objectives", []):
            objective = objectives.get(pick.get("objective_id"))
            if objective is None:
                raise InputError("An objective ticked is not one of its goal's in the client's active treatment "
                                 "plan. Reload the note and tick the objectives again.")
            linked.append({"id": objective.id, "text": objective.text, "target": objective.target,
                           "measure": objective.measure, "progress": _progress(pick.get("progress"))})
        if any(g["id"] == goal.id for g in out):
            raise InputError("A goal was ticked twice; tick each goal once, with its objectives.")
        out.append({"id": goal.id, "text": documents.goal_line(goal), "objectives": linked})
    return {"plan_id": plan.id, "plan_version": plan.version, "goals": out} if out else {}


def link(db: Database, actor: Actor, note_id: str, base_version: int, chosen: list[dict],
         formats_dir: Path | None = None) -> int:
    """Save which of the active plan's goals and objectives the note addressed (an empty list: none) as a new
    version, based on the version read (StaleVersion if saved since); the goal section then quotes them. Returns
    the new version number."""
    with db.session(write=True) as session:
        note = notes._editable(session, actor, note_id, base_version, "edit")
        plan = plans.active_plan(db, session, note.practice_id, note.client_id)
        if plan is None and chosen:
            raise InputError("This client has no signed treatment plan to link the note to. Write and sign one on "
                             "the client's page, then tick its goals here.")
        content = notes.version_content(db, session, note_id, base_version)
        content["plan_links"] = links_of(plan, chosen) if plan is not None else {}
        return notes._save_version(db, session, actor, note, base_version, content, "edit",
                                   formats_dir=formats_dir)


def proposals(plan: plans.PlanView | None, key_points: str) -> dict[str, Proposal]:
    """The goals and objectives of `plan` the key points speak to (drafting/goal_proposals.py): marked on the note
    screen as proposed, never ticked."""
    return propose(key_points, plan.document) if plan is not None else {}


@dataclass
class NoteGoals:
    """A note's goal list: the active plan's goals and objectives, which the note links, which the key points
    propose (a draft's only: a signed note's links are settled), and each objective's measure."""

    note_id: str
    version: int
    plan: plans.PlanView | None
    links: dict
    proposed: dict[str, Proposal] = field(default_factory=dict)
    measures: dict[str, ObjectiveMeasure] = field(default_factory=dict)


def _plan_and_measures(db: Database, session, actor: Actor, client_id: str):
    """The client's active plan and its objectives' measures, each view audited (the plan's, the measures')."""
    plan = plans.active_plan(db, session, actor.practice_id, client_id)
    if plan is None:
        return None, {}
    audit.record(session, actor, "view", "treatment_plan", plan.id)
    found = objective_measures.objective_measures_in(db, session, actor, client_id, plan.document)
    if found:
        audit.record(session, actor, "view", "client_measures", client_id)
    return plan, found


def goals_of(db: Database, actor: Actor, note_id: str) -> NoteGoals:
    """The note's goal list (its current version's links), in one unit of work; the view of the plan is audited,
    and of the client's measures when an objective shows one."""
    with db.session(write=True) as session:
        note = access.get_note(session, actor, note_id)
        links = notes.version_content(db, session, note.id, note.current_version).get("plan_links") or {}
        plan, found = _plan_and_measures(db, session, actor, note.client_id)
        proposed = proposals(plan, notes._key_points(db, note)) if note.status == "draft" else {}
        return NoteGoals(note.id, note.current_version, plan, links, proposed, found)
