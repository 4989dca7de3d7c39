"""Security headers on every response, and containment of unexpected errors.

- CSP with no inline scripts or styles, no framing (frame-ancestors 'none', X-Frame-Options DENY), no sniffing,
  no referrer; `Cache-Control: no-store` on everything but our own static files, since pages and API answers
  carry health data.
- An unexpected exception becomes a bare 500 problem; the log gets its type and the route, never its message or
  traceback (either may hold health data).
"""
from __future__ import annotations

import logging
import traceback
import uuid
from pathlib import Path

from starlette.datastructures import MutableHeaders

from afternote.web.problems import problem

log = logging.getLogger("afternote.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task overhead)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        cacheable = scope["path"].startswith("/static/")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if not cacheable:
                    headers["Cache-Control"] = "no-store"
                    headers["Pragma"] = "no-cache"
                if https:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:  # noqa: BLE001  (anything the handlers did not map)
            reference = uuid.uuid4().hex[:12]
            route = getattr(scope.get("route"), "path", "?")
            # where it was raised (file and line: code, never data), so the reference leads somewhere
            frames = traceback.extract_tb(error.__traceback__)
            where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
            log.error("unexpected %s at %s on %s %s (reference %s)", type(error).__name__, where,
                      scope.get("method"), route, reference)
            if started:
                raise RuntimeError("response already started") from None
            response = problem(500, "internal", "Internal error",
                               f"Something went wrong on the server (reference {reference}). Nothing was saved "
                               "by this request; try again, and tell the practice's administrator if it repeats.")
            await response(scope, receive, send_with_headers)
