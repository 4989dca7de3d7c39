"""A note's diagnoses and confirmed CPT code in every export: the signed note's as its signature sealed them (not
the chart as it is today), a draft's from the chart; FHIR carries them as ICD-10-CM Conditions of the encounter."""
from __future__ import annotations

import datetime as dt
import io
import json

from docx import Document
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from afternote.exports.fhir import ICD10CM
from afternote.workflow import clients, diagnoses, exports, notes

DAY = dt.date(2026, 1, 5)


def signed_with_diagnoses(db, chart, cpt: str = "90834-95") -> str:
    diagnoses.add(db, chart.clinic.clinician, chart.client_id, "F41.1", primary=True)
    diagnoses.add(db, chart.clinic.clinician, chart.client_id, "Z63.0")
    appointment = clients.add_appointment(db, chart.clinic.clinician, chart.client_id, DAY, dt.time(10), minutes=45,
                                          service="psychotherapy", telehealth="video")
    view = notes.create(db, chart.clinic.clinician, appointment, "Pt anxious. SI/HI neg. Used CBT. Plan: f/u 1wk.")
    notes.sign(db, chart.clinic.clinician, view.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(
        view.content)], cpt=cpt)
    return view.id


def test_every_format_carries_the_sealed_diagnoses_and_code(db, chart):
    note_id = signed_with_diagnoses(db, chart)
    for x in diagnoses.list_diagnoses(db, chart.clinic.clinician, chart.client_id):  # the chart moves on
        diagnoses.remove(db, chart.clinic.clinician, x.id)
    diagnoses.add(db, chart.clinic.clinician, chart.client_id, "F32.1", primary=True)
    actor = chart.clinic.clinician
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        exports.export_note(db, actor, note_id, "pdf").content)).pages)
    docx = "\n".join(p.text for p in Document(io.BytesIO(
        exports.export_note(db, actor, note_id, "docx").content)).paragraphs)
    text = exports.export_note(db, actor, note_id, "text").content.decode()
    for body in (pdf, docx):
        assert "Diagnoses: F41.1 Generalized anxiety disorder (primary); Z63.0" in body, body
        assert "CPT 90834-95" in body and "F32.1" not in body
    assert "DIAGNOSES:\nF41.1 Generalized anxiety disorder (primary)\nZ63.0 " in text  # capitals: the practice's
    assert "CPT:\n90834-95" in text and "F32.1" not in text


def test_fhir_has_a_condition_per_diagnosis_ranked_on_the_encounter(db, chart):
    note_id = signed_with_diagnoses(db, chart)
    bundle = json.loads(exports.export_note(db, chart.clinic.clinician, note_id, "fhir").content)
    Bundle.model_validate(bundle)
    found = {e["resource"]["resourceType"]: [] for e in bundle["entry"]}
    for e in bundle["entry"]:
        found[e["resource"]["resourceType"]].append(e["resource"])
    conditions = found["Condition"]
    assert [c["code"]["coding"][0] for c in conditions] == [
        {"system": ICD10CM, "code": "F41.1", "display": "Generalized anxiety disorder"},
        {"system": ICD10CM, "code": "Z63.0", "display": "Problems in relationship with spouse or partner"}]
    (encounter,) = found["Encounter"]
    assert encounter["diagnosis"][0] == {"condition": {"reference": f"urn:uuid:{_uuid(conditions[0]['id'])}"},
                                         "rank": 1}
    assert encounter["type"][0]["coding"][0]["code"] == "90834"
    (composition,) = found["Composition"]
    (section,) = [s for s in composition["section"] if s["title"] == "Diagnoses"]
    assert len(section["entry"]) == 2


def test_a_draft_shows_the_charts_active_diagnoses(db, chart):
    diagnoses.add(db, chart.clinic.clinician, chart.client_id, "F43.21", primary=True)
    note_id = chart.note(DAY, sign=False)
    text = exports.export_note(db, chart.clinic.clinician, note_id, "text").content.decode()
    assert "F43.21 Adjustment disorder with depressed mood (primary)" in text and "CPT:\n90837-95" in text


def _uuid(hex_id: str) -> str:
    from afternote.exports.fhir import _urn
    return _urn(hex_id).removeprefix("urn:uuid:")
