"""The caller's practice: its settings (anyone signed in reads them, so a client can show times as the pages do),
its time zone, and the letterhead its exports print (owners set both)."""
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


class LetterheadBody(BaseModel):
    """The whole letterhead, as the Settings page sends it: a field left out is left empty."""

    name: str = Field(examples=["Harbor Counseling"], description="1 to 200 characters.")
    address: str = Field("", examples=["12 Main St, Springfield"], description="At most 300 characters.")
    phone: str = Field("", examples=["555-0100"], description="At most 50 characters.")
    npi: str = Field("", examples=["1234567893"], description="The practice's 10-digit NPI; empty if it has none.")
    paste_headings: str = Field("plain", examples=["capitals"],
                                description="How the EHR paste heads sections: plain, capitals or markdown.")


class LetterheadOut(BaseModel):
    name: str
    address: str
    phone: str
    npi: str
    paste_headings: str


def _letterhead_out(db, actor) -> LetterheadOut:
    now = practice.letterhead_of(db, actor)
    return LetterheadOut(name=now.name, address=now.address, phone=now.phone, npi=now.npi,
                         paste_headings=now.paste_headings)


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


@router.get("/letterhead")
def get_letterhead(actor: CurrentActor, db: DatabaseDep) -> LetterheadOut:
    """The letterhead the practice's exports print, and its EHR paste heading style."""
    return _letterhead_out(db, actor)


@router.put("/letterhead")
def set_letterhead(body: LetterheadBody, actor: CurrentActor, db: DatabaseDep) -> LetterheadOut:
    """Owners: the practice's name, address, phone and NPI as exports print them, and the EHR paste heading style
    (audited). Checked as the Settings page checks them; a refused change is a 422 that says why and changes nothing."""
    practice.update_letterhead(db, actor, name=body.name, address=body.address, phone=body.phone, npi=body.npi,
                               paste_headings=body.paste_headings)
    return _letterhead_out(db, actor)
