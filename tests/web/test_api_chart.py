"""The chart over HTTP (SQLite and PostgreSQL): details, diagnoses and insurance under /api/v1/clients/{id}, the
ICD-10-CM search, and the CPT code and diagnoses a signature seals; bad input is a 422 that says what to do, and a
client the caller cannot see is a 404."""

from testkit.records import KEY_POINTS, PASSWORD


def test_details_diagnoses_and_insurance_round_trip(client, clinic, bearer):
    clin, base = bearer(clinic.clinician), f"/api/v1/clients/{clinic.client_id}"
    patched = client.patch(f"{base}/chart", headers=clin, json={
        "pronouns": "she/her", "emergency_contact": {"name": "Robin Example", "relationship": "sister",
                                                     "phone": "555-0199"}})
    assert patched.status_code == 200, patched.text
    assert patched.json() == {"pronouns": "she/her", "referral_source": None, "emergency_contact": {
        "name": "Robin Example", "relationship": "sister", "phone": "555-0199"}}
    added = client.post(f"{base}/diagnoses", headers=clin, json={"code": "f411", "primary": True,
                                                                  "starts_on": "2026-01-05"})
    assert added.status_code == 201, added.text
    assert added.json()["code"] == "F41.1" and added.json()["description"] == "Generalized anxiety disorder"
    diagnosis = added.json()["id"]
    ended = client.patch(f"{base}/diagnoses/{diagnosis}", headers=clin, json={"ends_on": "2026-01-31"})
    assert ended.json()["ends_on"] == "2026-01-31" and ended.json()["active"] is False
    saved = client.put(f"{base}/insurance", headers=clin, json={
        "payer": "Acme Health", "member_id": "M-1", "authorized_sessions": 2, "authorized_from": "2026-01-01",
        "authorized_to": "2026-12-31"})
    assert saved.status_code == 200, saved.text
    assert (saved.json()["sessions_used"], saved.json()["sessions_left"]) == (1, 1)
    assert saved.json()["warning"].startswith("1 authorized session left of 2")
    shown = client.get(f"{base}/chart", headers=clin).json()
    assert shown["details"]["pronouns"] == "she/her" and shown["insurance"]["payer"] == "Acme Health"
    assert [d["id"] for d in shown["diagnoses"]] == [diagnosis]
    assert client.delete(f"{base}/diagnoses/{diagnosis}", headers=clin).status_code == 204
    assert client.get(f"{base}/diagnoses", headers=clin).json() == []


def test_a_code_that_is_not_billable_is_a_422_saying_to_search(client, clinic, bearer):
    response = client.post(f"/api/v1/clients/{clinic.client_id}/diagnoses", headers=bearer(clinic.clinician),
                           json={"code": "F32"})
    assert response.status_code == 422
    assert "not a billable ICD-10-CM code" in response.text and "Search" in response.text


def test_a_diagnosis_of_another_client_is_not_found_under_this_one(client, clinic, bearer, db):
    from afternote.workflow import clients
    clin = bearer(clinic.clinician)
    other = clients.add_client(db, clinic.clinician, "Other Client")
    added = client.post(f"/api/v1/clients/{other.id}/diagnoses", headers=clin, json={"code": "F41.1"}).json()
    wrong = f"/api/v1/clients/{clinic.client_id}/diagnoses/{added['id']}"
    assert client.patch(wrong, headers=clin, json={"primary": True}).status_code == 404
    assert client.delete(wrong, headers=clin).status_code == 404
    assert [d["id"] for d in client.get(f"/api/v1/clients/{other.id}/diagnoses", headers=clin).json()] == [added["id"]]


def test_another_clinicians_client_is_not_found(client, clinic, bearer):
    response = client.get(f"/api/v1/clients/{clinic.client_id}/chart", headers=bearer(clinic.associate))
    assert response.status_code == 404
    response = client.post(f"/api/v1/clients/{clinic.client_id}/diagnoses", headers=bearer(clinic.associate),
                           json={"code": "F41.1"})
    assert response.status_code == 404


def test_icd10_search_by_words_and_by_code(client, clinic, bearer):
    clin = bearer(clinic.clinician)
    words = client.get("/api/v1/icd10", headers=clin, params={"q": "generalized anxiety"})
    assert words.status_code == 200
    assert words.json()[0] == {"code": "F41.1", "description": "Generalized anxiety disorder"}
    by_code = client.get("/api/v1/icd10", headers=clin, params={"q": "F43.1", "limit": 3}).json()
    assert [c["code"] for c in by_code] == ["F43.10", "F43.11", "F43.12"]
    assert client.get("/api/v1/icd10", params={"q": "anxiety"}).status_code == 401


def test_the_signature_seals_the_confirmed_code_and_the_active_diagnoses(client, clinic, bearer):
    clin = bearer(clinic.clinician)
    client.post(f"/api/v1/clients/{clinic.client_id}/diagnoses", headers=clin, json={"code": "F41.1",
                                                                                     "primary": True})
    note = client.post("/api/v1/notes", headers=clin, json={"appointment_id": clinic.appointment_id,
                                                            "key_points": KEY_POINTS}).json()
    warnings = [f["code"] for f in note["content"]["findings"] if f["severity"] in ("error", "warning")]
    bad = client.post(f"/api/v1/notes/{note['id']}/sign", headers=clin, json={
        "version": 1, "password": PASSWORD, "acknowledged": warnings, "cpt": "9083"})
    assert bad.status_code == 422 and "not a CPT code" in bad.text
    signed = client.post(f"/api/v1/notes/{note['id']}/sign", headers=clin, json={
        "version": 1, "password": PASSWORD, "acknowledged": warnings, "cpt": "90837-95"})
    assert signed.status_code == 200, signed.text
    assert signed.json()["cpt"] == "90837-95"
    assert signed.json()["diagnoses"] == [{"code": "F41.1", "description": "Generalized anxiety disorder",
                                           "primary": True}]
    shown = client.get(f"/api/v1/notes/{note['id']}", headers=clin).json()
    assert shown["signatures"][0]["cpt"] == "90837-95"
    assert client.get(f"/api/v1/notes/{note['id']}/verification", headers=clin).json()["ok"] is True
