"""Lists come a page at a time: `limit` (1 to 200, default 50) and `offset`; `next_offset` is null on the last."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

T = TypeVar("T")
MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int

    @property
    def fetch(self) -> int:
        """How many rows to ask a service for: this page and one more, to know whether another follows."""
        return self.offset + self.limit + 1


def page_params(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
                offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0) -> PageParams:
    return PageParams(limit, offset)


PageDep = Annotated[PageParams, Depends(page_params)]


def paginate(rows: list, params: PageParams, convert) -> dict:
    chunk = rows[params.offset:params.offset + params.limit]
    more = len(rows) > params.offset + params.limit
    return {"items": [convert(row) for row in chunk], "limit": params.limit, "offset": params.offset,
            "next_offset": params.offset + params.limit if more else None}
