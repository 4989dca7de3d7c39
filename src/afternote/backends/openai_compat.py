"""The `openai` backend: any OpenAI-compatible server (Ollama, llama.cpp's server, vLLM, LM Studio, a cloud API).

Health data goes wherever the base URL points, so the URL is judged before anything is sent: loopback is fine; a
practice-network address over plain http:// gets a warning (use TLS); any other host counts as a cloud service and
is refused unless the practice has declared a business associate agreement (AFTERNOTE_OPENAI_BAA=true).
"""
from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from afternote.backends import BackendFailed, BackendTimeout, Deadline, Request
from afternote.errors import EngineError

log = logging.getLogger("afternote.backends")

INSTALL_HINT = "the openai engine needs the openai package: pip install 'afternote[llm]'"
_PRIVATE_SUFFIXES = (".local", ".lan", ".internal", ".home.arpa", ".localdomain")


def endpoint_kind(base_url: str) -> str:
    """'loopback', 'private' (the practice's own network) or 'public' (anything else: treated as a cloud service).

    Judged from the URL alone, without a DNS lookup: a public host name is public even if it resolves inside.
    """
    host = (urlsplit(base_url).hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "private" if ("." not in host or host.endswith(_PRIVATE_SUFFIXES)) and host else "public"
    if address.is_loopback:
        return "loopback"
    return "private" if address.is_private or address.is_link_local else "public"


def check_endpoint(base_url: str, baa: bool) -> str:
    """Refuse what must not receive health data; warn about what should not. Returns the endpoint kind."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(f"AFTERNOTE_OPENAI_BASE_URL must be an http(s) URL such as http://127.0.0.1:11434/v1, "
                          f"not '{base_url}'.")
    kind = endpoint_kind(base_url)
    if kind == "public" and not baa:
        raise EngineError(f"{parts.hostname} is not on this computer or the practice network, so it would receive "
                          "health data. Set AFTERNOTE_OPENAI_BAA=true only if the practice has a business associate "
                          "agreement with that provider; otherwise run a local model (docs/engines.md).")
    if kind != "loopback" and parts.scheme == "http":
        log.warning("afternote: %s is reached over plain http://; key points travel unencrypted. Use https:// "
                    "for a server that is not on this computer.", parts.hostname)
    return kind


class OpenAICompatBackend:
    """Chat completions over HTTP; asks for schema-constrained JSON and steps down to what the server accepts."""

    # response_format styles, most to least constrained: OpenAI/vLLM/Ollama/LM Studio, llama.cpp, plain JSON, none
    _STYLES = ("json_schema", "json_object_schema", "json_object", "none")

    def __init__(self, base_url: str, model: str, api_key: str | None = None, baa: bool = False):
        self.base_url = base_url
        self.model = model
        self.api_key = api_key
        self.kind = check_endpoint(base_url, baa)
        self.name = f"server {urlsplit(base_url).hostname} model {model}"
        self.supports_schema = True
        self._style = 0
        self._client: Any = None

    def client(self) -> Any:
        if self._client is None:
            try:
                import openai
            except ImportError:
                raise EngineError(INSTALL_HINT) from None
            # retries are ours to decide (the engine retries once); the key is never logged
            self._client = openai.OpenAI(base_url=self.base_url, api_key=self.api_key or "not-needed",
                                         max_retries=0)
        return self._client

    def _response_format(self, schema: dict | None) -> dict | None:
        style = self._STYLES[self._style]
        if schema is None or style == "none":
            return None
        if style == "json_schema":
            return {"type": "json_schema", "json_schema": {"name": "note", "schema": schema, "strict": True}}
        if style == "json_object_schema":
            return {"type": "json_object", "schema": schema}
        return {"type": "json_object"}

    def stream(self, request: Request) -> Iterator[str]:
        import openai

        client = self.client()
        deadline = Deadline(request, "openai")
        while True:
            response_format = self._response_format(request.schema)
            kwargs: dict[str, Any] = {"model": self.model, "messages": request.messages, "stream": True,
                                      "max_tokens": request.max_tokens, "temperature": request.temperature,
                                      "timeout": deadline.remaining}
            if response_format is not None:
                kwargs["response_format"] = response_format
            try:
                deadline.check()
                chunks = client.chat.completions.create(**kwargs)
                break
            except openai.APIStatusError as exc:
                # the server does not take this response_format: try the next, less constrained one (llama.cpp's
                # Python server reports its validation error as HTTP 500 naming the field)
                refused = exc.status_code in (400, 422) or "response_format" in str(exc.message)
                if not refused:
                    raise _failure(exc, self.base_url, request) from None
                if request.schema is None or self._style >= len(self._STYLES) - 1:
                    raise BackendFailed("the server refused the request (HTTP 400/422); check the model name "
                                        "and that the server speaks the OpenAI chat API") from None
                self._style += 1
                self.supports_schema = self._STYLES[self._style] in ("json_schema", "json_object_schema")
            except openai.APIError as exc:
                raise _failure(exc, self.base_url, request) from None
        try:
            with chunks:
                for chunk in chunks:
                    deadline.check()
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    if choice.finish_reason == "length":
                        request.truncated = True
                    text = choice.delta.content if choice.delta else None
                    if text:
                        yield text
        except openai.APIError as exc:
            raise _failure(exc, self.base_url, request) from None


def _failure(exc: Exception, base_url: str, request: Request) -> BackendFailed:
    """A message a person can act on: which server, what kind of failure; never the request body."""
    import openai

    host = urlsplit(base_url).hostname
    if isinstance(exc, openai.APITimeoutError):
        return BackendTimeout(f"the server at {host} did not answer within {request.timeout:g} seconds")
    if isinstance(exc, openai.APIConnectionError):
        return BackendFailed(f"cannot reach the server at {host}; check that it is running and "
                             "AFTERNOTE_OPENAI_BASE_URL")
    if isinstance(exc, openai.AuthenticationError):
        return BackendFailed(f"the server at {host} refused the API key; check AFTERNOTE_OPENAI_API_KEY")
    if isinstance(exc, openai.NotFoundError):
        return BackendFailed(f"the server at {host} does not know that model or path; check AFTERNOTE_OPENAI_MODEL "
                             "and that the base URL ends in /v1")
    status = getattr(exc, "status_code", None)
    return BackendFailed(f"the server at {host} failed ({exc.__class__.__name__}"
                         + (f", HTTP {status}" if status else "") + ")")
