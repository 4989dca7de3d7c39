"""The audit trail (owners and auditors): who did what to which record, when and from where."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from afternote.web.api.fields import UtcDateTime, QueryId
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import audit

router = APIRouter(prefix="/audit", tags=["audit"], responses=responses(401, 403, 422))
Action = Literal[audit.ACTIONS]  # type: ignore[valid-type]


class EventOut(BaseModel):
    id: int
    at: UtcDateTime
    username: str | None
    action: str
    record_type: str | None
    record_id: str | None
    source: str
    outcome: str


@router.get("")
def audit_events(actor: CurrentActor, db: DatabaseDep, page: PageDep, action: Action | None = None,
                 username: str | None = Query(default=None, max_length=100, pattern=r"^[^\x00]*$"),
                 record_id: QueryId = None, since: dt.datetime | None = None) -> Page[EventOut]:
    """The practice's events, newest first."""
    if since is not None and since.tzinfo is not None:  # stored as naive UTC
        since = since.astimezone(dt.timezone.utc).replace(tzinfo=None)
    rows = audit.events(db, actor, action=action, username=username, record_id=record_id, since=since,
                        limit=page.fetch)
    return paginate(rows, page, lambda e: EventOut.model_validate(e, from_attributes=True))
