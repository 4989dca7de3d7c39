"""For tests and benchmarks: `afternote serve` in a subprocess on a free loopback port, stopped on exit."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(env: dict[str, str], *, workers: int = 1, log: Path | None = None,
                   timeout: float = 60) -> Iterator[str]:
    """Start `afternote serve` on 127.0.0.1 with `env` added to this process's environment; yields its base URL
    once /readyz answers, and stops it (and its workers) on exit."""
    port = free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-c", "from afternote.cli import main; main()", "serve", "--port", str(port),
         "--workers", str(workers)], env={**os.environ, **env}, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"afternote serve exited with {process.returncode}" + (f"; see {log}" if log else ""))
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("afternote serve did not become ready in time")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()  # uvicorn's supervisor stops its workers on SIGTERM
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()


def server_env(database_url: str, keyring, data_dir: Path) -> dict[str, str]:
    """The environment that points `afternote serve` at a records database and its key."""
    from afternote.records.crypto import encode_key
    return {"AFTERNOTE_DATABASE_URL": database_url, "AFTERNOTE_DATA_DIR": str(data_dir),
            "AFTERNOTE_KEY": ",".join(encode_key(k) for k in keyring.keys)}


def run_schemathesis(base: str, token: str, workdir: Path, *, max_examples: int, seed: int = 1,
                     timeout: float = 600) -> tuple[int, int, str]:
    """schemathesis against the running server's OpenAPI document, signed in with `token`: checks that no
    response is a 5xx and every response matches the schema. Returns (exit code, test cases run, output).

    Revoking tokens is left out: the stateful phase would revoke the very token it is signed in with (the
    revocation is tested in tests/web/test_api_sign_in.py)."""
    import re
    import shutil
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    result = subprocess.run(
        [st, "run", f"{base}/api/v1/openapi.json", "-H", f"Authorization: Bearer {token}",
         "--checks", "not_a_server_error,response_schema_conformance", "--max-examples", str(max_examples),
         "--seed", str(seed), "--generation-allow-x00", "true", "--exclude-path", "/api/v1/tokens/{token_id}",
         "--request-timeout", "30"],
        cwd=workdir, capture_output=True, text=True, timeout=timeout, env={**os.environ, "NO_COLOR": "1"})
    found = re.search(r"(\d+) generated", result.stdout)
    return result.returncode, int(found.group(1)) if found else 0, result.stdout + result.stderr
