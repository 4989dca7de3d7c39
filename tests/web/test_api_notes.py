"""A note through the API as a script drives it: draft, read, edit (409 on a stale save), switch format, redraft,
sign, addendum, co-sign, verify; problem details, pagination, security headers and health endpoints."""
import re

import pytest

from testkit.records import KEY_POINTS, PASSWORD


@pytest.fixture
def clin(clinic, bearer):
    return bearer(clinic.clinician)


def draft(client, headers, appointment_id, **extra):
    response = client.post("/api/v1/notes", headers=headers,
                           json={"appointment_id": appointment_id, "key_points": KEY_POINTS, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def test_draft_edit_sign_and_addend_a_note(client, clinic, clin):
    note = draft(client, clin, clinic.appointment_id)
    assert note["status"] == "draft" and note["version"] == 1 and note["format"] == "soap"
    assert [s["key"] for s in note["content"]["sections"]] == ["subjective", "objective", "assessment", "plan"]
    note_id = note["id"]
    saved = client.put(f"/api/v1/notes/{note_id}/sections/plan", headers=clin,
                       json={"text": "Thought record daily. Follow-up in 1 week.", "base_version": 1})
    assert saved.json() == {"note_id": note_id, "version": 2}
    switched = client.post(f"/api/v1/notes/{note_id}/format", headers=clin, json={"format": "dap", "base_version": 2})
    assert switched.json()["version"] == 3
    redrafted = client.post(f"/api/v1/notes/{note_id}/redraft", headers=clin,
                            json={"base_version": 3, "key_points": KEY_POINTS + " Client tearful."})
    assert redrafted.json()["version"] == 4
    shown = client.get(f"/api/v1/notes/{note_id}", headers=clin).json()
    assert shown["format"] == "dap" and shown["key_points"].endswith("tearful.")
    assert [v["reason"] for v in client.get(f"/api/v1/notes/{note_id}/versions", headers=clin).json()] == [
        "draft", "edit", "redraft", "redraft"]
    signed = client.post(f"/api/v1/notes/{note_id}/sign", headers=clin, json={"version": 4, "password": PASSWORD})
    assert signed.status_code == 200 and signed.json()["kind"] == "sign"
    refused = client.put(f"/api/v1/notes/{note_id}/sections/data", headers=clin, json={"text": "x", "base_version": 4})
    assert refused.status_code == 409 and refused.json()["type"].endswith("note-signed")
    addendum = client.post(f"/api/v1/notes/{note_id}/addenda", headers=clin,
                           json={"text": "Client called to confirm the plan.", "reason": "late entry"})
    assert addendum.status_code == 201
    assert client.get(f"/api/v1/notes/{note_id}", headers=clin).json()["status"] == "amended"
    assert client.get(f"/api/v1/notes/{note_id}/verification", headers=clin).json() == {
        "note_id": note_id, "ok": True, "problems": []}


def test_stale_save_is_409_with_the_current_version_and_overwrites_nothing(client, clinic, clin):
    note_id = draft(client, clin, clinic.appointment_id)["id"]
    first = client.put(f"/api/v1/notes/{note_id}/sections/plan", headers=clin, json={"text": "A", "base_version": 1})
    assert first.status_code == 200
    stale = client.put(f"/api/v1/notes/{note_id}/sections/plan", headers=clin, json={"text": "B", "base_version": 1})
    assert stale.status_code == 409
    problem = stale.json()
    assert stale.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "urn:afternote:problem:stale-version" and problem["current_version"] == 2
    assert "Reload it" in problem["detail"]
    plan = next(s for s in client.get(f"/api/v1/notes/{note_id}", headers=clin).json()["content"]["sections"]
                if s["key"] == "plan")
    assert plan["text"] == "A"


def test_supervisor_co_signs_a_supervisees_signed_note(client, clinic, bearer, db):
    import datetime as dt

    from afternote.workflow import clients
    client_view = clients.add_client(db, clinic.associate, "Supervised Client")
    appointment = clients.add_appointment(db, clinic.associate, client_view.id, dt.date(2026, 1, 7), dt.time(9),
                                          minutes=45)
    assoc = bearer(clinic.associate)
    note_id = draft(client, assoc, appointment)["id"]
    assert client.post(f"/api/v1/notes/{note_id}/sign", headers=assoc, json={"version": 1, "password": PASSWORD}).status_code == 200
    sup = bearer(clinic.supervisor)
    waiting = client.get("/api/v1/backlog", headers=sup).json()["items"]
    assert [i["kind"] for i in waiting if i["note_id"] == note_id] == ["awaiting co-signature"]
    cosigned = client.post(f"/api/v1/notes/{note_id}/cosign", headers=sup, json={"password": PASSWORD})
    assert cosigned.status_code == 200 and cosigned.json()["kind"] == "cosign"
    assert client.get(f"/api/v1/notes/{note_id}/verification", headers=sup).json()["ok"] is True


def test_validation_error_names_the_field_and_does_not_echo_the_value(client, clinic, clin):
    secret_words = "Client disclosed something private"
    response = client.post("/api/v1/notes", headers=clin,
                           json={"appointment_id": "not-an-id " + secret_words, "key_points": secret_words})
    assert response.status_code == 422
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["body.appointment_id"]
    assert "body.appointment_id" in problem["detail"]
    assert secret_words not in response.text


def test_an_unknown_format_is_a_422_that_lists_the_choices(client, clinic, clin):
    response = client.post("/api/v1/notes", headers=clin,
                           json={"appointment_id": clinic.appointment_id, "key_points": KEY_POINTS, "format": "xyz"})
    assert response.status_code == 422 and "soap" in response.json()["detail"]


def test_a_format_path_is_not_a_format_key(client, clinic, clin):
    response = client.post("/api/v1/notes", headers=clin, json={
        "appointment_id": clinic.appointment_id, "key_points": KEY_POINTS, "format": "/etc/passwd.toml"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.format"


def test_lists_come_in_pages(client, clinic, bearer, db):
    from afternote.workflow import clients
    for n in range(5):
        clients.add_client(db, clinic.clinician, f"Paged Client {n}")
    headers = bearer(clinic.clinician)
    first = client.get("/api/v1/clients?limit=4", headers=headers).json()
    assert len(first["items"]) == 4 and first["next_offset"] == 4
    rest = client.get("/api/v1/clients?limit=4&offset=4", headers=headers).json()
    assert len(rest["items"]) == 2 and rest["next_offset"] is None
    assert client.get("/api/v1/clients?limit=0", headers=headers).json()["errors"][0]["field"] == "query.limit"


def test_health_data_responses_carry_no_store_and_security_headers(client, clinic, clin):
    response = client.get(f"/api/v1/clients/{clinic.client_id}", headers=clin)
    assert response.json()["name"] == "Test Client"
    headers = response.headers
    assert headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


def test_urls_carry_ids_only(app):
    for route in app.routes:
        for name in re.findall(r"{(\w+)}", getattr(route, "path", "")):
            assert name.endswith("_id") or name in ("section", "key"), route.path


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_readiness_fails_on_a_database_that_is_not_migrated(tmp_path, keyring):
    from fastapi.testclient import TestClient

    from afternote.config import Settings
    from afternote.records.database import Database
    from afternote.web import create_app
    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}", keyring)
    response = TestClient(create_app(Settings(data_dir=tmp_path), database=empty)).get("/readyz")
    assert response.status_code == 503 and "afternote init" in response.json()["detail"]


def test_an_unknown_address_is_a_problem_too(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


def test_another_practices_note_looks_exactly_like_a_missing_one(client, clinic, db, bearer):
    from testkit.records import make_clinic
    other = make_clinic(db)
    note_id = draft(client, bearer(other.clinician), other.appointment_id)["id"]
    mine = bearer(clinic.clinician)
    theirs = client.get(f"/api/v1/notes/{note_id}", headers=mine).json()
    missing = client.get(f"/api/v1/notes/{'0' * 32}", headers=mine).json()
    assert theirs["detail"].replace(note_id, "ID") == missing["detail"].replace("0" * 32, "ID")


def test_an_unexpected_error_is_a_bare_500_and_its_message_is_not_logged(app, caplog):
    from fastapi.testclient import TestClient

    @app.get("/api/v1/boom")
    def boom():
        raise ValueError("client Jane Doe disclosed something")

    with caplog.at_level("DEBUG"):
        response = TestClient(app, raise_server_exceptions=False).get("/api/v1/boom")
    assert response.status_code == 500 and response.headers["content-type"] == "application/problem+json"
    assert "Jane" not in response.text and response.headers["cache-control"] == "no-store"
    assert "Jane" not in caplog.text and "ValueError" in caplog.text


def test_a_redraft_reports_the_sections_it_kept_and_carries_the_proposed_text(client, clinic, clin):
    note_id = draft(client, clin, clinic.appointment_id)["id"]
    client.put(f"/api/v1/notes/{note_id}/sections/plan", headers=clin,
               json={"text": "My own plan: weekly CBT.", "base_version": 1})
    redrafted = client.post(f"/api/v1/notes/{note_id}/redraft", headers=clin, json={"base_version": 2}).json()
    assert redrafted["version"] == 3 and redrafted["kept_sections"] == ["plan"]
    plan = next(s for s in client.get(f"/api/v1/notes/{note_id}", headers=clin).json()["content"]["sections"]
                if s["key"] == "plan")
    assert plan["text"] == "My own plan: weekly CBT." and plan["proposed"]["text"]
    switched = client.post(f"/api/v1/notes/{note_id}/format", headers=clin,
                           json={"base_version": 3, "format": "dap"}).json()
    assert switched["kept_sections"] == ["plan"]  # DAP has a Plan: still mine, with DAP's draft on offer
    taken = client.post(f"/api/v1/notes/{note_id}/sections/plan/proposal", headers=clin, json={"base_version": 4})
    assert taken.status_code == 200
    plan = next(s for s in client.get(f"/api/v1/notes/{note_id}", headers=clin).json()["content"]["sections"]
                if s["key"] == "plan")
    assert plan["text"] != "My own plan: weekly CBT." and "proposed" not in plan
