"""The pages without our script (forms post, in-process): first run from this computer only, sign-in's redirect
stays on this site, CSRF, a stale section save shows both texts, health data stays out of URLs."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from afternote.config import Settings
from afternote.web import create_app

PASSWORD = "a long enough password"
KEY_POINTS = "Client reports anxiety 7/10 at work; sleeping ~5h. Used CBT. Plan: thought record daily."


def _client(app, host="127.0.0.1"):
    return TestClient(app, base_url="https://afternote.test", client=(host, 50000))


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data"))


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _set_up(c) -> str:
    r = c.post("/setup", data={"practice": "P", "display_name": "Dana Reyes", "credentials": "LCSW",
                               "username": "dana", "password": PASSWORD, "password_again": PASSWORD})
    assert r.status_code == 200
    return _csrf(r.text)


def _warnings(c, note: str) -> list[str]:
    """The codes of the open warnings the sign form asks to acknowledge."""
    return re.findall(r'name="acknowledged" value="([^"]+)"', c.get(note).text)


def _new_note(c, csrf: str) -> str:
    r = c.post("/clients", data={"name": "Jordan Avery", "csrf_token": csrf})
    r = c.post(r.url.path + "/appointments", data={"date": "2026-01-05", "start": "10:00", "minutes": "53",
                                                   "service": "psychotherapy", "csrf_token": csrf})
    r = c.post(r.url.path, data={"key_points": KEY_POINTS, "format": "soap", "csrf_token": csrf})
    assert re.fullmatch(r"/notes/[0-9a-f]{32}", r.url.path)
    return r.url.path


def test_first_run_makes_what_init_makes(app, tmp_path):
    with _client(app) as c:
        assert c.get("/", follow_redirects=False).headers["location"] == "/setup"
        _set_up(c)
    data = tmp_path / "data"
    assert (data / "afternote.key").stat().st_mode & 0o777 == 0o600
    assert (data / "afternote.db").stat().st_mode & 0o777 == 0o600
    assert data.stat().st_mode & 0o777 == 0o700


def test_first_run_is_refused_from_another_computer(app, tmp_path):
    with _client(app, host="192.0.2.7") as c:
        r = c.get("/setup")
        assert r.status_code == 403 and "afternote init" in r.text
        r = c.post("/setup", data={"practice": "P", "display_name": "X", "username": "x", "password": PASSWORD,
                                   "password_again": PASSWORD}, follow_redirects=False)
        assert r.status_code == 303
    assert not (tmp_path / "data" / "afternote.db").exists()


def test_first_run_happens_once(app):
    with _client(app) as c:
        _set_up(c)
        r = c.post("/setup", data={"practice": "Q", "display_name": "Eve", "username": "eve", "password": PASSWORD,
                                   "password_again": PASSWORD}, follow_redirects=False)
        assert r.headers["location"] == "/"
        c.cookies.clear()
        r = c.post("/sign-in", data={"username": "eve", "password": PASSWORD})
        assert r.status_code == 401


def test_sign_in_never_redirects_off_site(app):
    with _client(app) as c:
        _set_up(c)
        c.cookies.clear()
        r = c.post("/sign-in", data={"username": "dana", "password": PASSWORD, "next": "//evil.example/x"},
                   follow_redirects=False)
        assert r.headers["location"] == "/"


def test_a_change_without_the_page_token_is_refused(app):
    with _client(app) as c:
        _set_up(c)
        r = c.post("/clients", data={"name": "Jordan Avery"})
        assert r.status_code == 403 and "security token" in r.text
        assert "Jordan" not in c.get("/clients").text


def test_stale_section_save_without_script_shows_both_texts(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        c.post(note + "/sections/plan", data={"text": "Saved first.", "base_version": "1", "csrf_token": csrf})
        r = c.post(note + "/sections/plan", data={"text": "Typed in the other tab.", "base_version": "1",
                                                   "csrf_token": csrf})
        assert r.status_code == 409
        assert "Saved first." in r.text and "Typed in the other tab." in r.text and "Keep mine" in r.text
        r = c.post(note + "/sections/plan", data={"text": "Typed in the other tab.", "base_version": "2",
                                                   "csrf_token": csrf})
        assert "Typed in the other tab." in c.get(note).text


def test_health_data_never_rides_in_a_url(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        html = c.get(note).text + c.get("/").text + c.get("/clients").text
        for href in re.findall(r'(?:href|action)="([^"]+)"', html):
            assert re.fullmatch(r"[/a-z0-9#?=._-]*", href), href


def test_signing_needs_the_password_and_locks_the_note(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        assert c.post(note + "/sign", data={"version": "1", "password": "wrong password!", "csrf_token": csrf}
                      ).status_code == 401
        warnings = _warnings(c, note)
        assert "will be marked late" in c.get(note).text  # a January session, signed long after the deadline
        refused = c.post(note + "/sign", data={"version": "1", "password": PASSWORD, "csrf_token": csrf})
        assert refused.status_code == 422 and "open warning" in refused.text and "Signed by" not in refused.text
        r = c.post(note + "/sign", data={"version": "1", "password": PASSWORD, "csrf_token": csrf,
                                         "acknowledged": warnings, "late_reason": "Clinic closed for a week."})
        assert "Integrity verified" in r.text and "Signed by" in r.text and "after the practice's deadline" in r.text
        assert "late entry: signed after the practice's deadline" in c.get(note + "/print").text
        r = c.post(note + "/sections/plan", data={"text": "late change", "base_version": "1", "csrf_token": csrf})
        assert r.status_code == 409 and "addendum" in r.text
        r = c.post(note + "/addenda", data={"reason": "", "text": "x", "csrf_token": csrf})
        assert r.status_code == 422


def test_a_draft_carrying_a_signature_shows_the_integrity_problem(app, tmp_path):
    from sqlalchemy import create_engine, text

    from afternote.records import triggers
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        c.post(note + "/sign", data={"version": "1", "password": PASSWORD, "csrf_token": csrf,
                                     "acknowledged": _warnings(c, note)})
        engine = create_engine(Settings(data_dir=tmp_path / "data").records_url)
        with engine.begin() as connection:  # set back to draft by someone who can write the file
            for statement in triggers.drop_statements("sqlite"):
                connection.execute(text(statement))
            connection.execute(text("UPDATE notes SET status = 'draft' WHERE id = :id"), {"id": note.split("/")[-1]})
        engine.dispose()
        page = c.get(note).text
        assert "Integrity problem" in page and "draft but carries a signature" in page


def test_pages_load_only_our_own_script_and_style(app):
    with _client(app) as c:
        _set_up(c)
        html = c.get("/").text
        assert re.findall(r'<script[^>]*>', html) == ['<script src="/static/afternote.js" defer>']
        assert "style=" not in html and "onclick" not in html
        assert c.get("/static/afternote.js").status_code == 200


def _signed_by_supervisee(c) -> str:
    """Supervisor sue and her supervisee al added by the owner; al's note signed, awaiting sue's co-signature;
    sue signed in (her own password chosen). Returns the note's path."""
    csrf = _set_up(c)
    for username, role, supervisor in (("sue", "supervisor", ""), ("al", "clinician", "sue")):
        r = c.post("/settings/users", data={"username": username, "display_name": username.title(),
                                            "password": PASSWORD, "role": role, "supervisor": supervisor,
                                            "csrf_token": csrf})
        assert r.status_code == 200 and "Saved." in r.text
    c.cookies.clear()
    csrf = _choose_own_password(c, "al")
    note = _new_note(c, csrf)
    c.post(note + "/sign", data={"version": "1", "password": OWN_PASSWORD, "csrf_token": csrf,
                                 "acknowledged": _warnings(c, note)})
    c.cookies.clear()
    _choose_own_password(c, "sue")
    return note


def test_supervisor_co_signs_from_today(app):
    with _client(app) as c:
        note = _signed_by_supervisee(c)
        r = c.get("/")
        assert "Awaiting co-signature" in r.text and note in r.text
        r = c.post(note + "/cosign", data={"password": OWN_PASSWORD, "csrf_token": _csrf(r.text)})
        assert "Co-signed by" in r.text and "Integrity verified" in r.text


def test_supervisor_returns_a_note_and_the_author_answers_it(app):
    with _client(app) as c:
        note = _signed_by_supervisee(c)
        csrf = _csrf(c.get(note).text)
        refused = c.post(note + "/return", data={"comment": "  ", "csrf_token": csrf})
        assert refused.status_code == 422 and "needs a comment" in refused.text  # said on the note, nothing saved
        r = c.post(note + "/return", data={"comment": "Say how the client responded to CBT.", "csrf_token": csrf})
        assert r.url.path == note and "Say how the client responded to CBT." in r.text and "open" in r.text
        assert 'id="cosign-form"' in r.text  # still the supervisor's to co-sign, once answered
        assert re.search(r"\d\d:\d\d [A-Z]{2,5} · ", r.text) and " UTC UTC" not in r.text  # one zone label
        c.cookies.clear()
        csrf = _csrf(c.post("/sign-in", data={"username": "al", "password": OWN_PASSWORD}).text)
        today = c.get("/").text
        assert "Returned by supervisor" in today and note in today
        page = c.get(note).text
        assert "Say how the client responded to CBT." in page and 'id="return-notice"' in page
        assert 'id="return-form"' not in page  # the author answers with an addendum, not another return
        r = c.post(note + "/addenda", data={"reason": "correction", "text": "Client engaged well.",
                                            "csrf_token": csrf})
        assert "answered by the addendum" in r.text and 'id="return-notice"' not in r.text
        assert "Returned by supervisor" not in c.get("/").text


OWN_PASSWORD = "plum kettle orbit lantern"


def _choose_own_password(c, username: str) -> str:
    """Sign in with the temporary password an owner typed: every page leads to Settings until the user chooses
    their own; then the app opens as usual. Returns the CSRF token."""
    r = c.post("/sign-in", data={"username": username, "password": PASSWORD})
    assert r.url.path == "/settings" and "Choose your own password" in r.text
    assert c.get("/clients").url.path == "/settings"  # nothing else until then
    r = c.post("/settings/password", data={"current_password": PASSWORD, "new_password": OWN_PASSWORD,
                                           "repeat_password": OWN_PASSWORD, "csrf_token": _csrf(r.text)})
    assert "Your password was changed" in r.text
    assert c.get("/clients").url.path == "/clients"
    return _csrf(r.text)


def test_an_owners_reset_shows_a_one_time_password_once(app):
    with _client(app) as c:
        csrf = _set_up(c)
        c.post("/settings/users", data={"username": "al", "display_name": "Al", "password": PASSWORD,
                                        "role": "clinician", "supervisor": "", "csrf_token": csrf})
        user_id = re.search(r'action="/settings/users/([0-9a-f]{32})/password-reset"', c.get("/settings").text).group(1)
        r = c.post(f"/settings/users/{user_id}/password-reset", data={"csrf_token": csrf})
        one_time = re.search(r"One-time password for al: <code>([^<]+)</code>", r.text).group(1)
        assert one_time not in str(r.url) and one_time not in c.get("/settings").text  # shown once
        c.cookies.clear()
        r = c.post("/sign-in", data={"username": "al", "password": one_time})
        assert r.url.path == "/settings" and "Choose your own password" in r.text


def test_a_new_password_must_meet_the_policy(app):
    with _client(app) as c:
        csrf = _set_up(c)
        r = c.post("/settings/password", data={"current_password": PASSWORD, "new_password": "password1234",
                                               "repeat_password": "password1234", "csrf_token": csrf})
        assert r.status_code == 422 and "too easy to guess" in r.text
        r = c.post("/settings/password", data={"current_password": PASSWORD, "new_password": OWN_PASSWORD,
                                               "repeat_password": OWN_PASSWORD + "x", "csrf_token": csrf})
        assert r.status_code == 422 and "two new passwords differ" in r.text


def test_client_search_keeps_names_out_of_urls(app):
    with _client(app) as c:
        csrf = _set_up(c)
        _new_note(c, csrf)
        c.post("/clients", data={"name": "Robin Hale", "csrf_token": csrf})
        r = c.post("/clients/search", data={"q": "jor", "csrf_token": csrf})
        assert r.url.path == "/clients/search" and "Jordan Avery" in r.text and "Robin Hale" not in r.text


def test_edit_a_client(app):
    with _client(app) as c:
        csrf = _set_up(c)
        r = c.post("/clients", data={"name": "Jordan Avery", "csrf_token": csrf})
        page = r.url.path
        r = c.post(page, data={"name": "Jordan A. Avery", "identifier": "MRN-7", "csrf_token": csrf})
        assert r.url.path == page and "Jordan A. Avery" in r.text and "MRN-7" in r.text
        r = c.post(page, data={"name": "  ", "csrf_token": csrf})
        assert r.status_code == 422 and "needs a name" in r.text


def test_settings_default_format_and_credentials(app):
    with _client(app) as c:
        csrf = _set_up(c)
        r = c.get("/settings")
        assert re.search(r'<option value="" selected|<option value="">My usual one \(now SOAP', r.text)
        r = c.post("/settings/profile", data={"display_name": "Dana Reyes", "credentials": "LCSW, PhD",
                                              "default_format": "dap", "csrf_token": csrf})
        assert r.url.path == "/settings" and "Saved." in r.text
        assert '<option value="dap" selected>' in r.text and "Dana Reyes, LCSW, PhD" in r.text
        r = c.post("/clients", data={"name": "Jordan Avery", "csrf_token": csrf})
        r = c.post(r.url.path + "/appointments", data={"date": "2026-01-05", "start": "10:00", "minutes": "53",
                                                       "csrf_token": csrf})
        assert '<option value="dap" selected>' in r.text  # a new note starts in the chosen default
        r = c.post("/settings/profile", data={"display_name": "Dana Reyes", "credentials": "LCSW",
                                              "default_format": "nope", "csrf_token": csrf})
        assert r.status_code == 422 and "no format" in r.text


def test_session_details_change_while_draft_not_once_signed(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        appointment = re.search(r'action="(/appointments/[0-9a-f]{32})"', c.get(note).text).group(1)
        details = {"date": "2026-01-05", "start": "10:00", "minutes": "45", "service": "psychotherapy",
                   "attendees": "Mother", "csrf_token": csrf}
        r = c.post(appointment, data=details)
        assert r.url.path == note and "<dd>45</dd>" in r.text and "Mother" in r.text
        r = c.post(appointment, data={**details, "minutes": ""})
        assert r.status_code == 422 and "end time or its minutes" in r.text
        c.post(note + "/sign", data={"version": "1", "password": PASSWORD, "csrf_token": csrf,
                                     "acknowledged": _warnings(c, note)})
        assert f'action="{appointment}"' not in c.get(note).text
        r = c.post(appointment, data={**details, "minutes": "60"})
        assert r.status_code == 409 and "addendum" in r.text and "<dd>45</dd>" in r.text


def test_a_draft_streams_section_by_section_then_the_saved_draft(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        headers = {"X-Requested-With": "afternote", "X-CSRF-Token": csrf}
        form = {"key_points": KEY_POINTS + " Next session in 1 week.", "base_version": "1", "format": "dap",
                "key_points_revision": "1"}
        with c.stream("POST", note + "/draft/stream", data=form, headers=headers) as r:
            assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
            lines = [json.loads(line) for line in r.iter_lines() if line]
        assert [m["section"]["key"] for m in lines[:-1]] == ["data", "assessment", "plan"]
        assert all(m["section"]["text"] for m in lines[:-1])
        done = lines[-1]
        assert done["done"] and done["version"] == 2 and 'id="draft"' in done["html"]
        assert "DAP" in c.get(note).text and "Next session in 1 week." in c.get(note).text
        r = c.post(note + "/draft/stream", data={**form, "base_version": "1"}, headers=headers)  # stale now
        [error] = [json.loads(line) for line in r.text.splitlines()]
        assert error["version"] == 2 and "saved by you, in another window or tab" in error["error"]
        assert "anxiety" not in error["error"]  # the error names no health data


def test_owner_changes_a_users_role_supervisor_and_status(app):
    with _client(app) as c:
        csrf = _set_up(c)
        for username, role in (("sue", "supervisor"), ("al", "clinician")):
            c.post("/settings/users", data={"username": username, "display_name": username.title(),
                                            "password": PASSWORD, "role": role, "csrf_token": csrf})
        r = c.get("/settings")
        ids = dict(re.findall(r'action="/settings/users/([0-9a-f]{32})"[^>]*aria-label="Change (\w+)"', r.text))
        by_name = {name: uid for uid, name in ids.items()}
        assert f'<label for="role-{by_name["al"]}">' in r.text and f'<label for="active-{by_name["al"]}">' in r.text
        r = c.post(f"/settings/users/{by_name['al']}", data={"role": "clinician", "supervisor": "sue",
                                                              "active": "no", "csrf_token": csrf})
        assert r.url.path == "/settings" and "Saved." in r.text and "<td>deactivated</td>" in r.text
        assert re.search(r'<option value="sue" selected>', r.text)
        r = c.post(f"/settings/users/{by_name['dana']}", data={"role": "clinician", "supervisor": "",
                                                                "active": "yes", "csrf_token": csrf})
        assert r.status_code == 422 and "Make another user an owner first" in r.text
        r = c.post(f"/settings/users/{by_name['al']}", data={"role": "clinician", "active": "yes"})
        assert r.status_code == 403  # no page token: refused
        c.cookies.clear()
        r = c.post("/sign-in", data={"username": "al", "password": PASSWORD})
        assert "Wrong username or password" in r.text


def test_an_edit_survives_a_redraft_and_the_new_draft_is_offered_beside_it(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        c.post(note + "/sections/plan", data={"text": "My own plan: weekly CBT.", "base_version": "1",
                                              "csrf_token": csrf})
        r = c.post(note + "/draft", data={"key_points": KEY_POINTS, "format": "dap", "base_version": "2",
                                          "key_points_revision": "1", "csrf_token": csrf})
        assert "My own plan: weekly CBT." in r.text and "the new draft did not replace it" in r.text
        r = c.post(note + "/sections/plan/proposal", data={"base_version": "3", "csrf_token": csrf})
        assert "the new draft did not replace it" not in r.text and "My own plan: weekly CBT." not in r.text


def test_a_finding_goes_away_when_the_fix_is_typed_and_saved(app):
    risky = ("Client reported SI this week, thoughts of overdosing, no intent. Used CBT: cognitive restructuring. "
             "Client engaged. Plan: thought record daily, next session in 1 week.")
    with _client(app) as c:
        csrf = _set_up(c)
        r = c.post("/clients", data={"name": "Jordan Avery", "csrf_token": csrf})
        r = c.post(r.url.path + "/appointments", data={"date": "2026-01-05", "start": "10:00", "minutes": "53",
                                                       "service": "psychotherapy", "csrf_token": csrf})
        r = c.post(r.url.path, data={"key_points": risky, "format": "soap", "csrf_token": csrf})
        note = r.url.path
        assert "the plan names no safety planning" in r.text and "draft again" not in r.text
        saved = c.post(note + "/sections/plan", headers={"X-Requested-With": "afternote", "X-CSRF-Token": csrf},
                       data={"text": "Built a safety plan together: warning signs, sister, 988. Thought record "
                                     "daily. Next session in 1 week.", "base_version": "1"})
        assert saved.status_code == 200
        assert "the plan names no safety planning" not in saved.json()["findings"]
        assert "the plan names no safety planning" not in c.get(note).text  # and after a reload


def test_letterhead_licence_and_date_of_birth_reach_the_downloaded_pdf(app):
    import io
    from pypdf import PdfReader
    with _client(app) as c:
        csrf = _set_up(c)
        r = c.post("/settings/letterhead", data={"name": "P Counseling", "address": "4 Oak Rd", "phone": "555-0142",
                                                 "npi": "12345", "paste_headings": "capitals", "csrf_token": csrf})
        assert r.status_code == 422 and "10 digits" in r.text
        r = c.post("/settings/letterhead", data={"name": "P Counseling", "address": "4 Oak Rd", "phone": "555-0142",
                                                 "npi": "1234567893", "paste_headings": "capitals",
                                                 "csrf_token": csrf})
        assert r.url.path == "/settings" and 'value="4 Oak Rd"' in r.text
        c.post("/settings/profile", data={"display_name": "Dana Reyes", "credentials": "LCSW",
                                          "licence_number": "CA-LCSW-901", "csrf_token": csrf})
        note = _new_note(c, csrf)
        page = c.get(note).text
        assert 'data-paste-headings="capitals"' in page
        client_page = re.search(r'href="(/clients/[0-9a-f]{32})"', page).group(1)
        r = c.post(client_page, data={"name": "Jordan Avery", "birth_date": "1979-11-30", "csrf_token": csrf})
        assert "Born 1979-11-30" in r.text and "Export the record" in r.text
        link = re.search(r'href="(/api/v1/notes/[0-9a-f]{32}/export\?as=pdf)"', c.get(note).text).group(1)
        pdf = c.get(link)
        assert pdf.headers["content-type"] == "application/pdf"
        text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
        for expected in ("P Counseling", "4 Oak Rd", "NPI 1234567893", "1979-11-30", "licence CA-LCSW-901",
                         "DRAFT"):
            assert expected in text, expected


def test_a_key_points_save_from_a_stale_tab_answers_409_with_both_texts(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        headers = {"X-Requested-With": "afternote", "X-CSRF-Token": csrf}
        saved = c.post(note + "/key-points", data={"key_points": "Typed in tab A.", "key_points_revision": "1"},
                       headers=headers)
        assert saved.json() == {"saved": True, "key_points_revision": 2}
        r = c.post(note + "/key-points", data={"key_points": "Typed in tab B.", "key_points_revision": "1"},
                   headers=headers)
        assert r.status_code == 409 and r.json()["key_points_revision"] == 2
        assert "Typed in tab A." in r.json()["html"] and "Typed in tab B." in r.json()["html"]
        assert "Typed in" not in r.json()["error"]
        r = c.post(note + "/draft", data={"key_points": "Typed in tab B.", "base_version": "1", "format": "soap",
                                          "key_points_revision": "1", "csrf_token": csrf})  # without our script
        assert r.status_code == 409 and "Keep mine" in r.text and "Typed in tab A." in r.text
        assert "Typed in tab B." in r.text and 'id="version-label">1<' in c.get(note).text


def test_a_stale_draft_again_saves_nothing(app):
    with _client(app) as c:
        csrf = _set_up(c)
        note = _new_note(c, csrf)
        c.post(note + "/sections/plan", data={"text": "Weekly CBT.", "base_version": "1", "csrf_token": csrf})
        r = c.post(note + "/draft", data={"key_points": "Revised in a stale tab.", "base_version": "1",
                                          "format": "soap", "key_points_revision": "1", "csrf_token": csrf})
        assert r.status_code == 409 and "nothing was saved" in r.text
        assert "Revised in a stale tab." in r.text  # still in the box, to copy
        assert "Revised in a stale tab." not in c.get(note).text
