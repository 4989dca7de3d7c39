"""The practice's time zone over HTTP: the API reads it (anyone) and sets it (owners, a clear 422 for an unknown
zone), session times go in as the practice's wall clock and come out in UTC with their offset plus the local time,
and the pages and exports show every time in the zone."""
from __future__ import annotations

import datetime as dt
import io
import json

from pypdf import PdfReader

from afternote.workflow import audit, clients, notes, practice
from testkit.pages import signed_in_page
from testkit.records import KEY_POINTS


def test_the_api_reads_and_sets_the_zone_owners_only(client, clinic, bearer, db):
    owner, clinician = bearer(clinic.owner), bearer(clinic.clinician)
    assert client.put("/api/v1/practice/time-zone", json={"time_zone": "Asia/Tokyo"}, headers=owner).json()[
        "time_zone"] == "Asia/Tokyo"
    assert client.get("/api/v1/practice", headers=clinician).json()["time_zone"] == "Asia/Tokyo"
    assert client.get("/api/v1/session", headers=clinician).json()["time_zone"] == "Asia/Tokyo"
    unknown = client.put("/api/v1/practice/time-zone", json={"time_zone": "Asia/Tokio"}, headers=owner)
    assert unknown.status_code == 422 and "'Asia/Tokio' is not a time zone" in unknown.json()["detail"]
    refused = client.put("/api/v1/practice/time-zone", json={"time_zone": "UTC"}, headers=clinician)
    assert refused.status_code == 403
    assert practice.time_zone_of(db, clinic.owner) == "Asia/Tokyo"
    assert [e.action for e in audit.events(db, clinic.owner, action="time_zone_change")] == ["time_zone_change"]


def test_session_times_go_in_as_wall_clock_and_come_out_in_utc_with_the_local_time(client, clinic, bearer):
    headers = bearer(clinic.clinician)
    client.put("/api/v1/practice/time-zone", json={"time_zone": "America/New_York"}, headers=bearer(clinic.owner))
    made = client.post("/api/v1/appointments", headers=headers, json={
        "client_id": clinic.client_id, "date": "2026-11-01", "start": "14:00", "minutes": 53})
    assert made.status_code == 201, made.text
    body = made.json()
    assert dt.datetime.fromisoformat(body["starts_at"]) == dt.datetime(2026, 11, 1, 19, tzinfo=dt.timezone.utc)
    assert body["local_starts_at"] == "2026-11-01T14:00:00-05:00"
    assert body["local_ends_at"] == "2026-11-01T14:53:00-05:00"
    assert body["time_zone"] == "America/New_York"
    skipped = client.post("/api/v1/appointments", headers=headers, json={
        "client_id": clinic.client_id, "date": "2026-03-08", "start": "02:30", "minutes": 53})
    assert skipped.status_code == 422 and "did not happen" in skipped.json()["detail"]


def test_pages_and_exports_show_times_in_the_practice_zone(client, clinic, bearer, db):
    practice.set_time_zone(db, clinic.owner, "Asia/Tokyo")
    appointment = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 9),
                                          dt.time(18, 30), minutes=53)  # 09:30 UTC
    view = notes.create(db, clinic.clinician, appointment, KEY_POINTS)
    notes.sign(db, clinic.clinician, view.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(view.content)])
    signed_at = notes.show(db, clinic.clinician, view.id).signatures[0].signed_at
    local = (signed_at + dt.timedelta(hours=9)).strftime("%Y-%m-%d %H:%M")
    signed_in_page(client, clinic.clinician)
    page = client.get(f"/notes/{view.id}").text
    assert f"{local} JST" in page and "18:30–19:23 JST" in page
    printed = client.get(f"/notes/{view.id}/print").text
    assert f"{local} JST" in printed and "session 2026-03-09 18:30 JST" in printed and "Asia/Tokyo" in printed
    headers = bearer(clinic.clinician)
    pdf = client.get(f"/api/v1/notes/{view.id}/export?as=pdf", headers=headers).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{local} JST" in text and "2026-03-09 · 18:30-19:23 JST" in text
    fhir = json.loads(client.get(f"/api/v1/notes/{view.id}/export?as=fhir", headers=headers).content)
    encounter = next(e["resource"] for e in fhir["entry"] if e["resource"]["resourceType"] == "Encounter")
    assert encounter["period"] == {"start": "2026-03-09T18:30:00+09:00", "end": "2026-03-09T19:23:00+09:00"}
    assert fhir["timestamp"].endswith("+00:00")


def test_the_client_page_offers_todays_date_in_the_practice_zone(client, clinic, db, clock):
    practice.set_time_zone(db, clinic.owner, "Pacific/Kiritimati")  # UTC+14: a day ahead of UTC for 14 hours
    clock.offset = dt.datetime(2026, 5, 1, 12) - clock()  # noon UTC, 02:00 on 2 May there
    signed_in_page(client, clinic.clinician)
    page = client.get(f"/clients/{clinic.client_id}").text
    assert 'id="date" name="date" type="date" required value="2026-05-02"' in page


def test_a_clinician_sees_the_zone_on_settings_and_cannot_post_it(client, clinic, db):
    practice.set_time_zone(db, clinic.owner, "Europe/Berlin")
    csrf = signed_in_page(client, clinic.clinician)
    page = client.get("/settings").text
    assert "Times are shown in the practice's time zone, Europe/Berlin" in page and 'id="time_zone"' not in page
    refused = client.post("/settings/time-zone", data={"csrf_token": csrf, "time_zone": "UTC"})
    assert refused.status_code == 422 and "Only a practice owner" in refused.text
    assert practice.time_zone_of(db, clinic.owner) == "Europe/Berlin"


LETTERHEAD = {"name": "Harbor Counseling", "address": "12 Main St, Springfield", "phone": "555-0100",
              "npi": "1234567893", "paste_headings": "capitals"}


def test_an_owner_sets_the_letterhead_over_the_api_and_exports_print_it(client, clinic, bearer, db):
    owner = bearer(clinic.owner)
    changed = client.put("/api/v1/practice/letterhead", json=LETTERHEAD, headers=owner)
    assert changed.status_code == 200, changed.text
    assert changed.json() == LETTERHEAD
    assert client.get("/api/v1/practice/letterhead", headers=bearer(clinic.clinician)).json() == LETTERHEAD
    assert practice.letterhead_of(db, clinic.owner).npi == "1234567893"
    (event,) = [e for e in audit.events(db, clinic.owner, action="edit") if e.record_type == "practice"]
    assert event.record_id == clinic.owner.practice_id
    appointment = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 9), dt.time(10),
                                          minutes=53)
    view = notes.create(db, clinic.clinician, appointment, KEY_POINTS)
    pdf = client.get(f"/api/v1/notes/{view.id}/export?as=pdf", headers=bearer(clinic.clinician)).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Harbor Counseling" in text and "NPI 1234567893" in text and "12 Main St, Springfield" in text


def test_a_clinician_cannot_set_the_letterhead(client, clinic, bearer, db):
    before = practice.letterhead_of(db, clinic.owner)
    refused = client.put("/api/v1/practice/letterhead", json=LETTERHEAD, headers=bearer(clinic.clinician))
    assert refused.status_code == 403 and "Only a practice owner" in refused.json()["detail"]
    assert practice.letterhead_of(db, clinic.owner) == before


def test_a_bad_npi_is_refused_with_what_to_give_and_changes_nothing(client, clinic, bearer, db):
    owner = bearer(clinic.owner)
    client.put("/api/v1/practice/letterhead", json=LETTERHEAD, headers=owner)
    before = practice.letterhead_of(db, clinic.owner)
    for npi in ("98765", "98765432ab"):
        refused = client.put("/api/v1/practice/letterhead", json={**LETTERHEAD, "name": "Renamed", "npi": npi},
                             headers=owner)
        assert refused.status_code == 422, refused.text
        assert "An NPI is 10 digits" in refused.json()["detail"] and npi not in refused.json()["detail"]
    assert practice.letterhead_of(db, clinic.owner) == before
    assert len([e for e in audit.events(db, clinic.owner, action="edit") if e.record_type == "practice"]) == 1
