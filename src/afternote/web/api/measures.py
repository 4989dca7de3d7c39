"""A client's measures over time: per instrument, its range and severity bands and the scores typed in each
session's key points (date, score, band, the note it came from)."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel, Field

from afternote.web.api.fields import RecordId
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import measures

router = APIRouter(prefix="/clients", tags=["measures"], responses=responses(401, 403, 404, 422))


class BandOut(BaseModel):
    low: int | float
    high: int | float
    label: str


class PointOut(BaseModel):
    date: dt.date = Field(description="The session's date.")
    score: int | float
    band: str | None = Field(description="The severity band of the score; null where the instrument has none.")
    note_id: str


class InstrumentOut(BaseModel):
    key: str = Field(description='The instrument\'s key in afternote\'s table, e.g. "phq9".')
    name: str
    low: int | float
    high: int | float
    bands: list[BandOut]
    trend: str = Field(description="The series in a sentence (what the chart's description says).")
    points: list[PointOut] = Field(description="Oldest first.")


class MeasuresOut(BaseModel):
    client_id: str
    instruments: list[InstrumentOut]


def _out(series: measures.Series) -> InstrumentOut:
    inst = series.instrument
    return InstrumentOut(key=inst.key, name=inst.name, low=inst.low, high=inst.high,
                         bands=[BandOut(low=b.low, high=b.high, label=b.label) for b in inst.bands],
                         trend=series.trend,
                         points=[PointOut(date=p.date, score=p.score, band=p.band, note_id=p.note_id)
                                 for p in series.points])


@router.get("/{client_id}/measures")
def client_measures(client_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> MeasuresOut:
    """Each instrument the client has scores for, with its range, bands and points. The view is audited."""
    return MeasuresOut(client_id=client_id, instruments=[_out(s) for s in measures.series_of(db, actor, client_id)])
