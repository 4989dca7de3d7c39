"""Exports as downloads: a note (`GET /notes/{id}/export?as=pdf`) or a client's record for a period
(`GET /clients/{id}/export?as=pdf&from=...&to=...`). The file name carries ids only, never health data; the
service audits every export, and refuses (404, audited) a record the caller cannot see."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from afternote.web.api.fields import RecordId
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import exports

router = APIRouter(tags=["exports"], responses=responses(401, 403, 404, 422))
FILE = {200: {"description": "The exported file (Content-Disposition names it).",
              "content": {"application/pdf": {}, "application/fhir+json": {}, "text/plain": {}, "text/markdown": {},
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}}
Format = Annotated[str, Query(alias="as", pattern=r"^[a-z0-9_-]{1,30}$",
                              description="pdf, docx, fhir, text or markdown (a record: pdf or fhir).")]


def _download(export: exports.Export) -> Response:
    return Response(export.content, media_type=export.media_type, headers={
        "Content-Disposition": f'attachment; filename="{export.filename}"', "Cache-Control": "no-store"})


@router.get("/notes/{note_id}/export", response_class=Response, responses=FILE)
def export_note(note_id: RecordId, actor: CurrentActor, db: DatabaseDep, as_: Format = "pdf") -> Response:
    """A note as a file: a signed note as it was sealed, with the result of verifying it; a draft marked DRAFT."""
    return _download(exports.export_note(db, actor, note_id, as_))


@router.get("/clients/{client_id}/export", response_class=Response, responses=FILE)
def export_client_record(client_id: RecordId, actor: CurrentActor, db: DatabaseDep,
                         start: Annotated[dt.date, Query(alias="from", description="First session date.")],
                         end: Annotated[dt.date, Query(alias="to", description="Last session date.")],
                         as_: Format = "pdf") -> Response:
    """A client's record for a period: every signed note and its addenda, as one PDF or one FHIR Bundle."""
    return _download(exports.export_client_record(db, actor, client_id, as_, start, end))
