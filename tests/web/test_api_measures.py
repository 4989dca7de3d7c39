"""GET /api/v1/clients/{id}/measures: per instrument its range, bands and points (date, score, band, note id),
following the key points as saved; refused as problem+json to those who may not see the client."""
import datetime as dt

from afternote.workflow import clients

PLAN = " Used CBT thought record. Plan: f/u 1wk."


def draft(client, headers, appointment_id, key_points):
    response = client.post("/api/v1/notes", headers=headers,
                           json={"appointment_id": appointment_id, "key_points": key_points})
    assert response.status_code == 201, response.text
    return response.json()


def test_scores_typed_in_notes_are_the_clients_measures(client, clinic, bearer, db):
    clin = bearer(clinic.clinician)
    later = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 1, 12), dt.time(10),
                                    minutes=53)
    first = draft(client, clin, clinic.appointment_id, "PHQ-9 = 16/27, GAD-7 12 (down from 15)." + PLAN)
    second = draft(client, clin, later, "phq9: 11. SUDS 7/10." + PLAN)
    response = client.get(f"/api/v1/clients/{clinic.client_id}/measures", headers=clin)
    assert response.status_code == 200
    body = response.json()
    assert body["client_id"] == clinic.client_id
    by_key = {i["key"]: i for i in body["instruments"]}
    assert list(by_key) == ["phq9", "gad7", "suds10"]  # the instruments table's order
    phq9 = by_key["phq9"]
    assert (phq9["name"], phq9["low"], phq9["high"]) == ("PHQ-9", 0, 27)
    assert phq9["bands"][0] == {"low": 0, "high": 4, "label": "minimal"} and len(phq9["bands"]) == 5
    assert phq9["points"] == [
        {"date": "2026-01-05", "score": 16, "band": "moderately severe", "note_id": first["id"]},
        {"date": "2026-01-12", "score": 11, "band": "moderate", "note_id": second["id"]}]
    assert "from 16 (moderately severe) to 11 (moderate): down 5" in phq9["trend"]
    assert by_key["gad7"]["points"][0]["score"] == 12
    assert by_key["suds10"]["points"][0] == {"date": "2026-01-12", "score": 7, "band": None,
                                             "note_id": second["id"]}


def test_saving_key_points_replaces_the_notes_points(client, clinic, bearer):
    clin = bearer(clinic.clinician)
    note = draft(client, clin, clinic.appointment_id, "PHQ-9 16." + PLAN)
    saved = client.put(f"/api/v1/notes/{note['id']}/key-points", headers=clin,
                       json={"key_points": "PHQ-9 pending; ORS 31.5." + PLAN, "base_revision": 1})
    assert saved.status_code == 200, saved.text
    body = client.get(f"/api/v1/clients/{clinic.client_id}/measures", headers=clin).json()
    assert [(i["key"], [p["score"] for p in i["points"]]) for i in body["instruments"]] == [("ors", [31.5])]


def test_a_stale_key_points_save_changes_no_measure(client, clinic, bearer):
    clin = bearer(clinic.clinician)
    note = draft(client, clin, clinic.appointment_id, "PHQ-9 16." + PLAN)
    assert client.put(f"/api/v1/notes/{note['id']}/key-points", headers=clin,
                      json={"key_points": "PHQ-9 12." + PLAN, "base_revision": 1}).status_code == 200
    stale = client.put(f"/api/v1/notes/{note['id']}/key-points", headers=clin,
                       json={"key_points": "PHQ-9 3." + PLAN, "base_revision": 1})
    assert stale.status_code == 409
    body = client.get(f"/api/v1/clients/{clinic.client_id}/measures", headers=clin).json()
    assert [p["score"] for p in body["instruments"][0]["points"]] == [12]


def test_a_client_with_no_scores_has_no_instruments(client, clinic, bearer):
    response = client.get(f"/api/v1/clients/{clinic.client_id}/measures", headers=bearer(clinic.clinician))
    assert response.json() == {"client_id": clinic.client_id, "instruments": []}


def test_another_clinicians_client_is_a_404_problem_and_reveals_nothing(client, clinic, bearer):
    draft(client, bearer(clinic.clinician), clinic.appointment_id, "PHQ-9 16." + PLAN)
    refused = client.get(f"/api/v1/clients/{clinic.client_id}/measures", headers=bearer(clinic.associate))
    assert refused.status_code == 404
    assert refused.headers["content-type"] == "application/problem+json"
    assert "instruments" not in refused.json() and "PHQ" not in refused.text and "phq9" not in refused.text
    seen = client.get(f"/api/v1/clients/{clinic.client_id}/measures", headers=bearer(clinic.auditor))
    assert seen.status_code == 200 and seen.json()["instruments"][0]["points"][0]["score"] == 16


def test_a_malformed_client_id_is_a_422_problem(client, clinic, bearer):
    response = client.get("/api/v1/clients/not-an-id/measures", headers=bearer(clinic.clinician))
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"


def test_signed_in_only(client, clinic):
    assert client.get(f"/api/v1/clients/{clinic.client_id}/measures").status_code == 401
