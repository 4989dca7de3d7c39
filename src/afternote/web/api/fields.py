"""Field types shared by the resources: record ids are opaque hex (ids only in URLs, never names), and text
never holds a NUL (PostgreSQL refuses it), so such input is a 422 naming the field, never a 500."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, Field

ID_PATTERN = r"^[0-9a-f]{32}$"
NO_NUL = r"^[^\x00]*$"

RecordId = Annotated[str, Path(pattern=ID_PATTERN, description="A record id (32 hex digits).")]
BodyId = Annotated[str, Field(pattern=ID_PATTERN, description="A record id (32 hex digits).")]
QueryId = Annotated[str | None, Query(pattern=ID_PATTERN, description="A record id (32 hex digits).")]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
Line = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
Text = Annotated[str, Field(max_length=50_000)]  # stored encrypted: any character is fine


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


# Moments the records keep in UTC (audit events, signatures, saves, session times): sent with their offset (RFC 3339).
UtcDateTime = Annotated[dt.datetime, AfterValidator(_utc)]
