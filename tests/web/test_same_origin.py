"""Forms sent before there is a session (sign-in, first-run setup) must come from our own pages (login CSRF)."""
from testkit.records import PASSWORD
from afternote.web.auth import COOKIE


def test_a_cross_origin_sign_in_post_is_refused(client, clinic):
    form = {"username": clinic.clinician.username, "password": PASSWORD, "next": "/"}
    refused = client.post("/sign-in", data=form, headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert refused.status_code == 403 and "another site" in refused.text
    assert client.cookies.get(COOKIE) is None
    api = client.post("/api/v1/session", json={"username": clinic.clinician.username, "password": PASSWORD},
                      headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert api.status_code == 403 and client.cookies.get(COOKIE) is None
    fetched = client.post("/sign-in", data=form, headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert fetched.status_code == 403


def test_a_same_origin_sign_in_post_signs_in(client, clinic):
    form = {"username": clinic.clinician.username, "password": PASSWORD, "next": "/"}
    signed = client.post("/sign-in", data=form, headers={"Origin": "https://testserver"}, follow_redirects=False)
    assert signed.status_code == 303 and client.cookies.get(COOKIE)


def test_our_own_page_sending_no_referrer_signs_in(client, clinic):
    # our pages send Referrer-Policy: no-referrer, so the browser's Origin is "null"; Sec-Fetch-Site says same-origin
    form = {"username": clinic.clinician.username, "password": PASSWORD, "next": "/"}
    signed = client.post("/sign-in", data=form, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
                         follow_redirects=False)
    assert signed.status_code == 303 and client.cookies.get(COOKIE)


def test_a_cross_origin_setup_post_is_refused(tmp_path):
    from fastapi.testclient import TestClient

    from afternote.config import Settings
    from afternote.web import create_app
    settings = Settings(data_dir=tmp_path / "fresh")
    with TestClient(create_app(settings), base_url="https://testserver", client=("127.0.0.1", 40000)) as fresh:
        form = {"practice": "Mine", "display_name": "Me", "username": "me", "password": PASSWORD,
                "password_again": PASSWORD}
        refused = fresh.post("/setup", data=form, headers={"Origin": "https://evil.example"},
                             follow_redirects=False)
        assert refused.status_code == 403
        assert not settings.key_path.exists()  # nothing was set up
