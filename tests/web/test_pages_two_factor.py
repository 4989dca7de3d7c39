"""Two-factor on the pages without our script (forms post, in-process, on SQLite and PostgreSQL): the practice's
requirement sends every page to enrolment until it is done; signing and co-signing a note ask for the code; the
code step needs a pending sign-in; an owner resets a user's two-factor from Settings."""
import datetime as dt
import re

import pyotp

from afternote.workflow import clients, notes, two_factor
from testkit.pages import csrf_of, signed_in_page
from testkit.records import KEY_POINTS, PASSWORD
from testkit.two_factor import enrol, signed_in_page_with_code


def test_the_practice_requirement_sends_every_page_to_enrolment_until_it_is_done(client, db, clinic):
    two_factor.set_required(db, clinic.owner, True)
    signed = client.post("/sign-in", data={"username": clinic.clinician.username, "password": PASSWORD})
    assert signed.url.path == "/settings/two-factor"  # after the password, straight to enrolment
    for path in ("/", "/clients", f"/clients/{clinic.client_id}", "/settings"):
        sent = client.get(path, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == "/settings/two-factor", path
    page = client.get("/settings/two-factor").text
    assert "The practice requires two-factor sign-in" in page and "<svg" in page
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    on = client.post("/settings/two-factor", data={"csrf_token": csrf_of(page), "code": pyotp.TOTP(secret).now()})
    assert on.status_code == 200 and on.text.count("<li><code>") == 10
    assert client.get("/clients", follow_redirects=False).status_code == 200


def test_signing_a_note_on_the_page_asks_for_the_code(client, db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    enrolled = enrol(db, clinic.clinician)
    csrf = signed_in_page_with_code(client, clinic.clinician, enrolled.code())
    page = client.get(f"/notes/{note.id}").text
    assert 'id="sign-code"' in page
    form = {"csrf_token": csrf, "version": "1", "password": PASSWORD,
            "acknowledged": [f["code"] for f in notes.open_warnings(note.content)]}
    refused = client.post(f"/notes/{note.id}/sign", data=form)
    assert refused.status_code == 401 and "type the code from your authenticator app" in refused.text
    assert notes.show(db, clinic.clinician, note.id).status == "draft"
    signed = client.post(f"/notes/{note.id}/sign", data=form | {"code": enrolled.code(1)})
    assert signed.status_code == 200 and signed.url.path == f"/notes/{note.id}"
    assert notes.show(db, clinic.clinician, note.id).status == "signed"


def test_co_signing_on_the_page_asks_for_the_code(client, db, clinic):
    view = clients.add_client(db, clinic.associate, "Supervised Client")
    appointment = clients.add_appointment(db, clinic.associate, view.id, dt.date(2026, 1, 7), dt.time(9), minutes=45)
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)])
    enrolled = enrol(db, clinic.supervisor)
    csrf = signed_in_page_with_code(client, clinic.supervisor, enrolled.code())
    assert 'id="cosign-code"' in client.get(f"/notes/{note.id}").text
    refused = client.post(f"/notes/{note.id}/cosign", data={"csrf_token": csrf, "password": PASSWORD})
    assert refused.status_code == 401 and "not co-signed" in refused.text
    replayed = client.post(f"/notes/{note.id}/cosign", data={"csrf_token": csrf, "password": PASSWORD,
                                                            "code": enrolled.code()})  # the sign-in's code
    assert replayed.status_code == 401 and "used already" in replayed.text
    cosigned = client.post(f"/notes/{note.id}/cosign", data={"csrf_token": csrf, "password": PASSWORD,
                                                            "code": enrolled.code(1)})
    assert cosigned.status_code == 200
    assert notes.show(db, clinic.supervisor, note.id).awaiting_cosign_by is None


def test_the_code_step_needs_the_password_first(client, db, clinic):
    assert client.get("/sign-in/code", follow_redirects=False).headers["location"] == "/sign-in"
    refused = client.post("/sign-in/code", data={"code": "123456"})
    assert refused.status_code == 401 and "Sign in again with your username and password" in refused.text


def test_an_owner_resets_a_users_two_factor_from_settings(client, db, clinic):
    enrol(db, clinic.clinician)
    csrf = signed_in_page(client, clinic.owner)
    settings = client.get("/settings").text
    assert f"Reset the two-factor sign-in of {clinic.clinician.username}" in settings
    reset = client.post(f"/settings/users/{clinic.clinician.user_id}/two-factor-reset", data={"csrf_token": csrf})
    assert reset.status_code == 200 and reset.url.path == "/settings"
    assert not two_factor.status(db, clinic.clinician).on


def test_you_turn_your_own_off_on_the_page_with_your_password_and_a_code(client, db, clinic):
    enrolled = enrol(db, clinic.clinician)
    csrf = signed_in_page_with_code(client, clinic.clinician, enrolled.code())
    page = client.get("/settings/two-factor").text
    assert "10 unused recovery codes" in page and "<svg" not in page  # on: no secret shown again
    refused = client.post("/settings/two-factor/off", data={"csrf_token": csrf, "password": PASSWORD,
                                                           "code": enrolled.code()})  # the sign-in's code
    assert refused.status_code == 422 and "used already" in refused.text
    assert two_factor.status(db, clinic.clinician).on
    off = client.post("/settings/two-factor/off", data={"csrf_token": csrf, "password": PASSWORD,
                                                       "code": enrolled.code(1)})
    assert off.status_code == 200 and off.url.path == "/settings"
    assert not two_factor.status(db, clinic.clinician).on
    assert "Turn on two-factor sign-in" in off.text
