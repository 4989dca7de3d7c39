"""The local backend on a real GGUF model, and the list of models the CLI keeps."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from afternote.backends import BackendCancelled, BackendTimeout, Request, complete
from afternote.backends.llamacpp import LlamaCppBackend
from afternote.backends.registry import resolve_model
from afternote.errors import EngineError

AFTERNOTE = Path(sys.executable).parent / "afternote"


def afternote(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "AFTERNOTE_DATA_DIR": str(data_dir)}
    env.pop("AFTERNOTE_MODEL", None)
    return subprocess.run([str(AFTERNOTE), *args], capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def backend(model_path):
    return LlamaCppBackend(model_path, n_ctx=2048)


def test_streams_text(backend):
    request = Request(messages=[{"role": "user", "content": "Say hello."}], max_tokens=8, timeout=60)
    chunks = list(backend.stream(request))
    assert chunks and "".join(chunks).strip()
    assert request.truncated or len(chunks) < 8


def test_schema_constrains_the_answer(backend):
    schema = {"type": "object", "properties": {"n": {"enum": [3, 5]}}, "required": ["n"],
              "additionalProperties": False}
    reply = complete(backend, Request(messages=[{"role": "user", "content": "Pick a number."}], schema=schema,
                                      max_tokens=20, timeout=60))
    import json
    assert json.loads(reply.text)["n"] in (3, 5)


def test_cancel_and_timeout(backend):
    request = Request(messages=[{"role": "user", "content": "Count to fifty."}], max_tokens=200, timeout=60)
    with pytest.raises(BackendCancelled):
        for _ in backend.stream(request):
            request.cancel.set()
    with pytest.raises(BackendTimeout, match="within"):
        complete(backend, Request(messages=[{"role": "user", "content": "Hi"}], max_tokens=50, timeout=0.0001))


def test_models_add_list_and_resolve(model_path, tmp_path):
    added = afternote("models", "add", str(model_path), "--name", "smol", data_dir=tmp_path)
    assert added.returncode == 0, added.stderr
    listed = afternote("models", data_dir=tmp_path)
    assert listed.returncode == 0 and listed.stdout.startswith("* smol") and str(model_path) in listed.stdout
    assert resolve_model(tmp_path, None) == model_path
    assert resolve_model(tmp_path, "smol") == model_path
    with pytest.raises(EngineError, match="no local model named"):
        resolve_model(tmp_path, "other")


def test_models_add_refuses_what_is_not_gguf(tmp_path):
    not_model = tmp_path / "notes.txt"
    not_model.write_text("Client reported low mood.")
    result = afternote("models", "add", str(not_model), data_dir=tmp_path)
    assert result.returncode == 2 and "not a GGUF model file" in result.stderr and "low mood" not in result.stderr
    assert "No local models" in afternote("models", data_dir=tmp_path).stderr


def test_no_model_set_up_is_an_actionable_error(tmp_path):
    with pytest.raises(EngineError, match="afternote models add"):
        resolve_model(tmp_path, None)
