"""Refused (403) and not-found (404) answers to a signed-in caller go to the audit trail, from the API's error
handler and the pages' alike; the service layer rate-limits them per user (audit.refused)."""
from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from afternote.workflow import audit
from afternote.workflow.errors import NotFound, PasswordChangeRequired, Refusal


async def audit_refusal(request: Request, error: Exception) -> None:
    actor = getattr(request.state, "actor", None)  # set by deps.current_caller once the caller is known
    if actor is None or not isinstance(error, Refusal) or isinstance(error, PasswordChangeRequired):
        return
    record_type, record_id = error.record or (None, None)
    await run_in_threadpool(audit.refused, request.app.state.db, actor,
                            "not_found" if isinstance(error, NotFound) else "refused", record_type, record_id)
