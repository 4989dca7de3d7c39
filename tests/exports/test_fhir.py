"""FHIR exports parse with fhir.resources (its R4B models: R4 with technical corrections) and carry the codes that
receiving systems look for: LOINC note and section types, US Core category, status, `appends`, AI provenance."""
from __future__ import annotations

import base64
import datetime as dt
import io
import json

from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from afternote.exports.fhir import AI_PROVENANCE
from afternote.workflow import exports, notes

DAY = dt.date(2026, 1, 5)


def exported(db, actor, note_id) -> dict:
    export = exports.export_note(db, actor, note_id, "fhir")
    assert export.media_type == "application/fhir+json"
    bundle = json.loads(export.content)
    Bundle.model_validate(bundle)  # raises on anything FHIR does not allow
    return bundle


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def label(resource: dict) -> str:
    (security,) = [s for s in resource["meta"]["security"] if s["system"] == AI_PROVENANCE]
    return security["code"]


def test_draft_is_a_preliminary_document_asserted_by_the_engine(db, chart):
    bundle = exported(db, chart.clinic.clinician, chart.note(DAY, sign=False))
    assert bundle["type"] == "document" and bundle["entry"][0]["resource"]["resourceType"] == "Composition"
    (composition,) = resources(bundle, "Composition")
    assert composition["status"] == "preliminary" and label(composition) == "AIAST_CLINRPT"
    assert composition["type"]["coding"][0]["code"] == "34904-3"
    assert "attester" not in composition


def test_signed_note_is_final_clinician_asserted_with_the_pdf_attached(db, chart):
    note_id = chart.note(DAY)
    bundle = exported(db, chart.clinic.clinician, note_id)
    (composition,) = resources(bundle, "Composition")
    assert composition["status"] == "final" and label(composition) == "CLINAST_AIRPT"
    assert label(bundle) == "CLINAST_AIRPT"
    codes = {s["title"]: s.get("code", {}).get("coding", [{}])[0].get("code") for s in composition["section"]}
    assert codes["Subjective"] == "61150-9" and codes["Objective"] == "61149-1" and codes["Plan"] == "18776-5"
    assert composition["attester"][0]["mode"] == "legal"
    (patient,) = resources(bundle, "Patient")
    assert patient["birthDate"] == chart.birth_date.isoformat() and patient["name"][0]["text"] == chart.client_name
    (practitioner,) = resources(bundle, "Practitioner")
    assert practitioner["qualification"][0]["identifier"][0]["value"] == chart.licence
    (organization,) = resources(bundle, "Organization")
    assert organization["identifier"][0]["value"] == chart.npi
    (encounter,) = resources(bundle, "Encounter")
    assert encounter["type"][0]["coding"][0]["code"] == "90837" and encounter["class"]["code"] == "VR"
    (reference,) = resources(bundle, "DocumentReference")
    assert reference["category"][0]["coding"][0]["code"] == "clinical-note" and reference["docStatus"] == "final"
    pdf = base64.b64decode(reference["content"][0]["attachment"]["data"])
    assert chart.client_name in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    sha = notes.show(db, chart.clinic.clinician, note_id).signatures[0].content_sha256
    assert sha in json.dumps(composition)


def test_amended_note_has_an_addendum_that_appends_to_it(db, chart):
    note_id = chart.note(DAY)
    notes.addend(db, chart.clinic.clinician, note_id, "Sleep improved since.", "correction")
    bundle = exported(db, chart.clinic.clinician, note_id)
    (composition,) = resources(bundle, "Composition")
    assert composition["status"] == "amended"
    note_reference, addendum = resources(bundle, "DocumentReference")
    assert note_reference["docStatus"] == "amended"
    assert addendum["relatesTo"] == [{"code": "appends", "target": {"reference": f"urn:uuid:{_uuid(note_reference)}"}}]
    assert "Sleep improved since." in base64.b64decode(addendum["content"][0]["attachment"]["data"]).decode()


def _uuid(resource: dict) -> str:
    import uuid
    return str(uuid.UUID(resource["id"]))


def test_client_record_is_one_bundle_of_the_signed_documents(db, chart):
    for month in (3, 6):
        chart.note(dt.date(2025, month, 2))
    chart.note(dt.date(2025, 7, 2), sign=False)
    export = exports.export_client_record(db, chart.clinic.clinician, chart.client_id, "fhir", dt.date(2025, 1, 1),
                                          dt.date(2025, 12, 31))
    record = json.loads(export.content)
    Bundle.model_validate(record)
    assert record["type"] == "collection"
    patient, reference, *documents = [e["resource"] for e in record["entry"]]
    assert patient["resourceType"] == "Patient" and patient["birthDate"] == chart.birth_date.isoformat()
    pdf = PdfReader(io.BytesIO(base64.b64decode(reference["content"][0]["attachment"]["data"])))
    assert "Signed notes: 2" in pdf.pages[0].extract_text()
    assert len(documents) == 2
    for document in documents:
        assert document["type"] == "document"
        Bundle.model_validate(document)
        (note_reference,) = resources(document, "DocumentReference")
        text = base64.b64decode(note_reference["content"][0]["attachment"]["data"]).decode()
        assert "SUBJECTIVE:" in text  # the EHR paste, in the practice's heading style
