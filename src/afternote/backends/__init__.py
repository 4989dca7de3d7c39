"""Language-model backends: one small protocol, in the spirit of simonw/llm's Model.

A backend has a `name`, says whether it can follow a JSON schema (`supports_schema`), and `stream`s the text of one
chat request in chunks. `complete` joins them. Every call has a deadline and can be cancelled; a backend that cannot
answer raises BackendFailed with a message that names the backend and what to do, never the request's text.

Heavy libraries (llama_cpp, openai) are imported only when a backend is first used, so the builtin engine stays fast.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from afternote.errors import AfternoteError


class BackendFailed(AfternoteError):
    """The backend could not answer: unreachable, refused, too slow or cancelled. No health data in the message."""


class BackendTimeout(BackendFailed):
    """The answer did not arrive before the request's deadline."""


class BackendCancelled(BackendFailed):
    """Someone cancelled the request while it ran."""


@dataclass
class Request:
    """One chat request: messages, an optional JSON schema to constrain the answer, limits."""

    messages: list[dict[str, str]]
    schema: dict[str, Any] | None = None
    max_tokens: int = 1024
    temperature: float = 0.0
    timeout: float = 120.0
    cancel: threading.Event = field(default_factory=threading.Event)
    # set by the backend when generation stopped at max_tokens
    truncated: bool = False


@dataclass
class Reply:
    """What came back: the text, and whether it stopped because it hit max_tokens."""

    text: str
    truncated: bool = False


class Backend(Protocol):
    name: str
    supports_schema: bool

    def stream(self, request: Request) -> Iterator[str]:
        """The answer's text in chunks, as it is generated; a final "" chunk is allowed.

        Raises BackendTimeout past `request.timeout` seconds, BackendCancelled once `request.cancel` is set,
        BackendFailed for anything else. Sets `request.truncated` when generation stopped at max_tokens.
        """
        ...


class Deadline:
    """Checks a request's time limit and cancel flag between chunks."""

    def __init__(self, request: Request, backend: str):
        self.request = request
        self.backend = backend
        self.ends = time.monotonic() + request.timeout

    @property
    def remaining(self) -> float:
        return max(0.1, self.ends - time.monotonic())

    def check(self) -> None:
        if self.request.cancel.is_set():
            raise BackendCancelled(f"the {self.backend} request was cancelled")
        if time.monotonic() > self.ends:
            raise BackendTimeout(f"the {self.backend} model did not answer within {self.request.timeout:g} seconds")


def complete(backend: Backend, request: Request) -> Reply:
    """The whole answer of one request."""
    text = "".join(backend.stream(request))
    return Reply(text=text, truncated=request.truncated)
