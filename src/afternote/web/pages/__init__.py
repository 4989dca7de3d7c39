"""The HTML pages: one small module per screen, each route a few lines calling the service layer.

`install(app)` adds the pages and mounts our own script and stylesheet at /static (no CDN, no inline script).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from afternote.web.pages import (chart, clients, first_run, notes, plans, settings, signing_in, today, two_factor,
                                 versions)

STATIC = Path(__file__).parent.parent / "static"

router = APIRouter(include_in_schema=False)
for module in (first_run, signing_in, today, clients, chart, plans, notes, versions, settings, two_factor):
    router.include_router(module.router)


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
