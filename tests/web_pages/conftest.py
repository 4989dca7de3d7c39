"""Browser tests: a real afternote server (uvicorn in a subprocess, SQLite in a temporary data directory) driven
by Playwright through Debian's Chromium (/usr/bin/chromium; Playwright's own browser download is never used)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("AFTERNOTE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The README's screenshots are remade with AFTERNOTE_SCREENSHOTS=1; an ordinary run leaves the work tree alone.
SCREENSHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("AFTERNOTE_SCREENSHOTS")
               else Path(tempfile.gettempdir()) / "afternote-screenshots")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _running(tmp_path_factory):
    """A fresh afternote in a data directory of its own until the block ends; yields its base URL."""
    data = tmp_path_factory.mktemp("afternote") / "data"
    port = _free_port()
    env = {**os.environ, "AFTERNOTE_DATA_DIR": str(data), "AFTERNOTE_ENGINE": "builtin"}
    for name in ("AFTERNOTE_DATABASE_URL", "AFTERNOTE_KEY", "AFTERNOTE_KEY_FILE"):
        env.pop(name, None)
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "afternote.web.app:app_from_env", "--factory",
                                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"the server stopped; see {log.name}")
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The base URL of a fresh afternote (no practice yet: the first visit sets it up)."""
    with _running(tmp_path_factory) as base:
        yield base


@pytest.fixture(scope="session")
def another_server(tmp_path_factory):
    """another_server(): a context manager running one more fresh afternote, for a module that sets up a practice
    of its own (`server`'s first visit belongs to test_pages_browser.py)."""
    return lambda: _running(tmp_path_factory)


@pytest.fixture(scope="session")
def playwright():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def new_context(playwright, tmp_path_factory):
    """A browser of its own (fresh profile directory: its own cookies) for each person in a test."""
    opened = []

    def make():
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1360, "height": 900}, locale="en-US")
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def create_practice():
    return _create_practice


OWNER_PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def own_practice(another_server, new_context):
    """A page signed in as the owner (dana, OWNER_PASSWORD) of a practice on a server of the module's own, for a
    module that needs its own practice (`server`'s first visit belongs to test_pages_browser.py); `page.base` is
    the server's URL, `page.password` the owner's."""
    with another_server() as base:
        page = new_context().new_page()
        page.goto(base + "/")
        _create_practice(page, base, OWNER_PASSWORD)
        page.base, page.password = base, OWNER_PASSWORD
        yield page


def _create_practice(page, base: str, password: str) -> None:
    """The first visit's form, filled: practice Riverside Counseling, owner dana (Dana Reyes, LCSW), signed in."""
    page.get_by_label("Practice name").fill("Riverside Counseling")
    page.get_by_label("Your name, as on signatures").fill("Dana Reyes")
    page.get_by_label("Your credentials").fill("LCSW")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password", exact=False).first.fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create the practice").click()
    page.wait_for_url(base + "/")


@pytest.fixture(scope="session")
def shoot():
    return _shoot


@pytest.fixture(scope="session")
def no_serious_violations():
    return _no_serious_violations


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # sticky columns are drawn where the page was scrolled
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _no_serious_violations(page) -> None:
    """axe-core in the page: no serious or critical accessibility violations."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad
