"""A limit on request bodies, before anything reads them: a declared Content-Length over the limit is refused at
once, and a streamed body is counted chunk by chunk and refused as soon as it passes the limit. So an
unauthenticated client cannot make the server hold a large body in memory (key points are at most 20,000
characters; every form and JSON body fits well within the default of 1 MB)."""
from __future__ import annotations

from starlette.exceptions import HTTPException

from afternote.web.problems import problem


def too_large(limit: int) -> str:
    return (f"The request body is larger than this server accepts ({limit:,} bytes). Send less (key points are at "
            "most 20,000 characters); the limit is the AFTERNOTE_MAX_BODY_BYTES setting.")


class BodySizeLimit:
    """Pure ASGI middleware: 413 with a problem body for a body over `limit` bytes."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await problem(413, "body-too-large", "Request body too large", too_large(self.limit))(
                scope, receive, send)
            return
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:  # the route's body parsing passes this on; the handler answers 413
                    raise HTTPException(413, too_large(self.limit))
            return message

        await self.app(scope, counted, send)
