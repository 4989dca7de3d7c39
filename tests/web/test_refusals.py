"""Refused (403) and not-found (404) accesses to records are in the audit trail, at most ten a minute per user;
reading the trail is itself in the trail."""
import uuid

from testkit.records import PASSWORD, make_clinic
from afternote.workflow import audit


def refusals(db, owner, user) -> list[audit.Event]:
    return [e for e in audit.events(db, owner, username=user.username, action="access_refused")]


def test_a_cross_practice_record_request_is_audited_as_not_found(client, db, clinic, bearer):
    other = make_clinic(db, client_name="Dana Whitfield")
    refused = client.get(f"/api/v1/clients/{other.client_id}", headers=bearer(clinic.clinician))
    assert refused.status_code == 404
    [event] = refusals(db, clinic.owner, clinic.clinician)
    assert (event.outcome, event.record_type, event.record_id) == ("not_found", "client", other.client_id)
    assert "Whitfield" not in str(event)
    assert refusals(db, other.owner, clinic.clinician) == []  # the other practice's trail holds nothing of ours


def test_a_forbidden_change_and_a_csrf_refusal_are_audited_as_refused(client, db, clinic, bearer):
    body = {"name": "New Client"}
    assert client.post("/api/v1/clients", json=body, headers=bearer(clinic.auditor)).status_code == 403
    signed = client.post("/api/v1/session", json={"username": clinic.clinician.username, "password": PASSWORD})
    assert signed.status_code == 201
    assert client.post("/api/v1/clients", json=body).status_code == 403  # the cookie without the CSRF token
    assert [e.outcome for e in refusals(db, clinic.owner, clinic.auditor)] == ["refused"]
    assert [e.outcome for e in refusals(db, clinic.owner, clinic.clinician)] == ["refused"]


def test_a_scanner_cannot_flood_the_trail(client, db, clinic, bearer):
    headers = bearer(clinic.clinician)
    for _ in range(3 * audit.REFUSALS_PER_MINUTE):
        assert client.get(f"/api/v1/notes/{uuid.uuid4().hex}", headers=headers).status_code == 404
    assert len(refusals(db, clinic.owner, clinic.clinician)) == audit.REFUSALS_PER_MINUTE


def test_reading_the_audit_trail_is_audited(client, db, clinic, bearer):
    assert client.get("/api/v1/audit", headers=bearer(clinic.auditor)).status_code == 200
    reads = audit.events(db, clinic.owner, username=clinic.auditor.username, action="audit_read")
    assert len(reads) == 1 and reads[0].outcome == "ok"
