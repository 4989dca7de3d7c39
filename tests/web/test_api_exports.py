"""Exports through the API: the file with its content type and an id-only file name, a client's record for a
period, refusals for another practice's records, and a client's date of birth corrected with PATCH."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from testkit.records import KEY_POINTS, make_clinic
from afternote.workflow import clients, notes

NAME = "Maëlle Kowalczyk"


@pytest.fixture
def signed_note(db, clinic) -> str:
    clients.update_client(db, clinic.clinician, clinic.client_id, NAME, "MRN-1")
    view = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, view.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(view.content)])
    return view.id


@pytest.mark.parametrize("fmt, media_type, suffix", [
    ("pdf", "application/pdf", ".pdf"), ("fhir", "application/fhir+json", ".json"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ("text", "text/plain; charset=utf-8", ".txt"), ("markdown", "text/markdown; charset=utf-8", ".md")])
def test_note_export_downloads_with_its_type_and_an_id_only_name(client, clinic, bearer, signed_note, fmt,
                                                                 media_type, suffix):
    response = client.get(f"/api/v1/notes/{signed_note}/export", params={"as": fmt}, headers=bearer(clinic.clinician))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == f'attachment; filename="note-{signed_note}{suffix}"'
    assert response.headers["cache-control"] == "no-store"
    assert NAME not in response.headers["content-disposition"]


def test_pdf_from_the_api_is_the_note(client, clinic, bearer, signed_note):
    pdf = client.get(f"/api/v1/notes/{signed_note}/export?as=pdf", headers=bearer(clinic.clinician)).content
    assert NAME in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_client_record_export(client, clinic, bearer, signed_note):
    response = client.get(f"/api/v1/clients/{clinic.client_id}/export",
                          params={"as": "fhir", "from": "2026-01-01", "to": "2026-01-31"},
                          headers=bearer(clinic.clinician))
    assert response.status_code == 200 and response.json()["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in response.json()["entry"]]
    assert kinds == ["Patient", "DocumentReference", "Bundle"]  # the client, the record's PDF, the one signed note
    bad = client.get(f"/api/v1/clients/{clinic.client_id}/export",
                     params={"as": "docx", "from": "2026-01-01", "to": "2026-01-31"}, headers=bearer(clinic.clinician))
    assert bad.status_code == 422 and "fhir, pdf" in bad.json()["detail"]


def test_another_practices_records_are_404(db, client, bearer, clinic, signed_note):
    stranger = bearer(make_clinic(db).owner)
    assert client.get(f"/api/v1/notes/{signed_note}/export?as=pdf", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/clients/{clinic.client_id}/export?as=pdf&from=2026-01-01&to=2026-02-01",
                      headers=stranger).status_code == 404


def test_unknown_format_is_a_422_naming_the_formats(client, clinic, bearer, signed_note):
    response = client.get(f"/api/v1/notes/{signed_note}/export?as=rtf", headers=bearer(clinic.clinician))
    assert response.status_code == 422 and "docx, fhir, markdown, pdf, text" in response.json()["detail"]


def test_patch_client_sets_and_clears_the_date_of_birth(client, clinic, bearer):
    headers = bearer(clinic.clinician)
    url = f"/api/v1/clients/{clinic.client_id}"
    assert client.patch(url, json={"birth_date": "1991-03-04"}, headers=headers).json()["birth_date"] == "1991-03-04"
    kept = client.patch(url, json={"identifier": "MRN-9"}, headers=headers).json()
    assert kept["birth_date"] == "1991-03-04" and kept["identifier"] == "MRN-9"
    assert client.patch(url, json={"birth_date": "2999-01-01"}, headers=headers).status_code == 422
    assert client.get(url, headers=headers).json()["birth_date"] == "1991-03-04"
    assert client.patch(url, json={"birth_date": None}, headers=headers).json()["birth_date"] is None
