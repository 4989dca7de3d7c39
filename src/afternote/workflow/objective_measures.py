"""A treatment plan's objectives beside the measure that tracks them: for each objective whose measure (or, failing
that, whose own words) names an instrument ("PHQ-9"), the client's scores of it as a `measures.Series`, with the
objective's baseline and target, so the plan page and the note's goal list show the latest score and the trend
from the same points as the client's chart."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from afternote import plans as documents
from afternote.reading.instruments import Instrument, instruments
from afternote.records.database import Database
from afternote.workflow import audit, measures
from afternote.workflow.actor import Actor


@dataclass(frozen=True)
class ObjectiveMeasure:
    objective_id: str
    instrument: Instrument
    baseline: str
    target: str
    target_date: dt.date | None
    series: measures.Series | None  # None: the client has no score of it yet

    @property
    def latest(self) -> measures.Point | None:
        return self.series.points[-1] if self.series else None

    @property
    def trend(self) -> str:
        return self.series.trend if self.series else f"{self.instrument.name}: no score recorded yet."


def objective_measures_in(db: Database, session, actor: Actor, client_id: str,
                          document: documents.PlanDocument) -> dict[str, ObjectiveMeasure]:
    """By objective id, those of the plan tracked by a known instrument, in the caller's unit of work (not
    audited; `objective_measures` audits)."""
    wanted = {o.id: key for _, o in document.objectives() if (key := documents.tracked_by(o))}
    if not wanted:
        return {}
    found = measures.points_in(db, session, actor, client_id)  # one read for every instrument of the plan
    known = instruments()
    out = {}
    for _, objective in document.objectives():
        key = wanted.get(objective.id)
        if key is None:
            continue
        points = found.get(key)
        out[objective.id] = ObjectiveMeasure(objective.id, known[key], objective.baseline, objective.target,
                                             objective.target_date,
                                             measures.Series(known[key], tuple(points)) if points else None)
    return out


def objective_measures(db: Database, actor: Actor, client_id: str,
                       document: documents.PlanDocument) -> dict[str, ObjectiveMeasure]:
    """As `objective_measures_in`, in a unit of work of its own; the view of the client's measures is audited."""
    with db.session(write=True) as session:
        out = objective_measures_in(db, session, actor, client_id, document)
        if out:
            audit.record(session, actor, "view", "client_measures", client_id)
        return out
