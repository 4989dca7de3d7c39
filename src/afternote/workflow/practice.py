"""The practice's settings (note deadline, inactivity sign-out, time zone, the letterhead and EHR-paste headings of
its exports) and a user's own profile (name, credentials, licence number, default note format)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update

from afternote import times
from afternote.errors import InputError
from afternote.exports.document import Letterhead
from afternote.records.database import Database
from afternote.records.models import Practice, User
from afternote.workflow import audit
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotAllowed


PASTE_HEADINGS = ("plain", "capitals", "markdown")
PLAN_REVIEW_DAYS = 90  # a treatment plan's review is due this many days after its last signature, by default
PLAN_REVIEW_MAX = 365  # Medicare expects a review at least yearly


@dataclass(frozen=True)
class PracticeSettings:
    name: str
    note_deadline_hours: int
    session_idle_minutes: int
    plan_review_days: int = PLAN_REVIEW_DAYS
    time_zone: str = "UTC"


def letterhead(session, practice_id: str) -> Letterhead:
    """What heads the practice's exported documents, and how its EHR paste writes headings."""
    row = session.execute(select(Practice.name, Practice.address, Practice.phone, Practice.npi,
                                 Practice.paste_headings, Practice.time_zone).where(Practice.id == practice_id)).one()
    return Letterhead(row[0], row[1] or "", row[2] or "", row[3] or "", row[4] or "plain",
                      row[5] or times.server_zone())


def letterhead_of(db: Database, actor: Actor) -> Letterhead:
    """The caller's practice letterhead."""
    with db.session() as session:
        return letterhead(session, actor.practice_id)


def update_letterhead(db: Database, actor: Actor, *, name: str, address: str = "", phone: str = "", npi: str = "",
                      paste_headings: str = "plain") -> None:
    """Owners only: the practice's name, address, phone and NPI (10 digits) as exports print them, and the heading
    style of its EHR paste (plain, capitals or markdown)."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can change the practice's letterhead.")
    if not name.strip() or len(name) > 200:
        raise InputError("The practice's name is 1 to 200 characters.")
    if len(address) > 300 or len(phone) > 50:
        raise InputError("The address is at most 300 characters and the phone number at most 50.")
    if npi.strip() and not re.fullmatch(r"\d{10}", npi.strip()):
        raise InputError("An NPI is 10 digits (for example 1234567893); leave it empty if the practice has none.")
    if paste_headings not in PASTE_HEADINGS:
        raise InputError(f"Paste headings are one of: {', '.join(PASTE_HEADINGS)}.")
    with db.session(write=True) as session:
        session.execute(update(Practice).where(Practice.id == actor.practice_id).values(
            name=name.strip(), address=address.strip() or None, phone=phone.strip() or None,
            npi=npi.strip() or None, paste_headings=paste_headings))
        audit.record(session, actor, "edit", "practice", actor.practice_id)


def deadline_hours(session, practice_id: str) -> int:
    """The practice's note deadline in hours after the session: its setting, else the server's default."""
    hours = session.scalar(select(Practice.note_deadline_hours).where(Practice.id == practice_id))
    if hours is None:
        from afternote.config import settings
        hours = settings().note_deadline_hours
    return hours


def plan_review_days(session, practice_id: str) -> int:
    """Days after its last signature by which a treatment plan is to be reviewed (the practice's, else 90)."""
    days = session.scalar(select(Practice.plan_review_days).where(Practice.id == practice_id))
    return days or PLAN_REVIEW_DAYS


def time_zone(session, practice_id: str) -> str:
    """The IANA zone the practice's times are shown and typed in: its setting, else the server's."""
    return session.scalar(select(Practice.time_zone).where(Practice.id == practice_id)) or times.server_zone()


def time_zone_of(db: Database, actor: Actor) -> str:
    """The caller's practice's time zone."""
    with db.session() as session:
        return time_zone(session, actor.practice_id)


def set_time_zone(db: Database, actor: Actor, name: str) -> str:
    """Owners only: the practice's time zone, an IANA name (America/New_York); returns it as stored. Times already
    stored are UTC and are shown in the new zone from now on; sessions keep the zone they were typed in for their
    seals. UnknownTimeZone for a name the zone database does not know."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can change the practice's time zone.")
    name = times.checked(name)
    with db.session(write=True) as session:
        session.execute(update(Practice).where(Practice.id == actor.practice_id).values(time_zone=name))
        audit.record(session, actor, "time_zone_change", "practice", actor.practice_id)  # the zone is no health data,
    return name                                                                            # and settings show it


def settings_of(db: Database, actor: Actor, *, deadline_default: int = 72, idle_default: int = 15) -> PracticeSettings:
    """The caller's practice settings, with the server's defaults where the practice has set none."""
    with db.session() as session:
        row = session.execute(select(Practice.name, Practice.note_deadline_hours, Practice.session_idle_minutes,
                                     Practice.plan_review_days, Practice.time_zone)
                              .where(Practice.id == actor.practice_id)).one()
    return PracticeSettings(row[0], row[1] or deadline_default, row[2] or idle_default, row[3] or PLAN_REVIEW_DAYS,
                            row[4] or times.server_zone())


def update_settings(db: Database, actor: Actor, *, note_deadline_hours: int, session_idle_minutes: int,
                    plan_review_days: int | None = None) -> None:
    """Owners only: hours after a session by which its note is due; minutes of inactivity before sign-out; days
    after its signature by which a treatment plan is reviewed (None: left as set)."""
    if actor.role != "owner":
        raise NotAllowed("Only a practice owner can change the practice's settings.")
    if not 1 <= note_deadline_hours <= 24 * 30:
        raise InputError("The note deadline is 1 to 720 hours.")
    if not 1 <= session_idle_minutes <= 720:
        raise InputError("The inactivity period is 1 to 720 minutes.")
    values = {"note_deadline_hours": note_deadline_hours, "session_idle_minutes": session_idle_minutes}
    if plan_review_days is not None:
        if not 1 <= plan_review_days <= PLAN_REVIEW_MAX:
            raise InputError(f"A treatment plan's review period is 1 to {PLAN_REVIEW_MAX} days (Medicare expects a "
                             "review at least yearly).")
        values["plan_review_days"] = plan_review_days
    with db.session(write=True) as session:
        session.execute(update(Practice).where(Practice.id == actor.practice_id).values(**values))
        audit.record(session, actor, "edit", "practice", actor.practice_id)


_KEEP = object()


def update_profile(db: Database, actor: Actor, *, display_name: str, credentials: str,
                   default_format: "str | None | object" = _KEEP, known_formats: Iterable[str] | None = None,
                   licence_number: "str | None | object" = _KEEP) -> None:
    """The caller's own name and credentials as they appear on signatures from now on (past ones keep theirs), and
    optionally their default note format (None or "": the format of their latest note; checked against
    `known_formats` when given) and their licence number (printed in exported signature blocks)."""
    if not display_name.strip() or len(display_name) > 200:
        raise InputError("Your name is 1 to 200 characters.")
    if len(credentials) > 50:
        raise InputError("Credentials are at most 50 characters (for example LCSW, PhD).")
    values = {"display_name": display_name.strip(), "credentials": credentials.strip()}
    if licence_number is not _KEEP:
        if len(licence_number or "") > 50:
            raise InputError("A licence number is at most 50 characters.")
        values["licence_number"] = (licence_number or "").strip() or None
    if default_format is not _KEEP:
        fmt = (default_format or "").strip() or None
        if fmt is not None:
            known = sorted(known_formats) if known_formats is not None else None
            if len(fmt) > 50 or (known is not None and fmt not in known):
                raise InputError(f"There is no format '{fmt[:50]}'. Formats: {', '.join(known or [])}.")
        values["default_format"] = fmt
    with db.session(write=True) as session:
        session.execute(update(User).where(User.id == actor.user_id, User.practice_id == actor.practice_id)
                        .values(**values))
        audit.record(session, actor, "edit", "user", actor.user_id)


def licence_number(db: Database, actor: Actor) -> str | None:
    """The caller's licence number, as exports print it with their signature."""
    with db.session() as session:
        return session.scalar(select(User.licence_number).where(User.id == actor.user_id,
                                                                User.practice_id == actor.practice_id))


def default_format(db: Database, actor: Actor) -> str | None:
    """The caller's chosen default note format (None: not chosen)."""
    with db.session() as session:
        return session.scalar(select(User.default_format).where(User.id == actor.user_id,
                                                                User.practice_id == actor.practice_id))
