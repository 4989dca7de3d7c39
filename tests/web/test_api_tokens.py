"""API tokens: made only from a password sign-in, expiring, optionally read-only, with a checked, encrypted name."""
from sqlalchemy import select

from afternote.records.models import ApiToken
from testkit.records import PASSWORD


def signed_in(client, actor) -> dict[str, str]:
    response = client.post("/api/v1/session", json={"username": actor.username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def make_token(client, actor, **body) -> dict:
    created = client.post("/api/v1/tokens", json={"name": "billing export", **body}, headers=signed_in(client, actor))
    assert created.status_code == 201, created.text
    client.cookies.clear()  # the script holds the token only
    return created.json()


def test_a_token_cannot_mint_a_token(client, clinic, db):
    parent = make_token(client, clinic.clinician)
    headers = {"Authorization": f"Bearer {parent['secret']}"}
    minted = client.post("/api/v1/tokens", json={"name": "child"}, headers=headers)
    assert minted.status_code == 403
    assert "sign in with your password" in minted.json()["detail"].lower()
    with db.session() as session:
        assert session.scalars(select(ApiToken.id).where(ApiToken.user_id == clinic.clinician.user_id)).all() \
            == [parent["token"]["id"]]


def test_a_token_expires_after_the_default_90_days_with_a_clear_401(client, clinic, clock):
    made = make_token(client, clinic.clinician)
    headers = {"Authorization": f"Bearer {made['secret']}"}
    assert made["token"]["expires_at"] is not None
    clock.advance(days=89)
    assert client.get("/api/v1/clients", headers=headers).status_code == 200
    clock.advance(days=1, seconds=1)
    expired = client.get("/api/v1/clients", headers=headers)
    assert expired.status_code == 401
    assert "expired on" in expired.json()["detail"] and "create a new one" in expired.json()["detail"]


def test_a_token_can_be_made_to_expire_sooner(client, clinic, clock):
    made = make_token(client, clinic.clinician, expires_in_days=1)
    clock.advance(days=1, seconds=1)
    assert client.get("/api/v1/clients", headers={"Authorization": f"Bearer {made['secret']}"}).status_code == 401


def test_a_read_only_token_reads_but_cannot_write(client, clinic, db):
    made = make_token(client, clinic.clinician, read_only=True)
    assert made["token"]["read_only"] is True
    headers = {"Authorization": f"Bearer {made['secret']}"}
    assert client.get("/api/v1/clients", headers=headers).status_code == 200
    body = {"client_id": clinic.client_id, "date": "2026-02-01", "start": "09:00", "minutes": 50}
    refused = client.post("/api/v1/appointments", json=body, headers=headers)
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    assert client.delete(f"/api/v1/tokens/{made['token']['id']}", headers=headers).status_code == 403
    assert client.get("/api/v1/clients", headers=headers).status_code == 200  # it revoked nothing, not even itself


def test_token_names_are_checked_and_stored_encrypted(client, clinic, db):
    headers = signed_in(client, clinic.clinician)
    for bad in ("billing\u200bexport", "a\x07b", " ", "x" * 101):
        refused = client.post("/api/v1/tokens", json={"name": bad}, headers=headers)
        assert refused.status_code == 422, bad
    made = client.post("/api/v1/tokens", json={"name": "export for Dana Whitfield"}, headers=headers).json()
    assert made["token"]["name"] == "export for Dana Whitfield"
    with db.session() as session:
        row = session.get(ApiToken, made["token"]["id"])
    assert row.name is None and b"Whitfield" not in row.name_enc
    listed = client.get("/api/v1/tokens").json()["items"]
    assert "export for Dana Whitfield" in [t["name"] for t in listed]
