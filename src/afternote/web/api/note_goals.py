"""A note's goal list: the client's active treatment plan's goals and objectives, which the note links (with the
progress), which its key points propose (a proposal, never a tick: link with PUT /notes/{id}/goals), and each
objective's measure with its latest score and trend."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel, Field

from afternote.web.api.fields import RecordId
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import note_goals

router = APIRouter(prefix="/notes", tags=["notes"], responses=responses(401, 403, 404, 422))


class LatestOut(BaseModel):
    date: dt.date
    score: int | float
    band: str | None


class ObjectiveMeasureOut(BaseModel):
    instrument: str = Field(description="The instrument's key, as in GET /clients/{id}/measures.")
    name: str
    latest: LatestOut | None = Field(description="The client's latest score; null before the first.")
    trend: str = Field(description="The scores in a sentence.")


class ProposalOut(BaseModel):
    proposed: bool = Field(description="This session's key points speak to it (a draft's only). Not linked until "
                                       "you tick it.")
    proposed_because: str | None = None


class ObjectiveOut(ProposalOut):
    id: str
    text: str
    baseline: str
    target: str
    target_date: dt.date | None
    measure: str
    linked: bool
    progress: str = Field(description="Your progress toward it as the note links it; empty if not linked.")
    measure_trend: ObjectiveMeasureOut | None = Field(description="Where the measure is a known instrument.")


class GoalOut(ProposalOut):
    id: str
    text: str
    client_words: str
    linked: bool
    objectives: list[ObjectiveOut]


class NoteGoalsOut(BaseModel):
    note_id: str
    version: int = Field(description="The note's current version: send it as base_version to link goals.")
    plan_id: str | None = Field(description="The client's active (signed) plan; null when there is none.")
    plan_version: int | None
    goals: list[GoalOut]


def _proposal(found: note_goals.NoteGoals, item_id: str) -> dict:
    proposal = found.proposed.get(item_id)
    return {"proposed": proposal is not None, "proposed_because": proposal.reason if proposal else None}


def _measure(found: note_goals.NoteGoals, objective_id: str) -> ObjectiveMeasureOut | None:
    m = found.measures.get(objective_id)
    if m is None:
        return None
    latest = m.latest
    return ObjectiveMeasureOut(instrument=m.instrument.key, name=m.instrument.name, trend=m.trend,
                               latest=LatestOut(date=latest.date, score=latest.score, band=latest.band)
                               if latest else None)


def _out(found: note_goals.NoteGoals) -> NoteGoalsOut:
    linked = {g["id"]: g for g in found.links.get("goals", [])}
    progress = {o["id"]: o.get("progress", "") for g in linked.values() for o in g.get("objectives", [])}
    goals = [] if found.plan is None else [
        GoalOut(id=g.id, text=g.text, client_words=g.client_words, linked=g.id in linked, **_proposal(found, g.id),
                objectives=[ObjectiveOut(id=o.id, text=o.text, baseline=o.baseline, target=o.target,
                                         target_date=o.target_date, measure=o.measure, linked=o.id in progress,
                                         progress=progress.get(o.id, ""), measure_trend=_measure(found, o.id),
                                         **_proposal(found, o.id))
                            for o in g.objectives])
        for g in found.plan.document.goals()]
    return NoteGoalsOut(note_id=found.note_id, version=found.version, plan_id=found.plan.id if found.plan else None,
                        plan_version=found.plan.version if found.plan else None, goals=goals)


@router.get("/{note_id}/goals")
def note_goal_list(note_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> NoteGoalsOut:
    """The client's active plan's goals and objectives as this note sees them: linked (with progress), proposed
    from its key points (never linked until you tick them with PUT), and each objective's measure trend."""
    return _out(note_goals.goals_of(db, actor, note_id))
