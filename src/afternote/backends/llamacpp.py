"""The `local` backend: llama-cpp-python running a GGUF model file on this computer. Nothing leaves the machine.

Install with `pip install 'afternote[local]'` (it builds llama.cpp from source; see docs/engines.md for the build
flags some CPUs need). A model is loaded once per process and reused; generation is serialized per model, because a
llama.cpp context serves one request at a time.
"""
from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from afternote.backends import BackendFailed, Deadline, Request
from afternote.errors import EngineError

_LOADED: dict[tuple[str, int], tuple[Any, threading.Lock]] = {}
_LOADING = threading.Lock()

INSTALL_HINT = ("the local engine needs llama-cpp-python: pip install 'afternote[local]' "
                "(see docs/engines.md for the CMAKE_ARGS some CPUs need)")


@atexit.register
def _close_all() -> None:
    # close while the interpreter is whole: llama.cpp's own finalizer fails noisily at shutdown
    for model, _ in _LOADED.values():
        try:
            model.close()
        except Exception:  # noqa: BLE001  (best effort at exit)
            pass
    _LOADED.clear()


def load(path: Path, n_ctx: int) -> tuple[Any, threading.Lock]:
    """The llama.cpp model for `path`, loaded on first use and kept for the life of the process."""
    key = (str(path), n_ctx)
    with _LOADING:
        if key not in _LOADED:
            try:
                from llama_cpp import Llama
            except ImportError:
                raise EngineError(INSTALL_HINT) from None
            if not path.is_file():
                raise EngineError(f"the model file {path} is missing. Add it again with `afternote models add PATH`.")
            threads = max(1, min(8, (os.cpu_count() or 2)))
            try:
                model = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, seed=0, verbose=False)
            except (ValueError, RuntimeError, OSError) as exc:
                raise EngineError(f"llama.cpp could not load {path.name} ({exc.__class__.__name__}). "
                                  "Check that it is a complete GGUF file that this llama-cpp-python supports.") from None
            _LOADED[key] = (model, threading.Lock())
        return _LOADED[key]


class LlamaCppBackend:
    """A GGUF model through llama-cpp-python, with JSON-schema-constrained decoding (a grammar)."""

    supports_schema = True

    def __init__(self, path: Path, n_ctx: int = 4096):
        self.path = Path(path)
        self.n_ctx = n_ctx
        self.name = f"local model {self.path.name}"

    def stream(self, request: Request) -> Iterator[str]:
        model, lock = load(self.path, self.n_ctx)
        deadline = Deadline(request, "local")
        kwargs: dict[str, Any] = {"max_tokens": request.max_tokens, "temperature": request.temperature,
                                  "stream": True, "seed": 0}
        if request.schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": request.schema}
        if not lock.acquire(timeout=deadline.remaining):
            raise BackendFailed("the local model is busy with another note; try again shortly")
        try:
            deadline.check()
            try:
                chunks = model.create_chat_completion(messages=request.messages, **kwargs)
                for chunk in chunks:
                    deadline.check()  # between tokens: a cancel or timeout stops generation here
                    choice = chunk["choices"][0]
                    if choice.get("finish_reason") == "length":
                        request.truncated = True
                    text = choice.get("delta", {}).get("content")
                    if text:
                        yield text
            except BackendFailed:
                raise
            except (ValueError, RuntimeError) as exc:
                # llama.cpp's messages name sizes and files, not the prompt; keep only the kind
                raise BackendFailed(f"llama.cpp failed while generating ({exc.__class__.__name__}); "
                                    "the prompt may exceed the model's context size") from None
        finally:
            lock.release()
