"""The practice's users (owners only): list them, add one, change one's role, supervisor or whether they are active."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from afternote.records.models import ROLES
from afternote.web.api.fields import Line, Name, RecordId
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import users
from typing import Literal

router = APIRouter(prefix="/users", tags=["users"], responses=responses(401, 403, 404, 422))


class UserBody(BaseModel):
    username: Name
    password: str = Field(min_length=10, max_length=1000)
    display_name: Line = Field(min_length=1)
    role: Literal[ROLES] = "clinician"  # type: ignore[valid-type]
    credentials: Line = Field(default="", max_length=50)
    supervisor: Name | None = Field(default=None, description="Username of a pre-licensed clinician's supervisor.")


class UserPatch(BaseModel):
    role: Literal[ROLES] | None = Field(default=None, description="The new role; absent: unchanged.")  # type: ignore[valid-type]
    supervisor: Name | None = Field(default=None, description="Username of the pre-licensed clinician's "
                                    "supervisor; null clears it; absent: unchanged.")
    active: bool | None = Field(default=None, description="false deactivates (their sessions and API tokens stop "
                                "at once); true reactivates; absent: unchanged.")


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    credentials: str
    supervisor_id: str | None
    active: bool


@router.get("")
def list_users(actor: CurrentActor, db: DatabaseDep, page: PageDep) -> Page[UserOut]:
    return paginate(users.list_users(db, actor), page, lambda u: UserOut.model_validate(u, from_attributes=True))


@router.post("", status_code=201)
def add_user(body: UserBody, actor: CurrentActor, db: DatabaseDep) -> UserOut:
    added = users.add_user(db, actor, username=body.username, password=body.password,
                           display_name=body.display_name, role=body.role, credentials=body.credentials,
                           supervisor=body.supervisor)
    return next(UserOut.model_validate(u, from_attributes=True) for u in users.list_users(db, actor)
                if u.id == added.user_id)


@router.patch("/{user_id}")
def update_user(user_id: RecordId, body: UserPatch, actor: CurrentActor, db: DatabaseDep) -> UserOut:
    changed = users.update_user(db, actor, user_id, role=body.role, active=body.active,
                                supervisor=body.supervisor if "supervisor" in body.model_fields_set else ...)
    return UserOut.model_validate(changed, from_attributes=True)
