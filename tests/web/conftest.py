import datetime as dt

import pytest
from fastapi.testclient import TestClient

from afternote.config import Settings
from afternote.records.models import utcnow
from testkit.records import _fast_password_hashing, clinic, database_url, db, keyring  # noqa: F401
from afternote.web import create_app
from afternote.workflow import tokens


class Clock:
    """Naive UTC now, which a test can move forward (for inactivity expiry)."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utcnow() + self.offset

    def advance(self, **delta) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(db, clock, tmp_path):
    return create_app(Settings(data_dir=tmp_path), database=db, clock=clock)


@pytest.fixture
def client(app) -> TestClient:
    # https: the session cookie is Secure (and __Host-), so a client only sends it back over TLS
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def bearer(db):
    """bearer(actor): headers of a script signed in with a fresh API token of `actor`."""
    def headers(actor) -> dict[str, str]:
        _view, secret = tokens.create(db, actor, "tests")
        return {"Authorization": f"Bearer {secret}"}
    return headers


@pytest.fixture
def answering():
    """answering(base, path): wait until a server started by the test answers `path` (any status)."""
    import time

    import httpx

    def wait(base: str, path: str = "/healthz", seconds: float = 30) -> httpx.Response:
        deadline = time.monotonic() + seconds
        while True:
            try:
                return httpx.get(f"{base}{path}", timeout=1)
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    return wait
