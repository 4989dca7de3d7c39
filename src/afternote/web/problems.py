"""Errors as problem details (RFC 9457), in one place: the service layer's error types map to HTTP statuses.

Bodies carry the error's message (written for a person, never with health data), the status, and for a stale save
the note's current version; validation errors name the field and never echo the value that was sent.
"""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from afternote.errors import AfternoteError, EngineError, FormatError, InputError
from afternote.records.errors import DatabaseError, KeyProblem, RecordTampered
from afternote.workflow.errors import (Busy, KeyPointsConflict, LoginFailed, LoginLocked, NoteLocked, NotAllowed,
                                       NotFound, NotSignedIn, PasswordChangeRequired, StalePlan, StaleVersion,
                                       EnrolmentRequired)
from afternote.workflow.passwords import WrongPassword
from afternote.workflow.two_factor import CodeReplayed, CodeRequired, WrongCode
from afternote.workflow.plans import PlanIncomplete
from afternote.web.refusals import audit_refusal

MEDIA_TYPE = "application/problem+json"

# (error type, status, type slug, title); the first match wins, so subclasses come before their bases.
STATUSES: tuple[tuple[type[AfternoteError], int, str, str], ...] = (
    (LoginLocked, 429, "sign-in-locked", "Too many failed sign-ins"),
    (WrongPassword, 403, "password-not-right", "The password is not right"),
    (CodeRequired, 401, "second-factor-required", "The code from the authenticator app is needed"),
    (CodeReplayed, 401, "code-used", "That code was used already"),
    (WrongCode, 401, "code-not-right", "The code is not right"),
    (LoginFailed, 401, "sign-in-failed", "Sign-in failed"),
    (NotSignedIn, 401, "not-signed-in", "Not signed in"),
    (NotFound, 404, "not-found", "Not found"),
    (PasswordChangeRequired, 403, "password-change-required", "Choose your own password first"),
    (EnrolmentRequired, 403, "two-factor-enrolment-required", "Turn on two-factor sign-in first"),
    (NotAllowed, 403, "not-allowed", "Not allowed"),
    (StalePlan, 409, "stale-plan", "The treatment plan changed since you opened it"),
    (StaleVersion, 409, "stale-version", "The note changed since you opened it"),
    (KeyPointsConflict, 409, "stale-key-points", "The key points changed since you read them"),
    (NoteLocked, 409, "note-signed", "The note is signed"),
    (InputError, 422, "invalid-input", "Cannot do this with what was sent"),
    (FormatError, 422, "invalid-format", "Unknown or invalid note format"),
    (Busy, 503, "busy", "The server is busy"),
    (EngineError, 503, "engine-unavailable", "The drafting engine is not available"),
    (DatabaseError, 503, "database-unavailable", "The records database is not available"),
    (KeyProblem, 503, "key-problem", "The encryption key is not available"),
    (RecordTampered, 500, "record-tampered", "A stored record failed its integrity check"),
)


class FieldError(BaseModel):
    field: str = Field(description="Where the problem is: body.key_points, query.limit, path.note_id ...")
    message: str


class Problem(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str = Field(description="A URI naming the kind of problem, e.g. urn:afternote:problem:stale-version.")
    title: str
    status: int
    detail: str = Field(description="What happened and what to do.")
    current_version: int | None = Field(default=None, description="For a stale save: the note's current version.")
    errors: list[FieldError] | None = Field(default=None, description="For invalid input: each field and why.")
    retry_after: int | None = Field(default=None, description="For a sign-in delay or a busy server: seconds to wait.")
    missing: list[str] | None = Field(default=None, description="For signing an incomplete treatment plan: what "
                                      "to fill in.")


def problem(status: int, slug: str, title: str, detail: str, headers: dict | None = None, **extra) -> JSONResponse:
    body = {"type": f"urn:afternote:problem:{slug}", "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def status_of(error: AfternoteError) -> tuple[int, str, str]:
    for kind, status, slug, title in STATUSES:
        if isinstance(error, kind):
            return status, slug, title
    return 400, "refused", "Request refused"


async def afternote_error(request: Request, error: AfternoteError) -> JSONResponse:
    """The one mapping from the service layer's errors to responses."""
    await audit_refusal(request, error)
    status, slug, title = status_of(error)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="afternote"'
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    return problem(status, slug, title, str(error), headers, retry_after=retry_after,
                   current_version=error.current_version if isinstance(error, StaleVersion) else None,
                   current_revision=error.current_revision if isinstance(error, KeyPointsConflict) else None,
                   missing=error.missing if isinstance(error, PlanIncomplete) else None)


def _field(loc) -> str:
    return ".".join(str(part) for part in loc)


async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    # pydantic's own error carries the input; only the place and the reason are sent back
    errors = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in error.errors()]
    fields = ", ".join(e["field"] for e in errors[:5])
    return problem(422, "invalid-input", "Invalid request", f"Check these fields: {fields}.", errors=errors)


async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    detail = error.detail if isinstance(error.detail, str) else "Request refused."
    if error.status_code == 404:
        detail = "No such address in the afternote API. The OpenAPI document at /api/v1/openapi.json lists them."
    return problem(error.status_code, "http", detail, detail, getattr(error, "headers", None))


def install(app: FastAPI) -> None:
    app.add_exception_handler(AfternoteError, afternote_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)


def responses(*statuses: int) -> dict:
    """OpenAPI entries for the problem responses an operation can give (app.py moves them to problem+json)."""
    return {status: {"model": Problem, "description": "A problem (RFC 9457)."} for status in statuses}
