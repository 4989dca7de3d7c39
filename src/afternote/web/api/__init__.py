"""The JSON API under /api/v1: one small module per resource, each route a few lines calling workflow/."""
from fastapi import APIRouter

from afternote.web.api import (appointments, audit, backlog, chart, clients, exports, formats, measures, note_goals,
                               notes, plans, practice, session, tokens, two_factor, users)

router = APIRouter()
for module in (session, tokens, clients, measures, plans, appointments, notes, note_goals, exports, formats, backlog,
               audit, two_factor, users, practice):
    router.include_router(module.router)
router.include_router(chart.router)
router.include_router(chart.codes)
