"""The app factory: `create_app(settings)` for tests and embedding, `app_from_env()` for uvicorn's workers.

The OpenAPI document is at /api/v1/openapi.json; there is no bundled Swagger page, since it would need inline
scripts and a CDN, which the content security policy forbids.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
import datetime as dt

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from afternote.config import Settings
from afternote.config import settings as env_settings
from afternote.drafting.pipeline import warm_up
from afternote.errors import AfternoteError
from afternote.records.database import Database, open_database
from afternote.records.models import utcnow
from afternote.web import api, pages, problems
from afternote.web.deps import DatabaseDep
from afternote.web.body_limit import BodySizeLimit
from afternote.web.control_characters import RefuseControlCharacters
from afternote.web.security import SecurityHeaders
from afternote.workflow import sign_in_limits

log = logging.getLogger("afternote.web")
health = APIRouter(tags=["health"])


@health.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@health.get("/readyz", responses=problems.responses(503))
async def readyz(db: DatabaseDep) -> dict[str, str]:
    """The records database is reachable, at this afternote's migration head, and its key opens the records."""
    await run_in_threadpool(db.check)
    return {"status": "ready"}


def _problem_openapi(app: FastAPI) -> Callable[[], dict]:
    """FastAPI's document, with every error response as application/problem+json of the Problem schema."""
    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        ref = {"$ref": "#/components/schemas/Problem"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status[0] in "45":
                        response["content"] = {problems.MEDIA_TYPE: {"schema": ref}}
                        response["description"] = "A problem (RFC 9457)."
        app.openapi_schema = schema
        return schema
    return openapi


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """The afternote web app. `database` (already migrated) and `clock` (naive UTC) are for tests and embedding;
    by default the database is the one the settings name, opened when the app starts."""
    settings = settings or env_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        opened = None
        if app.state.db is None:
            try:  # a fresh data directory (no key yet) still starts: the first visit sets it up (pages/first_run)
                opened = app.state.db = open_database(settings, check=False)
                opened.check()
            except AfternoteError as error:  # /readyz and every route say so; the message names no health data
                app.state.not_ready = error
                if not settings.fresh:  # a first run is not a problem: the first visit sets it up
                    log.warning("records database not ready: %s", error)
        # the first clinician's draft should not wait a second for the model and lexicon to load
        threading.Thread(target=warm_up, name="afternote-warm-up", daemon=True).start()
        yield
        if opened is not None:
            opened.dispose()

    from importlib.metadata import version
    app = FastAPI(title="afternote", version=version("afternote"), lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json", generate_unique_id_function=lambda route: route.name,
                  description="From a therapist's key points to a structured, signed progress note. Sign in with "
                              "POST /api/v1/session (cookie + CSRF token) or send an API token as a bearer token.")
    app.state.settings, app.state.db, app.state.clock = settings, database, clock or utcnow
    sign_in_limits.password_checks.resize(settings.max_password_checks)
    app.state.not_ready = None  # why the records cannot be opened, when they cannot
    problems.install(app)
    app.add_middleware(RefuseControlCharacters)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)  # before anything reads a body
    app.add_middleware(SecurityHeaders)
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(health)
    pages.install(app)  # the HTML pages and /static (web/pages/)
    app.openapi = _problem_openapi(app)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory` (each worker process builds its own app from AFTERNOTE_* settings)."""
    return create_app()
