"""Note formats: the built-ins and the practice's own, with their sections."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from afternote.errors import FormatError
from afternote.formats import Format, available_formats
from afternote.web.deps import CurrentActor, SettingsDep
from afternote.web.problems import responses

router = APIRouter(prefix="/formats", tags=["formats"], responses=responses(401, 404, 422))


class SectionOut(BaseModel):
    key: str
    title: str
    guidance: str
    categories: list[str]
    empty: str
    loinc: str | None
    required: bool


class FormatOut(BaseModel):
    key: str
    name: str
    description: str
    source: str = Field(description="builtin, or practice (a file in the practice's formats folder).")
    sections: list[SectionOut]


def _out(fmt: Format) -> FormatOut:
    return FormatOut(key=fmt.key, name=fmt.name, description=fmt.description, source=fmt.source,
                     sections=[SectionOut(key=s.key, title=s.title, guidance=s.guidance, categories=list(s.categories),
                                          empty=s.empty, loinc=s.loinc, required=s.required) for s in fmt.sections])


@router.get("")
def list_formats(actor: CurrentActor, settings: SettingsDep) -> list[FormatOut]:
    return [_out(f) for f in available_formats(settings.formats_dir).values()]


@router.get("/{key}")
def get_format(key: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,50}$")], actor: CurrentActor,
               settings: SettingsDep) -> FormatOut:
    fmt = available_formats(settings.formats_dir).get(key.lower())
    if fmt is None:
        raise FormatError(f"Unknown format '{key}'. GET /api/v1/formats lists them.")
    return _out(fmt)
