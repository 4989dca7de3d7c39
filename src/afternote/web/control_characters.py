"""NUL and the other control characters are refused on every field of every route, in one place: the path, the
query, and JSON or form bodies are read here before any route sees them. Tab, line feed and carriage return are
text (multi-line key points, addenda); lone surrogates are not text either. The refusal names the field, never
the value (it may be health data)."""
from __future__ import annotations

import json
import unicodedata
from urllib.parse import parse_qsl, unquote

from starlette.exceptions import HTTPException

from afternote.web.problems import problem

ALLOWED = frozenset("\t\n\r")
READ_BODIES = ("application/json", "application/x-www-form-urlencoded")


def is_control(char: str) -> bool:
    return char not in ALLOWED and unicodedata.category(char) in ("Cc", "Cs")


def first_control(value: str) -> int | None:
    """The position of the first refused character in `value`, if any."""
    return next((i for i, char in enumerate(value) if is_control(char)), None)


def _fields(value, where: str):
    """(field, text) for every string in a JSON value, its keys included."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _fields(item, f"{where}.{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}.{key}"[:200], key
            yield from _fields(item, f"{where}.{key}"[:200])


def refused_field(path: str, query: str, content_type: str, body: bytes) -> tuple[str, int] | None:
    """The first field holding a refused character, and where in it; None when every field is text."""
    candidates = [("path", unquote(path, errors="replace"))]
    candidates += [(f"query.{k}", k) for k, _ in parse_qsl(query, keep_blank_values=True)]
    candidates += [(f"query.{k}", v) for k, v in parse_qsl(query, keep_blank_values=True)]
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("application/json") and body:
        try:
            candidates += list(_fields(json.loads(text), "body"))
        except ValueError:
            pass  # not JSON: the route's own validation says so
    elif content_type.startswith("application/x-www-form-urlencoded"):
        pairs = parse_qsl(text, keep_blank_values=True)
        candidates += [(f"body.{k}"[:200], k) for k, _ in pairs] + [(f"body.{k}"[:200], v) for k, v in pairs]
    for field, value in candidates:
        position = first_control(value)
        if position is not None:
            return field, position
    return None


def message(field: str, position: int) -> str:
    return (f"{field} holds a control character (such as NUL) at position {position + 1}. Remove it and send "
            "again; tabs and line breaks are fine. Nothing was saved.")


class RefuseControlCharacters:
    """Pure ASGI middleware: 422 for a control character anywhere in the path, query or body."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1").lower()
        messages: list[dict] = []
        if content_type.startswith(READ_BODIES):
            try:  # the body limit (outside this) bounds what is held here
                while True:
                    messages.append(await receive())
                    if messages[-1]["type"] != "http.request" or not messages[-1].get("more_body"):
                        break
            except HTTPException as error:
                await problem(error.status_code, "body-too-large", "Request body too large", error.detail)(
                    scope, receive, send)
                return
        refused = refused_field(scope.get("raw_path", scope["path"].encode()).decode("latin-1"),
                                scope.get("query_string", b"").decode("latin-1"), content_type,
                                b"".join(m.get("body", b"") for m in messages))
        if refused is not None:
            await problem(422, "control-character", "A control character was sent", message(*refused),
                          errors=[{"field": refused[0], "message": "control character"}])(scope, receive, send)
            return

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay if messages else receive, send)
