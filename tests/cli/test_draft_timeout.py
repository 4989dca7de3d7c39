"""`afternote draft --timeout SECONDS`: a dead or silent server costs at most that long, then the built-in draft
is printed with a notice that says why and carries no health data. Real console script, real sockets on loopback."""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

AFTERNOTE = Path(sys.executable).parent / "afternote"
KEY_POINTS = "Client reports low mood after job loss. Denies SI.\nPlan: next session in 1 week.\n"
HEALTH_WORDS = ("low mood", "job loss", "SI", "suicid")


def needs_openai() -> None:
    if importlib.util.find_spec("openai") is not None:
        return
    if os.environ.get("AFTERNOTE_SKIP_LLM_TESTS") == "1":
        pytest.skip("AFTERNOTE_SKIP_LLM_TESTS=1 and the openai package is not installed")
    pytest.fail("the openai engine tests need the openai package: pip install -e '.[test-llm]' "
                "(or set AFTERNOTE_SKIP_LLM_TESTS=1 to skip them)")


def run(tmp_path: Path, base_url: str, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    notes = tmp_path / "session.txt"
    notes.write_text(KEY_POINTS, encoding="utf-8")
    env = {**os.environ, "AFTERNOTE_DATA_DIR": str(tmp_path / "data"), "AFTERNOTE_OPENAI_BASE_URL": base_url,
           "AFTERNOTE_OPENAI_MODEL": "any", "AFTERNOTE_LLM_TIMEOUT": "600"}  # --timeout must win over this
    env.pop("AFTERNOTE_ENGINE", None)
    started = time.monotonic()
    result = subprocess.run([str(AFTERNOTE), "draft", str(notes), "--engine", "openai", *args],
                            capture_output=True, text=True, env=env, timeout=60)
    return result, time.monotonic() - started


def notice_of(result: subprocess.CompletedProcess) -> str:
    notices = [line for line in result.stderr.splitlines() if line.startswith("Notice: ")]
    assert len(notices) == 1, result.stderr
    for word in HEALTH_WORDS:
        assert word not in notices[0]
    return notices[0]


def assert_builtin_note(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Subjective:" in result.stdout and "Plan:" in result.stdout


def free_port() -> int:
    with socket.socket() as sock:  # nobody listens on it once the socket is closed
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_dead_server_gives_a_clear_notice_and_the_builtin_draft(tmp_path):
    needs_openai()
    result, _ = run(tmp_path, f"http://127.0.0.1:{free_port()}/v1", "--timeout", "5")
    assert_builtin_note(result)
    assert "cannot reach the server at 127.0.0.1" in notice_of(result)


def test_a_silent_server_is_given_up_on_after_timeout_seconds(tmp_path):
    needs_openai()
    with socket.socket() as server:  # accepts connections (the kernel's backlog) and never answers
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        port = server.getsockname()[1]
        result, elapsed = run(tmp_path, f"http://127.0.0.1:{port}/v1", "--timeout", "1.5")
    assert_builtin_note(result)
    notice = notice_of(result)
    assert "did not answer within 1.5 seconds" in notice and "--timeout" in notice
    assert elapsed < 30  # 1.5 s of waiting plus starting Python; AFTERNOTE_LLM_TIMEOUT=600 was overridden


def test_timeout_must_be_positive(tmp_path):
    result, _ = run(tmp_path, "http://127.0.0.1:9/v1", "--timeout", "0")
    assert result.returncode == 2 and "--timeout" in result.stderr and result.stdout == ""


def test_builtin_draft_with_timeout_loads_no_model_library(tmp_path):
    notes = tmp_path / "session.txt"
    notes.write_text(KEY_POINTS, encoding="utf-8")
    code = ("import sys\nfrom afternote.cli import main\n"
            f"sys.argv = ['afternote', 'draft', {str(notes)!r}, '--timeout', '5']\n"
            "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "print('LOADED', sorted(m for m in ('llama_cpp', 'openai') if m in sys.modules))\n")
    env = {**os.environ, "AFTERNOTE_DATA_DIR": str(tmp_path / "data")}
    env.pop("AFTERNOTE_ENGINE", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Subjective:" in result.stdout and "LOADED []" in result.stdout
