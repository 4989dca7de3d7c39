"""The practice's own formats (<data dir>/formats/*.toml) draft from the API and the pages; a bad file is a finding
on the Settings page, named with its problem, while every other format keeps working; no server paths are shown."""
import re

import pytest

from afternote.formats import BUILTIN_DIR
from testkit.pages import signed_in_page
from testkit.records import KEY_POINTS

SOAP = (BUILTIN_DIR / "soap.toml").read_text(encoding="utf-8")
PRACTICE_FORMAT = SOAP.replace('key = "soap"', 'key = "brief"').replace('name = "SOAP"', 'name = "Brief"')
BROKEN = SOAP.replace('key = "soap"', 'key = "broken"').replace('"presenting", "context"', '"presenting", "contexts"')


@pytest.fixture
def formats_dir(app):
    folder = app.state.settings.formats_dir
    folder.mkdir(parents=True)
    (folder / "brief.toml").write_text(PRACTICE_FORMAT, encoding="utf-8")
    (folder / "broken.toml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_api_formats_list_the_good_ones_by_name_without_server_paths(client, clinic, bearer, formats_dir):
    listed = client.get("/api/v1/formats", headers=bearer(clinic.clinician))
    assert listed.status_code == 200
    sources = {f["key"]: f["source"] for f in listed.json()}
    assert sources["soap"] == "builtin" and sources["brief"] == "practice" and "broken" not in sources
    assert str(formats_dir) not in listed.text and "site-packages" not in listed.text


def test_a_practice_format_drafts_and_is_edited_from_the_api(client, clinic, bearer, formats_dir):
    headers = bearer(clinic.clinician)
    drafted = client.post("/api/v1/notes", headers=headers, json={
        "appointment_id": clinic.appointment_id, "key_points": KEY_POINTS, "format": "brief"})
    assert drafted.status_code == 201, drafted.text
    note = drafted.json()
    assert note["format"] == "brief"
    section = note["content"]["sections"][0]["key"] if "content" in note else note["sections"][0]["key"]
    edited = client.put(f"/api/v1/notes/{note['id']}/sections/{section}", headers=headers,
                        json={"text": "Client reported anxiety at work.", "base_version": 1})
    assert edited.status_code == 200, edited.text
    switched = client.post(f"/api/v1/notes/{note['id']}/format", headers=headers,
                           json={"format": "soap", "base_version": 2})
    assert switched.status_code == 200, switched.text


def test_a_bad_format_file_is_named_on_settings_while_soap_and_practice_formats_draft(client, clinic, formats_dir):
    csrf = signed_in_page(client, clinic.clinician)
    settings = client.get("/settings")
    assert settings.status_code == 200
    finding = re.search(r'<aside class="findings" id="format-problems".*?</aside>', settings.text, re.S).group()
    assert "formats/broken.toml" in finding and "unknown category" in finding and str(formats_dir) not in finding
    write = client.get(f"/appointments/{clinic.appointment_id}/note")
    assert write.status_code == 200 and 'value="brief"' in write.text
    drafted = client.post(f"/appointments/{clinic.appointment_id}/note",
                          data={"key_points": KEY_POINTS, "format": "brief", "csrf_token": csrf})
    assert drafted.status_code == 200 and re.fullmatch(r"/notes/[0-9a-f]{32}", drafted.url.path), drafted.text
    assert client.get(drafted.url.path).status_code == 200
