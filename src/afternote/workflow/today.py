"""Today: the open work (sessions without a note, drafts to sign, co-signatures, notes a supervisor returned),
overdue first in attention, and the notes signed this week and the minutes of documentation they took; for owners
and supervisors the whole team, or one clinician of it.

The minutes of documentation are measured from what the records know: every saved version of a note and its
signature carry a time. For each note signed this week, the time between consecutive saves, from its first draft to
its signature, is added up; a pause longer than BREAK_MINUTES between two saves counts as a break, not as work.
Typing the key points before the first draft, and reading before the signature, leave no trace: the figure is a
floor, not a stopwatch."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from afternote import times
from afternote.records.database import Database
from afternote.records.models import Note, NoteVersion, User
from afternote.workflow import access, backlog as backlog_service, insurance, plans, practice
from afternote.workflow.actor import Actor
from afternote.workflow.backlog import BacklogItem
from afternote.workflow.clients import client_names


@dataclass(frozen=True)
class SignedNote:
    note_id: str
    client_id: str
    client_name: str
    clinician_id: str
    signed_at: dt.datetime


@dataclass
class Today:
    to_write: list[BacklogItem] = field(default_factory=list)
    to_sign: list[BacklogItem] = field(default_factory=list)
    to_cosign: list[BacklogItem] = field(default_factory=list)
    returned: list[BacklogItem] = field(default_factory=list)  # returned by the supervisor: answer with an addendum
    plan_reviews: list[BacklogItem] = field(default_factory=list)  # due within two weeks or overdue
    # clients with open work (a session to write up, a draft to sign) and no signed treatment plan: one finding
    # per client here, not one per note
    without_plan: dict[str, str] = field(default_factory=dict)  # client id -> name
    signed_this_week: list[SignedNote] = field(default_factory=list)
    authorizations: dict[str, tuple[str, str]] = field(default_factory=dict)  # client id -> (name, warning)
    team: dict[str, str] = field(default_factory=dict)  # user id -> name, for the filter (empty: own work only)
    clinician: str | None = None  # the username filtered on
    documentation_minutes: int = 0  # of the notes signed this week (see the module's docstring)
    minutes_by_clinician: dict[str, int] = field(default_factory=dict)  # user id -> minutes (team views)

    @property
    def overdue(self) -> int:
        return sum(i.overdue for i in self.to_write + self.to_sign + self.to_cosign + self.returned)


BREAK_MINUTES = 20


def documentation_seconds(saves: list[dt.datetime]) -> float:
    """Working time across a note's saves (first draft ... signature): gaps up to BREAK_MINUTES count, longer
    ones are breaks."""
    saves = sorted(saves)
    limit = BREAK_MINUTES * 60
    return sum(gap for gap in ((b - a).total_seconds() for a, b in zip(saves, saves[1:])) if 0 < gap <= limit)


def team_of(db: Database, actor: Actor) -> dict[str, tuple[str, str]]:
    """user id -> (username, name) of the clinicians whose work the actor may see (empty for a clinician)."""
    if actor.role not in ("owner", "supervisor", "auditor"):
        return {}
    with db.session() as session:
        ids = access.visible_clinicians(session, actor)
        query = select(User.id, User.username, User.display_name).where(User.practice_id == actor.practice_id,
                                                                       User.role != "auditor")
        if ids is not None:
            query = query.where(User.id.in_(ids))
        return {uid: (username, name) for uid, username, name in session.execute(query.order_by(User.username))}


def today(db: Database, actor: Actor, *, now: dt.datetime, clinician: str | None = None) -> Today:
    """The Today screen's content at `now` (UTC). "This week" starts on Monday at midnight in the practice's zone.
    `clinician` (a username) narrows a team view to one person."""
    team = team_of(db, actor)
    if clinician and clinician not in {u for u, _ in team.values()}:
        clinician = None  # not someone the caller may see: show what they may (the backlog would refuse)
    if clinician:
        items = backlog_service.backlog(db, actor, clinician=clinician, now=now)
    else:
        items = backlog_service.backlog(db, actor, whole_practice=bool(team), now=now)
    view = Today(team={uid: name for uid, (_, name) in team.items()}, clinician=clinician)
    for item in items:
        {"no note": view.to_write, "draft": view.to_sign, "plan review": view.plan_reviews,
         "returned by supervisor": view.returned}.get(
            item.kind, view.to_cosign).append(item)
    with db.session() as session:
        week_start = times.week_start(now, practice.time_zone(session, actor.practice_id))
        query = access.scoped(session, actor, select(Note.id, Note.client_id, Note.clinician_id, Note.signed_at),
                              Note).where(Note.signed_at >= week_start)
        if clinician:
            query = query.where(Note.clinician_id.in_([u for u, (name, _) in team.items() if name == clinician]))  # name: the username
        elif not team:
            query = query.where(Note.clinician_id == actor.user_id)
        rows = session.execute(query.order_by(Note.signed_at.desc()).limit(200)).all()
        names = client_names(db, session, [r[1] for r in rows])
        open_work = {i.client_id: i.client_name for i in view.to_write + view.to_sign}
        planned = plans.clients_with_plans(session, actor.practice_id, open_work)
        view.without_plan = {c: name for c, name in sorted(open_work.items(), key=lambda kv: kv[1].casefold())
                             if c not in planned}
        saves: dict[str, list[dt.datetime]] = {n: [at] for n, _c, _who, at in rows}
        if saves:
            for note_id, created in session.execute(select(NoteVersion.note_id, NoteVersion.created_at)
                                                    .where(NoteVersion.note_id.in_(list(saves)))):
                saves[note_id].append(created)
    view.authorizations = insurance.warnings(db, actor, times.today(now, practice.time_zone_of(db, actor)))
    view.signed_this_week = [SignedNote(n, c, names.get(c, "?"), who, at) for n, c, who, at in rows]
    seconds: dict[str, float] = {}
    for n, _c, who, at in rows:
        # versions saved after the signature (none: signed notes are read-only) would not count
        seconds[who] = seconds.get(who, 0.0) + documentation_seconds([t for t in saves[n] if t <= at])
    view.documentation_minutes = round(sum(seconds.values()) / 60)
    if team:
        view.minutes_by_clinician = {who: round(s / 60) for who, s in seconds.items()}
    return view
