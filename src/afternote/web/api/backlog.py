"""The backlog: sessions without a note, unsigned drafts, notes awaiting your co-signature, treatment plans due
for review (kind "plan review", with `plan_id`); oldest first."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from afternote.web.api.fields import Name, UtcDateTime
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import backlog as service

router = APIRouter(prefix="/backlog", tags=["backlog"], responses=responses(401, 403, 404, 422))


class BacklogItemOut(BaseModel):
    kind: str
    appointment_id: str
    note_id: str | None
    client_id: str
    client_name: str
    clinician_id: str
    starts_at: UtcDateTime
    due_at: UtcDateTime
    overdue: bool
    plan_id: str | None = None


@router.get("")
def backlog(actor: CurrentActor, db: DatabaseDep, page: PageDep, clinician: Name | None = None,
            whole_practice: bool = False) -> Page[BacklogItemOut]:
    """Your open work; `clinician` (a username) or `whole_practice` for owners, auditors and supervisors."""
    items = service.backlog(db, actor, clinician=clinician, whole_practice=whole_practice)
    return paginate(items, page, lambda i: BacklogItemOut.model_validate(i, from_attributes=True))
