"""Two-factor sign-in: your own (its state; turn it on: a secret, then a current code, which returns the recovery
codes once; turn it off with the password and a code); an owner's reset of a user's, and the practice's
requirement."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from afternote.web.api.fields import RecordId
from afternote.web.deps import CurrentActor, DatabaseDep, now, source_of
from afternote.web.problems import responses
from afternote.workflow import two_factor

router = APIRouter(tags=["two-factor"], responses=responses(401, 403, 404, 422))


class TwoFactorOut(BaseModel):
    on: bool
    on_since: dt.datetime | None = Field(description="UTC.")
    required: bool = Field(description="The practice requires two-factor of everyone.")
    recovery_codes_left: int


class EnrolmentOut(BaseModel):
    secret: str = Field(description="Base32, for an authenticator app; or scan `otpauth_uri` as a QR code.")
    otpauth_uri: str


class CodeBody(BaseModel):
    code: str = Field(min_length=1, max_length=50, description="The six digits the authenticator app shows now.")


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="Each signs in once without the phone. Shown this once only.")


class TurnOffBody(CodeBody):
    password: str = Field(min_length=1, max_length=1000)


class RequirementBody(BaseModel):
    required: bool


@router.get("/users/me/two-factor")
def own_state(actor: CurrentActor, db: DatabaseDep) -> TwoFactorOut:
    return TwoFactorOut.model_validate(two_factor.status(db, actor), from_attributes=True)


@router.post("/users/me/two-factor")
def begin(actor: CurrentActor, db: DatabaseDep) -> EnrolmentOut:
    """The secret to add to an authenticator app (the same one until it is confirmed); nothing is on yet."""
    enrolment = two_factor.begin_enrolment(db, actor)
    return EnrolmentOut(secret=enrolment.secret, otpauth_uri=enrolment.uri)


@router.post("/users/me/two-factor/confirmation", responses=responses(429))
def confirm(body: CodeBody, request: Request, actor: CurrentActor, db: DatabaseDep) -> RecoveryCodesOut:
    """Turn it on with a current code from the app; returns the recovery codes, once."""
    return RecoveryCodesOut(recovery_codes=two_factor.confirm_enrolment(db, actor, body.code, now(request)))


@router.post("/users/me/two-factor/off", status_code=204, responses=responses(429))
def turn_off(body: TurnOffBody, request: Request, actor: CurrentActor, db: DatabaseDep) -> None:
    """Turn your own off with your password and a current code (403 while the practice requires it)."""
    two_factor.disable(db, actor, body.password, body.code, source_of(request))


@router.post("/users/{user_id}/two-factor/reset", status_code=204)
def reset(user_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> None:
    """An owner turns a user's two-factor off (a lost phone): their recovery codes and sign-ins end; they enrol
    again."""
    two_factor.reset(db, actor, user_id)


@router.put("/practice/two-factor", status_code=204)
def require(body: RequirementBody, actor: CurrentActor, db: DatabaseDep) -> None:
    """Whether everyone in the practice must use two-factor (owners only)."""
    two_factor.set_required(db, actor, body.required)
