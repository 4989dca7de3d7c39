"""`afternote serve`: loopback by default, a clear warning beyond loopback without TLS, one worker on SQLite."""
import subprocess
import sys
import time

import httpx
import pytest

from afternote.cli.serve import is_loopback
from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database
from testkit.server import free_port, server_env

SERVE = [sys.executable, "-c", "from afternote.cli import main; main()", "serve"]


@pytest.fixture
def env(tmp_path):
    keyring = Keyring((new_key(),))
    url = f"sqlite:///{tmp_path / 'afternote.db'}"
    Database(url, keyring).migrate()
    return {**__import__("os").environ, **server_env(url, keyring, tmp_path)}


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("clinic.example")


def test_several_workers_need_postgresql(env):
    result = subprocess.run([*SERVE, "--workers", "2"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "need PostgreSQL" in result.stderr


def test_serve_refuses_a_database_that_is_not_initialised(tmp_path):
    env = {**__import__("os").environ, **server_env(f"sqlite:///{tmp_path / 'none.db'}",
                                                     Keyring((new_key(),)), tmp_path)}
    result = subprocess.run(SERVE, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "afternote init" in result.stderr


def test_listening_beyond_loopback_without_tls_warns_and_serves(env):
    port = free_port()
    process = subprocess.Popen([*SERVE, "--host", "0.0.0.0", "--port", str(port)], env=env,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = process.stderr.readline()
        assert first.startswith("WARNING: listening on 0.0.0.0 without TLS")
        for _ in range(100):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        response = httpx.get(f"http://127.0.0.1:{port}/healthz")
        assert response.json() == {"status": "ok"} and "server" not in response.headers
    finally:
        process.terminate()
        process.wait(timeout=20)


def _fresh_env(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("AFTERNOTE_")}
    return {**env, "AFTERNOTE_DATA_DIR": str(tmp_path / "fresh")}


def test_a_fresh_data_directory_serves_the_first_run_page_on_this_computer(tmp_path):
    port = free_port()
    process = subprocess.Popen([*SERVE, "--port", str(port)], env=_fresh_env(tmp_path), stderr=subprocess.PIPE,
                               text=True)
    try:
        assert "first run" in process.stderr.readline()
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        start = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=False)
        assert start.status_code == 303 and start.headers["location"].endswith("/setup")
        api = httpx.get(f"http://127.0.0.1:{port}/api/v1/clients")
        assert api.status_code == 503 and "not set up" in api.json()["detail"]
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=20)
    # one message on a first run: no "not ready ... run afternote init" beside "open the browser to set it up"
    assert "not ready" not in rest and "afternote init" not in rest


def test_a_fresh_data_directory_is_not_set_up_over_the_network(tmp_path):
    result = subprocess.run([*SERVE, "--host", "0.0.0.0"], env=_fresh_env(tmp_path), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "afternote init" in result.stderr
