"""Sign-in: the session cookie, CSRF, inactivity expiry, API tokens, the sign-in delay, and the audit of every attempt."""
import pytest

from testkit.records import PASSWORD
from afternote.web.auth import COOKIE
from afternote.workflow import sign_in_limits, users
from afternote.workflow.errors import LoginLocked


def sign_in(client, actor) -> str:
    response = client.post("/api/v1/session", json={"username": actor.username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response.json()["csrf_token"]


def test_sign_in_sets_a_strict_http_only_secure_session_cookie(client, clinic):
    response = client.post("/api/v1/session", json={"username": clinic.clinician.username, "password": PASSWORD})
    assert response.status_code == 201
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Max-Age" not in cookie and "Domain" not in cookie
    body = response.json()
    assert body["user"]["username"] == clinic.clinician.username and body["idle_minutes"] == 15
    assert client.get("/api/v1/clients").json()["items"][0]["id"] == clinic.client_id


def test_cookie_change_without_the_csrf_token_is_refused_and_changes_nothing(client, clinic, db):
    from sqlalchemy import func, select

    from afternote.records.models import Appointment

    def sessions() -> int:
        with db.session() as session:
            return session.scalar(select(func.count()).where(Appointment.client_id == clinic.client_id))

    csrf = sign_in(client, clinic.clinician)
    body = {"client_id": clinic.client_id, "date": "2026-02-01", "start": "09:00", "minutes": 50}
    refused = client.post("/api/v1/appointments", json=body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    wrong = client.post("/api/v1/appointments", json=body, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    assert sessions() == 1
    accepted = client.post("/api/v1/appointments", json=body, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


def test_a_form_post_carries_the_csrf_token_as_a_field(client, clinic):
    csrf = sign_in(client, clinic.clinician)
    assert client.request("DELETE", "/api/v1/session", data={"csrf_token": "forged"}).status_code == 403
    assert client.request("DELETE", "/api/v1/session", data={"csrf_token": csrf}).status_code == 204
    assert client.get("/api/v1/session").status_code == 401


def test_session_expires_after_the_inactivity_period(client, clinic, clock):
    sign_in(client, clinic.clinician)
    clock.advance(minutes=10)
    assert client.get("/api/v1/session").status_code == 200  # activity keeps it open
    clock.advance(minutes=14)
    assert client.get("/api/v1/session").status_code == 200
    clock.advance(minutes=15, seconds=1)
    expired = client.get("/api/v1/session")
    assert expired.status_code == 401
    assert "15 minutes without activity" in expired.json()["detail"]
    clock.advance(minutes=-30)  # the session stays ended even if the clock went back
    assert client.get("/api/v1/session").status_code == 401


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, clinic, clock, db):
    from afternote.workflow import audit
    sign_in(client, clinic.clinician)
    for _ in range(12 * 6):  # a request every 10 minutes for 12 hours: never idle
        assert client.get("/api/v1/session").status_code == 200
        clock.advance(minutes=10)
    ended = client.get("/api/v1/session")
    assert ended.status_code == 401 and "at most 12 hours" in ended.json()["detail"]
    clock.advance(minutes=-60)  # ended for good
    assert client.get("/api/v1/session").status_code == 401
    expired = audit.events(db, clinic.owner, action="logout", username=clinic.clinician.username)
    assert [e.outcome for e in expired] == ["expired"]


def test_the_absolute_lifetime_is_a_setting(db, clinic, clock, tmp_path):
    from fastapi.testclient import TestClient

    from afternote.config import Settings
    from afternote.web import create_app
    short = TestClient(create_app(Settings(data_dir=tmp_path, session_max_hours=1), database=db, clock=clock),
                       base_url="https://testserver")
    sign_in(short, clinic.clinician)
    for _ in range(5):
        clock.advance(minutes=10)
        assert short.get("/api/v1/session").status_code == 200
    clock.advance(minutes=11)
    assert "at most 1 hours" in short.get("/api/v1/session").json()["detail"]


def test_the_practice_sets_its_own_inactivity_period(client, clinic, clock, db):
    from sqlalchemy import update

    from afternote.records.models import Practice
    with db.session(write=True) as session:
        session.execute(update(Practice).where(Practice.id == clinic.owner.practice_id)
                        .values(session_idle_minutes=5))
    sign_in(client, clinic.clinician)
    clock.advance(minutes=5, seconds=1)
    assert client.get("/api/v1/session").status_code == 401


def test_sign_out_ends_the_session_on_the_server(client, clinic):
    csrf = sign_in(client, clinic.clinician)
    stolen = client.cookies.get(COOKIE)
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.set(COOKIE, stolen, domain="testserver")
    assert client.get("/api/v1/session").status_code == 401


def test_revoked_token_stops_working_at_once(client, clinic, db):
    csrf = sign_in(client, clinic.clinician)
    created = client.post("/api/v1/tokens", json={"name": "billing script"}, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201
    secret, token_id = created.json()["secret"], created.json()["token"]["id"]
    client.cookies.clear()  # from here on, the script's token alone
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/clients", headers=headers).status_code == 200
    listed = client.get("/api/v1/tokens", headers=headers).json()["items"]
    assert secret not in str(listed) and token_id in [t["id"] for t in listed]  # shown once only
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 200
    refused = client.get("/api/v1/clients", headers=headers)
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")


def test_a_bad_token_does_not_fall_back_to_the_cookie(client, clinic):
    sign_in(client, clinic.clinician)
    assert client.get("/api/v1/clients", headers={"Authorization": "Bearer afn_nope"}).status_code == 401


def test_token_requests_need_no_csrf_token(client, clinic, db, bearer):
    response = client.post("/api/v1/appointments", headers=bearer(clinic.clinician),
                           json={"client_id": clinic.client_id, "date": "2026-02-02", "start": "09:00", "minutes": 50})
    assert response.status_code == 201


def test_repeated_failures_delay_the_username_even_with_the_right_password(client, clinic, clock):
    for _ in range(sign_in_limits.FREE_FAILURES_PER_USERNAME):
        failed = client.post("/api/v1/session", json={"username": clinic.associate.username, "password": "wrong!"})
        assert failed.status_code == 401
        assert failed.json()["detail"].startswith("Wrong username or password")
    delayed = client.post("/api/v1/session", json={"username": clinic.associate.username, "password": PASSWORD})
    assert delayed.status_code == 429
    assert 0 < int(delayed.headers["retry-after"]) <= sign_in_limits.FIRST_DELAY.total_seconds() + 1
    assert client.cookies.get(COOKIE) is None
    # another user signing in from the same place is not held up by it
    sign_in(client, clinic.clinician)
    # a delay, not a lock: once it has passed, the right password signs in
    clock.advance(seconds=sign_in_limits.FIRST_DELAY.total_seconds() + 1)
    sign_in(client, clinic.associate)


def test_many_failures_from_one_place_are_delayed(db):
    for n in range(sign_in_limits.FREE_FAILURES_PER_ADDRESS):
        with pytest.raises(users.LoginFailed):
            users.login(db, f"nobody-{n}", "wrong", source="web:192.0.2.77")
    with pytest.raises(LoginLocked):
        users.login(db, "someone-else", "wrong", source="web:192.0.2.77")
    with pytest.raises(users.LoginFailed) as elsewhere:  # another address is not held up
        users.login(db, "someone-else", "wrong", source="web:192.0.2.78")
    assert not isinstance(elsewhere.value, LoginLocked)


def test_every_sign_in_and_failure_is_audited_without_the_password(client, clinic, db, bearer):
    client.post("/api/v1/session", json={"username": clinic.supervisor.username, "password": "not it at all"})
    client.post("/api/v1/session", json={"username": "no-such-user-xyz", "password": "not it either"})
    sign_in(client, clinic.supervisor)
    events = client.get(f"/api/v1/audit?username={clinic.supervisor.username}",
                        headers=bearer(clinic.owner)).json()["items"]
    actions = [(e["action"], e["outcome"]) for e in events]
    assert ("login", "ok") in actions and ("login_failed", "refused") in actions
    assert all(e["source"] == "web:testclient" for e in events if e["action"].startswith("login"))
    assert "not it" not in str(events)
    # the unknown username's failure has no practice, so it shows in no practice's trail, but it is recorded
    # under a keyed hash of the name, never the name as typed (it may be a password typed into the wrong box)
    from afternote.records.models import AuditEvent
    from sqlalchemy import func, select
    with db.session() as session:
        assert session.scalar(select(func.count()).where(AuditEvent.username == "no-such-user-xyz")) == 0
        hashed = session.scalar(select(AuditEvent.username).where(AuditEvent.action == "login_failed",
                                                                  AuditEvent.practice_id.is_(None))
                                .order_by(AuditEvent.id.desc()))
    assert hashed.startswith("#") and "xyz" not in hashed


def test_not_signed_in_is_401_problem(client):
    response = client.get("/api/v1/notes")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:afternote:problem:not-signed-in"


def test_sign_in_answers_busy_when_the_password_checks_are_full(client, clinic):
    checks = sign_in_limits.password_checks
    limit, wait = checks.limit, checks.wait
    checks.resize(1, wait=0.2)
    try:
        with checks.turn():  # another sign-in holds the only turn
            busy = client.post("/api/v1/session", json={"username": clinic.clinician.username, "password": PASSWORD})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert "Try again" in busy.json()["detail"]
        sign_in(client, clinic.clinician)
    finally:
        checks.resize(limit, wait)
