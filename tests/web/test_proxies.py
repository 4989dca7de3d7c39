"""Per-address sign-in limits and the audit's source: X-Forwarded-For is believed from trusted proxies only."""
from fastapi.testclient import TestClient

import pytest
from pydantic import ValidationError

from afternote.config import Settings
from testkit.records import PASSWORD
from afternote.web import create_app
from afternote.workflow import audit, sign_in_limits


def client_from(db, tmp_path, peer: str, trusted: str = "") -> TestClient:
    app = create_app(Settings(data_dir=tmp_path, trusted_proxies=trusted), database=db)
    return TestClient(app, base_url="https://testserver", client=(peer, 40000))


def fail(client, n: int, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/api/v1/session", json={"username": f"nobody-{n}", "password": "wrong"}, headers=headers)


def test_a_client_cannot_dodge_the_address_limit_by_writing_x_forwarded_for(db, tmp_path):
    client = client_from(db, tmp_path, "203.0.113.10")
    for n in range(sign_in_limits.FREE_FAILURES_PER_ADDRESS):
        assert fail(client, n, forwarded=f"198.51.100.{n}").status_code == 401
    assert fail(client, 99, forwarded="198.51.100.200").status_code == 429


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(db, tmp_path, clinic):
    proxy = client_from(db, tmp_path, "10.0.0.2", trusted="10.0.0.0/24")
    for n in range(sign_in_limits.FREE_FAILURES_PER_ADDRESS):
        assert fail(proxy, n, forwarded="198.51.100.7, 10.0.0.3").status_code == 401
    assert fail(proxy, 99, forwarded="198.51.100.7").status_code == 429
    # a colleague behind the same proxy is not held up, and the trail names their address, not the proxy's
    signed = proxy.post("/api/v1/session", json={"username": clinic.clinician.username, "password": PASSWORD},
                        headers={"X-Forwarded-For": "198.51.100.8"})
    assert signed.status_code == 201
    events = audit.events(db, clinic.owner, username=clinic.clinician.username, action="login")
    assert events[0].source == "web:198.51.100.8"


def test_a_bad_trusted_proxies_setting_says_what_is_wrong(tmp_path):
    with pytest.raises(ValidationError, match="not an address or network"):
        Settings(data_dir=tmp_path, trusted_proxies="10.0.0.1, proxy.local")
