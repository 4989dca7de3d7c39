"""Two-factor through the API: the session needs the code after the password; signing and co-signing need it
too; a code is accepted once; enrolment returns the recovery codes once; the practice's requirement allows
nothing but enrolment; an owner's reset."""
import datetime as dt

from testkit.records import KEY_POINTS, PASSWORD
from testkit.two_factor import enrol
from afternote.workflow import audit, clients, notes, two_factor


def _session(client, actor, **extra):
    return client.post("/api/v1/session", json={"username": actor.username, "password": PASSWORD, **extra})


def _draft(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    return note.id, [f["code"] for f in notes.open_warnings(note.content)]


def test_the_right_password_without_the_code_opens_no_session(client, db, clinic):
    enrolled = enrol(db, clinic.clinician)
    refused = _session(client, clinic.clinician)
    assert refused.status_code == 401 and refused.json()["type"].endswith("second-factor-required")
    assert "set-cookie" not in refused.headers
    assert client.get("/api/v1/session").status_code == 401
    wrong = _session(client, clinic.clinician, code="000000" if enrolled.code() != "000000" else "111111")
    assert wrong.status_code == 401 and wrong.json()["type"].endswith("code-not-right")
    signed = _session(client, clinic.clinician, code=enrolled.code())
    assert signed.status_code == 201
    assert client.get("/api/v1/session").json()["user"]["user_id"] == clinic.clinician.user_id


def test_a_replayed_code_is_refused(client, db, clinic):
    enrolled = enrol(db, clinic.clinician)
    code = enrolled.code()
    assert _session(client, clinic.clinician, code=code).status_code == 201
    replayed = _session(client, clinic.clinician, code=code)
    assert replayed.status_code == 401 and replayed.json()["type"].endswith("code-used")
    assert "used already" in replayed.json()["detail"]


def test_signing_without_the_code_is_refused_and_with_it_succeeds(client, db, clinic, bearer):
    note_id, warnings = _draft(db, clinic)
    enrolled = enrol(db, clinic.clinician)
    headers = bearer(clinic.clinician)
    body = {"version": 1, "password": PASSWORD, "acknowledged": warnings}
    missing = client.post(f"/api/v1/notes/{note_id}/sign", headers=headers, json=body)
    assert missing.status_code == 401 and missing.json()["type"].endswith("second-factor-required")
    assert "not signed" in missing.json()["detail"]
    wrong = client.post(f"/api/v1/notes/{note_id}/sign", headers=headers,
                        json=body | {"code": enrolled.recovery_codes[0]})  # recovery codes sign in, never sign
    assert wrong.status_code == 401
    assert notes.show(db, clinic.clinician, note_id).status == "draft"
    signed = client.post(f"/api/v1/notes/{note_id}/sign", headers=headers, json=body | {"code": enrolled.code()})
    assert signed.status_code == 200, signed.text
    assert notes.show(db, clinic.clinician, note_id).status == "signed"


def test_co_signing_without_the_code_is_refused_and_with_it_succeeds(client, db, clinic, bearer):
    client_view = clients.add_client(db, clinic.associate, "Supervised Client")
    appointment = clients.add_appointment(db, clinic.associate, client_view.id, dt.date(2026, 1, 7), dt.time(9),
                                          minutes=45)
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)])
    enrolled = enrol(db, clinic.supervisor)
    headers = bearer(clinic.supervisor)
    missing = client.post(f"/api/v1/notes/{note.id}/cosign", headers=headers, json={"password": PASSWORD})
    assert missing.status_code == 401 and "not co-signed" in missing.json()["detail"]
    assert notes.show(db, clinic.supervisor, note.id).awaiting_cosign_by == clinic.supervisor.user_id
    cosigned = client.post(f"/api/v1/notes/{note.id}/cosign", headers=headers,
                           json={"password": PASSWORD, "code": enrolled.code()})
    assert cosigned.status_code == 200, cosigned.text
    assert notes.show(db, clinic.supervisor, note.id).awaiting_cosign_by is None


def test_enrolment_returns_the_recovery_codes_once_and_one_signs_in_once(client, db, clinic, bearer):
    import pyotp
    headers = bearer(clinic.clinician)
    secret = client.post("/api/v1/users/me/two-factor", headers=headers).json()["secret"]
    assert client.get("/api/v1/users/me/two-factor", headers=headers).json()["on"] is False
    confirmed = client.post("/api/v1/users/me/two-factor/confirmation", headers=headers,
                            json={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == 10
    assert client.get("/api/v1/users/me/two-factor", headers=headers).json()["on"] is True
    assert _session(client, clinic.clinician, code=codes[0]).status_code == 201
    assert _session(client, clinic.clinician, code=codes[0]).status_code == 401
    assert client.get("/api/v1/users/me/two-factor", headers=headers).json()["recovery_codes_left"] == 9


def test_the_practice_requirement_allows_nothing_but_enrolment(client, db, clinic, bearer):
    import pyotp
    assert client.put("/api/v1/practice/two-factor", headers=bearer(clinic.clinician),
                      json={"required": True}).status_code == 403  # owners only
    assert client.put("/api/v1/practice/two-factor", headers=bearer(clinic.owner),
                      json={"required": True}).status_code == 204
    session = _session(client, clinic.clinician)
    assert session.status_code == 201  # no two-factor yet: the password signs in, to enrol
    csrf = {"X-CSRF-Token": session.json()["csrf_token"]}
    blocked = client.get("/api/v1/clients", headers=csrf)
    assert blocked.status_code == 403 and blocked.json()["type"].endswith("two-factor-enrolment-required")
    secret = client.post("/api/v1/users/me/two-factor", headers=csrf).json()["secret"]
    assert client.post("/api/v1/users/me/two-factor/confirmation", headers=csrf,
                       json={"code": pyotp.TOTP(secret).now()}).status_code == 200
    assert client.get("/api/v1/clients", headers=csrf).status_code == 200
    off = client.post("/api/v1/users/me/two-factor/off", headers=csrf,
                      json={"password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    assert off.status_code == 403 and "requires two-factor" in off.json()["detail"]


def test_an_owner_resets_a_users_two_factor_and_it_is_audited(client, db, clinic, bearer):
    enrol(db, clinic.clinician)
    assert client.post(f"/api/v1/users/{clinic.clinician.user_id}/two-factor/reset",
                       headers=bearer(clinic.supervisor)).status_code == 403
    assert client.post(f"/api/v1/users/{clinic.clinician.user_id}/two-factor/reset",
                       headers=bearer(clinic.owner)).status_code == 204
    listed = client.get("/api/v1/users", headers=bearer(clinic.owner)).json()["items"]
    assert not next(u for u in listed if u["id"] == clinic.clinician.user_id)["two_factor"]
    assert _session(client, clinic.clinician).status_code == 201  # the password alone again, until they re-enrol
    events = [e.action for e in audit.events(db, clinic.owner, record_id=clinic.clinician.user_id)]
    assert "two_factor_reset" in events and "two_factor_enrol" in events
    assert not two_factor.status(db, clinic.clinician).on


def test_signing_a_treatment_plan_asks_for_the_code_too(client, db, clinic, bearer):
    from afternote.workflow import plans
    from testkit.plans import complete_plan
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    enrolled = enrol(db, clinic.clinician)
    path = f"/api/v1/clients/{clinic.client_id}/treatment-plans/{plan.id}/sign"
    headers = bearer(clinic.clinician)
    missing = client.post(path, headers=headers, json={"version": 1, "password": PASSWORD})
    assert missing.status_code == 401 and "treatment plan was not signed" in missing.json()["detail"]
    signed = client.post(path, headers=headers, json={"version": 1, "password": PASSWORD, "code": enrolled.code()})
    assert signed.status_code == 200, signed.text
