"""What a request may carry: a body over the limit is refused with 413 before it is read (against a running
server, whose memory does not grow), and NUL or another control character in any field is a 422 that names the
field, on SQLite and PostgreSQL, with nothing saved."""
import os
import subprocess
import sys
import time

import httpx
import pytest

from testkit.records import KEY_POINTS
from testkit.server import free_port, server_env

FIVE_MB = 5 * 1024 * 1024


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def settled_rss_kb(pid: int, timeout: float = 60) -> int:
    """The server's memory once it stops growing: it loads the drafting reader in the background as it starts."""
    last, deadline = rss_kb(pid), time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1)
        now = rss_kb(pid)
        if abs(now - last) < 256:
            return now
        last = now
    return last


@pytest.fixture
def server(tmp_path, keyring, answering):
    """`afternote serve` (one process: uvicorn serves in it) on a migrated SQLite database; yields (base, pid)."""
    from afternote.records.database import Database
    url = f"sqlite:///{tmp_path / 'afternote.db'}"
    Database(url, keyring).migrate()
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", "from afternote.cli import main; main()", "serve", "--port",
                                str(port)], env={**os.environ, **server_env(url, keyring, tmp_path)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert answering(base, "/readyz").status_code == 200
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_5_mb_unauthenticated_post_is_refused_with_413_and_the_server_does_not_grow(server):
    base, pid = server
    httpx.post(f"{base}/api/v1/session", json={"username": "x", "password": "y"})  # warm: routes and models loaded
    before = settled_rss_kb(pid)
    for _ in range(3):
        refused = httpx.post(f"{base}/api/v1/notes", content=b'{"key_points": "' + b"a" * FIVE_MB + b'"}',
                             headers={"Content-Type": "application/json"}, timeout=30)
        assert refused.status_code == 413 and "larger than this server accepts" in refused.json()["detail"]
    assert rss_kb(pid) - before < 5 * 1024  # kB: not even one body's worth was held


def test_a_streamed_body_without_a_length_is_counted_and_refused(server):
    base, pid = server
    paths = (("/api/v1/notes", "application/json"), ("/sign-in", "application/x-www-form-urlencoded"),
             ("/api/v1/clients", "text/plain"))

    def chunks():
        for _ in range(FIVE_MB // 65536):
            yield b"a" * 65536

    def refuse_each():
        for path, kind in paths:
            refused = httpx.post(f"{base}{path}", content=chunks(), headers={"Content-Type": kind}, timeout=30)
            assert refused.status_code == 413, path

    for _ in range(2):  # warm: each route's code and the allocator's arenas in place before memory is measured
        refuse_each()
    before = settled_rss_kb(pid)
    for _ in range(3):
        refuse_each()
    assert rss_kb(pid) - before < 5 * 1024  # kB: 45 MB were sent; less than one body's worth stayed


def test_a_body_within_the_limit_is_served(client, clinic, bearer):
    drafted = client.post("/api/v1/notes", headers=bearer(clinic.clinician),
                          json={"appointment_id": clinic.appointment_id, "key_points": KEY_POINTS})
    assert drafted.status_code == 201, drafted.text


NUL = "a\x00b"


@pytest.mark.parametrize("method, path, body", [
    ("post", "/api/v1/clients", {"name": NUL}),
    ("post", "/api/v1/clients", {"name": "Jo Doe", "identifier": "MRN\x07"}),
    ("post", "/api/v1/tokens", {"name": NUL}),
    ("post", "/api/v1/notes", {"appointment_id": "APPOINTMENT", "key_points": "Pt calm.\x00 f/u 1wk"}),
    ("post", "/api/v1/session", {"username": NUL, "password": "whatever it is"}),
    ("get", "/api/v1/audit?record=a%00b", None),
    ("get", "/api/v1/clients/a%00b", None),
])
def test_a_control_character_in_any_field_is_422_and_saves_nothing(client, clinic, bearer, method, path, body):
    headers = bearer(clinic.clinician if "audit" not in path else clinic.owner)
    before = client.get("/api/v1/clients", headers=headers).json()
    if body and body.get("appointment_id") == "APPOINTMENT":
        body["appointment_id"] = clinic.appointment_id
    response = client.request(method, path, headers=headers, json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert "control character" in problem["detail"] and "\x00" not in response.text and "a b" not in response.text
    assert client.get("/api/v1/clients", headers=headers).json() == before


def test_tabs_and_line_breaks_are_text(client, clinic, bearer):
    added = client.post("/api/v1/clients", headers=bearer(clinic.clinician), json={"name": "Jo\tDoe"})
    assert added.status_code == 201, added.text
    drafted = client.post("/api/v1/notes", headers=bearer(clinic.clinician),
                          json={"appointment_id": clinic.appointment_id, "key_points": KEY_POINTS + "\r\n- f/u 1wk"})
    assert drafted.status_code == 201, drafted.text


def test_a_control_character_in_a_page_form_is_422(client, clinic):
    refused = client.post("/sign-in", data={"username": NUL, "password": "whatever it is"})
    assert refused.status_code == 422 and "body.username" in refused.json()["detail"]
