"""A lost or wrong key file: `serve` and the CLI refuse to start and say how to restore it; no new key is ever made
beside records; a server started without a usable key answers /readyz with 503 and offers no first run."""
import os
import subprocess
import sys

import httpx
import pytest

from afternote.records.crypto import encode_key, new_key
from testkit.records import BACKENDS, drop_pg_database, fresh_pg_database
from testkit.server import free_port

AFTERNOTE = [sys.executable, "-c", "from afternote.cli import main; main()"]
RESTORE_HINT = "Restore the key file that was in use from your backup"


def afternote(env, *args, code=0, stdin=None):
    done = subprocess.run([*AFTERNOTE, *args], env=env, capture_output=True, text=True, timeout=120, input=stdin)
    assert done.returncode == code, (args, done.stdout, done.stderr)
    return done


@pytest.fixture(params=BACKENDS)
def practice(request, tmp_path):
    """A data directory set up with `afternote init` and one client; yields (env, key file or None)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AFTERNOTE_")}
    env.update(AFTERNOTE_DATA_DIR=str(tmp_path / "data"), AFTERNOTE_NEW_PASSWORD="correct horse battery",
               AFTERNOTE_USER="dana", AFTERNOTE_PASSWORD="correct horse battery")
    url = None
    if request.param == "postgresql":
        url = fresh_pg_database()
        env.update(AFTERNOTE_DATABASE_URL=url, AFTERNOTE_KEY=encode_key(new_key()))
    try:
        afternote(env, "init", "--username", "dana")
        afternote(env, "clients", "add", "Jane Roe")
        yield env
    finally:
        if url:
            drop_pg_database(url)


def lose_the_key(env):
    key_file = os.path.join(env["AFTERNOTE_DATA_DIR"], "afternote.key")
    if "AFTERNOTE_KEY" in env:
        del env["AFTERNOTE_KEY"]
    else:
        os.remove(key_file)
    return key_file


def test_serve_refuses_records_whose_key_file_is_gone_and_makes_no_new_key(practice):
    key_file = lose_the_key(practice)
    refused = afternote(practice, "serve", "--port", str(free_port()), code=2)
    assert RESTORE_HINT in refused.stderr and "AFTERNOTE_KEY" in refused.stderr
    assert "first run" not in refused.stderr
    assert not os.path.exists(key_file)


def test_the_cli_refuses_without_the_key_and_init_makes_no_new_one(practice):
    key_file = lose_the_key(practice)
    assert RESTORE_HINT in afternote(practice, "clients", code=2).stderr
    refused = afternote(practice, "init", "--username", "eve", code=2)
    assert "holds records" in refused.stderr and RESTORE_HINT in refused.stderr
    assert not os.path.exists(key_file)


def test_serve_and_the_cli_refuse_a_key_that_does_not_open_the_records(practice):
    practice["AFTERNOTE_KEY"] = encode_key(new_key())  # another key than the one the records were written under
    refused = afternote(practice, "serve", "--port", str(free_port()), code=2)
    assert "does not open the records" in refused.stderr and RESTORE_HINT in refused.stderr
    assert "does not open the records" in afternote(practice, "clients", code=2).stderr


@pytest.mark.parametrize("problem", ["missing", "wrong"])
def test_a_server_without_a_usable_key_is_not_ready_and_offers_no_first_run(practice, problem, answering):
    key_file = lose_the_key(practice)
    if problem == "wrong":
        practice["AFTERNOTE_KEY"] = encode_key(new_key())
    port = free_port()  # the app as uvicorn's workers build it, started without `serve`'s checks
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "afternote.web.app:app_from_env", "--factory",
                                "--port", str(port), "--log-level", "warning"], env=practice,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        answering(base)
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 503 and RESTORE_HINT in ready.json()["detail"]
        clients = httpx.get(f"{base}/api/v1/clients")
        assert clients.status_code == 503
        start = httpx.get(f"{base}/", follow_redirects=False)
        assert start.status_code == 503 and "setup" not in start.headers.get("location", "")
        setup = httpx.post(f"{base}/setup", data={"practice": "P", "display_name": "Eve", "username": "eve",
                                                  "password": "a long enough password",
                                                  "password_again": "a long enough password"},
                           follow_redirects=False)
        assert setup.status_code == 503
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert not os.path.exists(key_file)
    practice.pop("AFTERNOTE_KEY", None)
