"""The practice's users (owners only): list them, add one, change one's role, supervisor or whether they are active,
reset one's password. Anyone: change their own password."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from afternote.records.models import ROLES
from afternote.web.api.fields import Line, Name, RecordId
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, CurrentCaller, DatabaseDep, source_of
from afternote.web.problems import responses
from afternote.workflow import passwords, sign_in, users
from typing import Literal

router = APIRouter(prefix="/users", tags=["users"], responses=responses(401, 403, 404, 422))


class UserBody(BaseModel):
    username: Name
    password: str = Field(min_length=12, max_length=1000, description="At least 12 characters, not the username, "
                          "not easy to guess.")
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
    two_factor: bool = Field(description="Two-factor sign-in is on (POST /api/v1/users/{id}/two-factor/reset "
                             "turns it off, for a lost phone).")


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


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000, description="At least 12 characters, not the username, "
                              "not easy to guess.")


class OneTimePassword(BaseModel):
    one_time_password: str = Field(description="Give it to the user in person; they must choose their own at the "
                                   "next sign-in. It is shown once and never stored.")


@router.post("/me/password", status_code=204, responses=responses(429))
def change_own_password(body: PasswordChange, request: Request, caller: CurrentCaller, db: DatabaseDep) -> None:
    """Change your own password (the current one first). Your other sign-in sessions end."""
    keep = sign_in.digest(caller.session_secret) if caller.session_secret else None
    passwords.change_password(db, caller.actor, body.current_password, body.new_password, source_of(request),
                              keep_session=keep)


@router.post("/{user_id}/password-reset")
def reset_password(user_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> OneTimePassword:
    """An owner resets another user's password to a one-time password; their sign-in sessions end now."""
    return OneTimePassword(one_time_password=passwords.reset_password(db, actor, user_id))
