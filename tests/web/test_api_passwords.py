"""Passwords through the API: signing and co-signing need your own password; change yours; an owner's reset."""
from testkit.records import KEY_POINTS, PASSWORD
from afternote.workflow import audit, notes, sign_in_limits, users

NEW = "plum kettle orbit lantern"


def _draft(db, clinic):
    return notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS).id


def test_signing_without_the_password_is_refused_and_the_note_stays_a_draft(client, db, clinic, bearer):
    note_id = _draft(db, clinic)
    headers = bearer(clinic.clinician)
    assert client.post(f"/api/v1/notes/{note_id}/sign", headers=headers, json={"version": 1}).status_code == 422
    wrong = client.post(f"/api/v1/notes/{note_id}/sign", headers=headers, json={"version": 1, "password": "nope"})
    assert wrong.status_code == 403 and wrong.json()["type"].endswith("password-not-right")
    assert "not signed" in wrong.json()["detail"]
    assert notes.show(db, clinic.clinician, note_id).status == "draft"
    signed = client.post(f"/api/v1/notes/{note_id}/sign", headers=headers, json={"version": 1, "password": PASSWORD})
    assert signed.status_code == 200


def test_co_signing_without_the_password_is_refused(client, db, clinic, bearer):
    import datetime as dt

    from afternote.workflow import clients
    client_view = clients.add_client(db, clinic.associate, "Supervised Client")
    appointment = clients.add_appointment(db, clinic.associate, client_view.id, dt.date(2026, 1, 7), dt.time(9),
                                          minutes=45)
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1)
    headers = bearer(clinic.supervisor)
    assert client.post(f"/api/v1/notes/{note.id}/cosign", headers=headers).status_code == 422
    assert client.post(f"/api/v1/notes/{note.id}/cosign", headers=headers,
                       json={"password": "nope"}).status_code == 403
    assert client.post(f"/api/v1/notes/{note.id}/cosign", headers=headers,
                       json={"password": PASSWORD}).status_code == 200


def test_a_locked_account_cannot_sign_and_is_told_so(client, db, clinic, bearer):
    note_id = _draft(db, clinic)
    headers = bearer(clinic.clinician)
    for _ in range(sign_in_limits.FREE_FAILURES_PER_USERNAME):
        client.post(f"/api/v1/notes/{note_id}/sign", headers=headers, json={"version": 1, "password": "nope"})
    locked = client.post(f"/api/v1/notes/{note_id}/sign", headers=headers, json={"version": 1, "password": PASSWORD})
    assert locked.status_code == 429 and "account is locked" in locked.json()["detail"]
    assert notes.show(db, clinic.clinician, note_id).status == "draft"


def test_strangers_guessing_at_the_sign_in_make_a_sign_attempt_say_locked_not_wrong(client, db, clinic, bearer):
    note_id = _draft(db, clinic)
    headers = bearer(clinic.clinician)
    for _ in range(sign_in_limits.FREE_FAILURES_PER_USERNAME):  # someone else, at the sign-in form
        client.post("/api/v1/session", json={"username": clinic.clinician.username, "password": "guess"})
    refused = client.post(f"/api/v1/notes/{note_id}/sign", headers=headers,
                          json={"version": 1, "password": PASSWORD})
    assert refused.status_code == 429
    assert "locked" in refused.json()["detail"] and "not right" not in refused.json()["detail"]
    assert notes.show(db, clinic.clinician, note_id).status == "draft"


def test_you_change_your_own_password(client, clinic, bearer):
    headers = bearer(clinic.clinician)
    weak = client.post("/api/v1/users/me/password", headers=headers,
                       json={"current_password": PASSWORD, "new_password": "password1234"})
    assert weak.status_code == 422 and "too easy to guess" in weak.json()["detail"]
    assert client.post("/api/v1/users/me/password", headers=headers,
                       json={"current_password": "nope", "new_password": NEW}).status_code == 403
    assert client.post("/api/v1/users/me/password", headers=headers,
                       json={"current_password": PASSWORD, "new_password": NEW}).status_code == 204
    assert client.post("/api/v1/session", json={"username": clinic.clinician.username,
                                                "password": NEW}).status_code in (200, 201)
    client.post("/api/v1/users/me/password", headers=headers, json={"current_password": NEW,
                                                                     "new_password": PASSWORD})


def test_after_an_owners_reset_the_user_must_choose_their_own_first(client, clinic, bearer):
    reset = client.post(f"/api/v1/users/{clinic.associate.user_id}/password-reset", headers=bearer(clinic.owner))
    assert reset.status_code == 200
    one_time = reset.json()["one_time_password"]
    assert client.post(f"/api/v1/users/{clinic.owner.user_id}/password-reset",
                       headers=bearer(clinic.clinician)).status_code == 403  # owners only
    session = client.post("/api/v1/session", json={"username": clinic.associate.username, "password": one_time})
    assert session.status_code in (200, 201)
    csrf = session.json().get("csrf_token", "")
    blocked = client.get("/api/v1/clients", headers={"X-CSRF-Token": csrf})
    assert blocked.status_code == 403 and blocked.json()["type"].endswith("password-change-required")
    changed = client.post("/api/v1/users/me/password", headers={"X-CSRF-Token": csrf},
                          json={"current_password": one_time, "new_password": PASSWORD})
    assert changed.status_code == 204
    assert client.get("/api/v1/clients", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_open_warnings_must_each_be_acknowledged_and_lateness_is_sealed(client, db, clinic, bearer):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, "Pt c/o low mood. f/u 1 wk.")
    codes = [f["code"] for f in notes.open_warnings(note.content)]
    assert codes
    headers = bearer(clinic.clinician)
    refused = client.post(f"/api/v1/notes/{note.id}/sign", headers=headers,
                          json={"version": 1, "password": PASSWORD, "acknowledged": codes[:-1]})
    assert refused.status_code == 422 and codes[-1] in refused.json()["detail"]
    signed = client.post(f"/api/v1/notes/{note.id}/sign", headers=headers,
                         json={"version": 1, "password": PASSWORD, "acknowledged": codes,
                               "late_reason": "Clinic closed for a week."})
    assert signed.status_code == 200
    assert signed.json()["late"] is True and signed.json()["acknowledged"] == sorted(set(codes))  # a January session
    verified = client.get(f"/api/v1/notes/{note.id}/verification", headers=headers).json()
    assert verified["ok"], verified  # the acknowledgement and the late reason are sealed with the content
    events = [e.action for e in audit.events(db, clinic.owner, record_id=note.id)]
    assert events.count("acknowledge_warning") == len(set(codes))
