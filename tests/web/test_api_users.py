"""PATCH /api/v1/users/{id}: the owner changes a user's role and supervisor and deactivates or reactivates them;
refusals are problem details; a deactivated user's session cookie and API tokens stop at once."""
from testkit.records import PASSWORD
from afternote.web.auth import COOKIE


def _patch(client, headers, user_id, body):
    return client.patch(f"/api/v1/users/{user_id}", json=body, headers=headers)


def test_owner_changes_role_and_supervisor(client, clinic, bearer):
    owner = bearer(clinic.owner)
    r = _patch(client, owner, clinic.clinician.user_id, {"supervisor": clinic.supervisor.username})
    assert r.status_code == 200 and r.json()["supervisor_id"] == clinic.supervisor.user_id
    r = _patch(client, owner, clinic.clinician.user_id, {"role": "clinician"})  # absent supervisor: unchanged
    assert r.json()["supervisor_id"] == clinic.supervisor.user_id
    r = _patch(client, owner, clinic.clinician.user_id, {"supervisor": None, "role": "auditor"})
    assert r.status_code == 200 and r.json()["supervisor_id"] is None and r.json()["role"] == "auditor"


def test_refusals_are_problem_details(client, clinic, bearer):
    owner = bearer(clinic.owner)
    r = _patch(client, owner, clinic.owner.user_id, {"role": "clinician"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "Make another user an owner first" in r.json()["detail"]
    r = _patch(client, owner, clinic.clinician.user_id, {"role": "admin"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = _patch(client, owner, "0" * 32, {"active": False})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    r = _patch(client, bearer(clinic.supervisor), clinic.associate.user_id, {"active": False})
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"


def test_deactivating_stops_sessions_and_tokens_at_once(client, clinic, bearer):
    token = bearer(clinic.clinician)
    signed_in = client.post("/api/v1/session", json={"username": clinic.clinician.username, "password": PASSWORD})
    assert signed_in.status_code == 201
    cookie = client.cookies.get(COOKIE)
    client.cookies.clear()
    r = _patch(client, bearer(clinic.owner), clinic.clinician.user_id, {"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get("/api/v1/clients", headers=token).status_code == 401
    client.cookies.set(COOKIE, cookie, domain="testserver")
    assert client.get("/api/v1/session").status_code == 401
    client.cookies.clear()
    r = client.post("/api/v1/session", json={"username": clinic.clinician.username, "password": PASSWORD})
    assert r.status_code == 401
    assert _patch(client, bearer(clinic.owner), clinic.clinician.user_id, {"active": True}).json()["active"]
    assert client.post("/api/v1/session", json={"username": clinic.clinician.username,
                                                "password": PASSWORD}).status_code == 201


def test_a_username_with_a_zero_width_space_is_refused_with_a_message(client, clinic, bearer, db):
    from afternote.workflow import users
    body = {"username": "dana\u200breyes", "password": PASSWORD, "display_name": "Dana Reyes"}
    refused = client.post("/api/v1/users", json=body, headers=bearer(clinic.owner))
    assert refused.status_code == 422 and "invisible" in refused.json()["detail"]
    assert "dana\u200breyes" not in [u.username for u in users.list_users(db, clinic.owner)]
