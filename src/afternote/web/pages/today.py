"""Today: sessions that need a note, drafts to sign, overdue work in red, notes signed this week."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from afternote.web.deps import CurrentCaller, DatabaseDep
from afternote.web.pages.common import PageRoute, render
from afternote.workflow import today as today_service

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/")
def today(request: Request, caller: CurrentCaller, db: DatabaseDep,
          clinician: Annotated[str | None, Query(max_length=100)] = None):
    now = request.app.state.clock()  # UTC, like every stored time; the page shows them in the practice's zone
    view = today_service.today(db, caller.actor, now=now, clinician=clinician or None)
    return render(request, "today.html", caller, today=view, now=now,
                  team_usernames=today_service.team_of(db, caller.actor),
                  break_minutes=today_service.BREAK_MINUTES)
