"""The rating-scale totals typed in a note's key points in its exports: FHIR survey Observations of the session
(LOINC-coded where the instruments table gives the total's code, text otherwise) listed in the Composition's
Measures section, and one Measures line in the PDF and the Word file."""
from __future__ import annotations

import datetime as dt
import io
import json

from docx import Document
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from afternote.exports.fhir import AI_PROVENANCE, LOINC, _urn
from afternote.workflow import exports, notes

DAY = dt.date(2026, 1, 5)
WITH_MEASURES = ("Pt reports low mood at work; PHQ-9 14, GAD-7: 9/21, ORS 23.4, EPDS 11. SI/HI neg. "
                 "Used CBT thought record. Pt engaged. Plan: thought record daily, f/u 1wk.")


def bundle_of(db, actor, note_id) -> dict:
    bundle = json.loads(exports.export_note(db, actor, note_id, "fhir").content)
    Bundle.model_validate(bundle)  # raises on anything FHIR does not allow
    return bundle


def of_kind(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_name(observations: list[dict]) -> dict[str, dict]:
    return {o["code"]["text"]: o for o in observations}


def test_a_typed_phq9_is_a_final_loinc_coded_observation_of_the_session(db, chart):
    note_id = chart.note(DAY, key_points=WITH_MEASURES)
    bundle = bundle_of(db, chart.clinic.clinician, note_id)
    observations = by_name(of_kind(bundle, "Observation"))
    assert list(observations) == ["PHQ-9 total score", "GAD-7 total score", "ORS total score", "EPDS total score"]
    phq9 = observations["PHQ-9 total score"]
    assert phq9["code"]["coding"] == [{"system": LOINC, "code": "44261-6"}]
    assert phq9["valueInteger"] == 14 and phq9["status"] == "final"
    assert phq9["category"][0]["coding"][0]["code"] == "survey"
    assert phq9["effectiveDateTime"] == DAY.isoformat() and phq9["interpretation"] == [{"text": "moderate"}]
    (patient,) = of_kind(bundle, "Patient")
    (encounter,) = of_kind(bundle, "Encounter")
    (practitioner,) = of_kind(bundle, "Practitioner")
    assert phq9["subject"]["reference"] == _urn(patient["id"])
    assert phq9["encounter"]["reference"] == _urn(encounter["id"])
    assert phq9["performer"] == [{"reference": _urn(practitioner["id"])}]
    assert observations["GAD-7 total score"]["code"]["coding"][0]["code"] == "70274-6"
    assert [s["code"] for s in phq9["meta"]["security"] if s["system"] == AI_PROVENANCE] == ["CLINAST_AIRPT"]
    (composition,) = of_kind(bundle, "Composition")
    (section,) = [s for s in composition["section"] if s["title"] == "Measures"]
    assert section["entry"] == [{"reference": _urn(o["id"])} for o in observations.values()]


def test_an_instrument_without_a_code_carries_its_name_only_and_a_decimal_scale_a_quantity(db, chart):
    note_id = chart.note(DAY, key_points=WITH_MEASURES)
    observations = by_name(of_kind(bundle_of(db, chart.clinic.clinician, note_id), "Observation"))
    epds = observations["EPDS total score"]
    assert epds["code"] == {"text": "EPDS total score"} and epds["valueInteger"] == 11
    ors = observations["ORS total score"]
    assert "coding" not in ors["code"] and "valueInteger" not in ors
    assert ors["valueQuantity"]["value"] == 23.4


def test_a_drafts_measures_are_preliminary_and_the_engines(db, chart):
    note_id = chart.note(DAY, sign=False, key_points=WITH_MEASURES)
    observations = of_kind(bundle_of(db, chart.clinic.clinician, note_id), "Observation")
    assert len(observations) == 4 and {o["status"] for o in observations} == {"preliminary"}
    assert {s["code"] for o in observations for s in o["meta"]["security"]} == {"AIAST_CLINRPT"}


def test_an_amended_notes_measures_are_amended(db, chart):
    note_id = chart.note(DAY, key_points=WITH_MEASURES)
    notes.addend(db, chart.clinic.clinician, note_id, "Sleep improved since.", "correction")
    observations = of_kind(bundle_of(db, chart.clinic.clinician, note_id), "Observation")
    assert {o["status"] for o in observations} == {"amended"}


def test_a_note_without_totals_has_no_observations_nor_measures_section(db, chart):
    bundle = bundle_of(db, chart.clinic.clinician, chart.note(DAY))
    assert of_kind(bundle, "Observation") == []
    (composition,) = of_kind(bundle, "Composition")
    assert "Measures" not in [s["title"] for s in composition["section"]]


def test_the_client_record_holds_the_observations_of_its_notes(db, chart):
    chart.note(dt.date(2025, 3, 2), key_points=WITH_MEASURES)
    chart.note(dt.date(2025, 6, 2), key_points=WITH_MEASURES.replace("PHQ-9 14", "PHQ-9 8"))
    export = exports.export_client_record(db, chart.clinic.clinician, chart.client_id, "fhir", dt.date(2025, 1, 1),
                                          dt.date(2025, 12, 31))
    record = json.loads(export.content)
    Bundle.model_validate(record)
    documents = [e["resource"] for e in record["entry"] if e["resource"]["resourceType"] == "Bundle"]
    phq9 = [by_name(of_kind(d, "Observation"))["PHQ-9 total score"] for d in documents]
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in phq9] == [("2025-03-02", 14), ("2025-06-02", 8)]


def test_pdf_and_word_list_the_measures_in_one_line(db, chart):
    note_id = chart.note(DAY, key_points=WITH_MEASURES)
    actor = chart.clinic.clinician
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        exports.export_note(db, actor, note_id, "pdf").content)).pages)
    docx = "\n".join(p.text for p in Document(io.BytesIO(
        exports.export_note(db, actor, note_id, "docx").content)).paragraphs)
    for body in (pdf, docx):
        assert "Measures: PHQ-9 14, GAD-7 9, ORS 23.4, EPDS 11" in body, body
