"""The caller's practice: its settings (anyone signed in reads them, so a client can show times as the pages do),
and its time zone (owners set it)."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from afternote.web.deps import CurrentActor, DatabaseDep, SettingsDep
from afternote.web.problems import responses
from afternote.workflow import practice

router = APIRouter(prefix="/practice", tags=["practice"], responses=responses(401, 403, 422))


class PracticeOut(BaseModel):
    name: str
    time_zone: str = Field(description="IANA zone (America/New_York): the pages show every time in it and session "
                           "times are typed in it. Times in the API are UTC with their offset.")
    note_deadline_hours: int
    session_idle_minutes: int
    plan_review_days: int


class TimeZoneBody(BaseModel):
    time_zone: str = Field(min_length=1, max_length=64, examples=["America/New_York"],
                           description="An IANA zone name; an unknown one is a 422 saying so.")


def _out(db, actor, settings) -> PracticeOut:
    chosen = practice.settings_of(db, actor, deadline_default=settings.note_deadline_hours,
                                  idle_default=settings.session_idle_minutes)
    return PracticeOut(name=chosen.name, time_zone=chosen.time_zone, note_deadline_hours=chosen.note_deadline_hours,
                       session_idle_minutes=chosen.session_idle_minutes, plan_review_days=chosen.plan_review_days)


@router.get("")
def get_practice(actor: CurrentActor, db: DatabaseDep, settings: SettingsDep) -> PracticeOut:
    """The practice's settings, its time zone among them."""
    return _out(db, actor, settings)


@router.put("/time-zone")
def set_time_zone(body: TimeZoneBody, actor: CurrentActor, db: DatabaseDep, settings: SettingsDep) -> PracticeOut:
    """Owners: the practice's time zone (audited). Stored times keep their moment and show in the new zone."""
    practice.set_time_zone(db, actor, body.time_zone)
    return _out(db, actor, settings)
