"""FHIR R4 as plain dicts: a note is a document Bundle (Composition first, then the DocumentReference carrying the
PDF, Patient, Practitioner, Organization, Encounter, a Condition per diagnosis, an Observation per rating-scale
total, and one DocumentReference per addendum that `appends` the note's); a client's record is a collection Bundle
of those documents and, per signed treatment plan version, a CarePlan with its Goals. AI provenance is labelled in
`meta.security` with the codes of HL7's AI Transparency on FHIR guide."""
from __future__ import annotations

import base64
import datetime as dt
import html
import json
import uuid

from afternote import times
from afternote.exports import Exporter
from afternote.exports.document import (ClientRecord, NoteDocument, Person, PlanVersion, addendum_heading,
                                        agreement_line, intervention_line, objective_line, signature_line)
from afternote.exports.pdf import render_note as pdf_of, render_record as record_pdf_of
from afternote.exports.text import note_text
from afternote.plans import goal_line
from afternote.plugins import hookimpl

LOINC = "http://loinc.org"
MENTAL_HEALTH_PROGRESS_NOTE = {"system": LOINC, "code": "34904-3", "display": "Mental health Progress note"}
AI_PROVENANCE = "http://hl7.org/fhir/uv/aitransparency/CodeSystem/AddedProvenanceCS"
# a draft is the drafting engine's text from what the clinician reported; a signed note the clinician's own assertion
DRAFT_LABEL = {"system": AI_PROVENANCE, "code": "AIAST_CLINRPT", "display": "AI Asserted from Clinician Reported"}
SIGNED_LABEL = {"system": AI_PROVENANCE, "code": "CLINAST_AIRPT", "display": "Clinician Asserted from AI Reported"}
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
NPI = "http://hl7.org/fhir/sid/us-npi"
CPT = "http://www.ama-assn.org/go/cpt"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
STATUS = {"draft": "preliminary", "signed": "final", "amended": "amended"}


def _urn(hex_id: str) -> str:
    return f"urn:uuid:{uuid.UUID(hex_id)}"


def _utc(moment: dt.datetime) -> str:
    """A stored UTC time as a FHIR instant."""
    return times.iso(moment.replace(microsecond=0))


def _local(moment: dt.datetime, zone: str) -> str:
    """A stored UTC time with the practice's offset then (a session's period reads as its wall clock)."""
    return times.iso(moment.replace(microsecond=0), zone)


def _narrative(*paragraphs: str) -> dict:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def _patient(client: Person) -> dict:
    given, _, family = client.name.rpartition(" ")
    name = {"text": client.name, "family": family or client.name}
    if given:
        name["given"] = given.split()
    patient = {"resourceType": "Patient", "id": client.id, "name": [name]}
    if client.record_number:
        patient["identifier"] = [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                       "code": "MR"}]}, "value": client.record_number}]
    if client.birth_date:
        patient["birthDate"] = client.birth_date.isoformat()
    return patient


def _practitioner(practitioner_id: str, name: str, credentials: str, licence: str) -> dict:
    resource = {"resourceType": "Practitioner", "id": practitioner_id, "name": [{"text": name}]}
    if credentials or licence:
        qualification: dict = {"code": {"text": credentials or "licence"}}
        if licence:
            qualification["identifier"] = [{"value": licence}]
        resource["qualification"] = [qualification]
    return resource


def _organization(doc: NoteDocument, organization_id: str) -> dict:
    practice = doc.practice
    org = {"resourceType": "Organization", "id": organization_id, "name": practice.name}
    if practice.npi:
        org["identifier"] = [{"system": NPI, "value": practice.npi}]
    if practice.phone:
        org["telecom"] = [{"system": "phone", "value": practice.phone}]
    if practice.address:
        org["address"] = [{"text": practice.address}]
    return org


def _conditions(doc: NoteDocument) -> list[dict]:
    """The note's diagnoses as encounter-diagnosis Conditions (ICD-10-CM), the primary first."""
    return [{"resourceType": "Condition", "id": uuid.uuid4().hex,
             "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}]},
             "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "encounter-diagnosis",
                                       "display": "Encounter Diagnosis"}]}],
             "code": {"coding": [{"system": ICD10CM, "code": x.code, "display": x.description}],
                      "text": x.description},
             "subject": {"reference": _urn(doc.client.id)}, "encounter": {"reference": _urn(doc.session.id)}}
            for x in doc.diagnoses]


def _observations(doc: NoteDocument, label: dict) -> list[dict]:
    """The note's rating-scale totals as survey Observations of the session, with the status of the note they were
    typed in and its AI-provenance label; coded with LOINC where the instruments table gives the total's code,
    named in text otherwise."""
    observations = []
    for m in doc.measures:
        code = {"text": f"{m.name} total score"}
        if m.loinc:
            code["coding"] = [{"system": LOINC, "code": m.loinc}]
        # a scale read to a tenth (ORS, SRS) is a quantity; a whole-number total an integer
        value = ({"valueQuantity": {"value": m.score, "unit": "{score}", "system": UCUM, "code": "{score}"}}
                 if m.decimal else {"valueInteger": int(m.score)})
        observation = {
            "resourceType": "Observation", "id": uuid.uuid4().hex, "meta": {"security": [label]},
            "status": STATUS[doc.status],
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": code, "subject": {"reference": _urn(doc.client.id)},
            "encounter": {"reference": _urn(doc.session.id)}, "effectiveDateTime": doc.session.date.isoformat(),
            "performer": [{"reference": _urn(doc.clinician.id)}], **value}
        if m.band:
            observation["interpretation"] = [{"text": m.band}]
        observations.append(observation)
    return observations


def _encounter(doc: NoteDocument, conditions: list[dict] = ()) -> dict:
    session = doc.session
    encounter = {
        "resourceType": "Encounter", "id": session.id, "status": "finished",
        "class": {"system": ACT_CODE, "code": "VR" if session.telehealth else "AMB",
                  "display": "virtual" if session.telehealth else "ambulatory"},
        "subject": {"reference": _urn(doc.client.id)},
        "participant": [{"individual": {"reference": _urn(doc.clinician.id)}}],
        "period": {"start": _local(session.starts_at, doc.practice.time_zone),
                   "end": _local(session.ends_at, doc.practice.time_zone)}}
    service = {"text": session.service or "psychotherapy"}
    if session.cpt:
        service["coding"] = [{"system": CPT, "code": session.cpt.split("-")[0].split()[0]}]
    encounter["type"] = [service]
    if conditions:  # rank 1: the primary diagnosis
        encounter["diagnosis"] = [
            {"condition": {"reference": _urn(c["id"])}, **({"rank": 1} if x.primary else {})}
            for c, x in zip(conditions, doc.diagnoses)]
    if session.minutes is not None:
        encounter["length"] = {"value": session.minutes, "unit": "min", "system": "http://unitsofmeasure.org",
                               "code": "min"}
    return encounter


def _section(title: str, text: str, loinc: str | None) -> dict:
    section = {"title": title, "text": _narrative(*(text or "No content.").split("\n"))}
    if loinc:
        section["code"] = {"coding": [{"system": LOINC, "code": loinc}], "text": title}
    return section


def _measures_section(doc: NoteDocument, observations: list[dict]) -> dict:
    section = _section("Measures", "\n".join(m.label + (f" ({m.band})" if m.band else "") for m in doc.measures),
                       None)
    section["entry"] = [{"reference": _urn(o["id"])} for o in observations]
    return section


def _composition(doc: NoteDocument, organization_id: str, label: dict, conditions: list[dict] = (),
                 observations: list[dict] = ()) -> dict:
    signed = [s for s in doc.signatures if s.kind == "sign"]
    sections = [_section(s.title, s.text, s.loinc) for s in doc.sections]
    if conditions:
        diagnoses = _section("Diagnoses", "\n".join(x.label for x in doc.diagnoses), None)
        diagnoses["entry"] = [{"reference": _urn(c["id"])} for c in conditions]
        sections.append(diagnoses)
    if observations:
        sections.append(_measures_section(doc, observations))
    for add in doc.addenda:
        sections.append(_section(addendum_heading(add, doc.practice.time_zone), f"Reason: {add.reason}\n{add.text}",
                                 None))
    sections.append(_section("Signature", "\n".join(
        [signature_line(s, doc.practice.time_zone) + f"; SHA-256 {s.content_sha256}" for s in doc.signatures]
        + ([doc.verification.describe()] if doc.verification else [])) or "Not signed.", None))
    composition = {
        "resourceType": "Composition", "id": doc.note_id, "meta": {"security": [label]},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn(doc.note_id)},
        "status": STATUS[doc.status], "type": {"coding": [MENTAL_HEALTH_PROGRESS_NOTE]},
        "subject": {"reference": _urn(doc.client.id)}, "encounter": {"reference": _urn(doc.session.id)},
        "date": _utc(signed[0].signed_at if signed else doc.exported_at),
        "author": [{"reference": _urn(doc.clinician.id)}], "title": doc.title, "confidentiality": "R",
        "custodian": {"reference": _urn(organization_id)}, "section": sections}
    attesters = [{"mode": "legal" if s.kind == "sign" else "professional", "time": _utc(s.signed_at),
                  "party": {"reference": _urn(s.signer_id or doc.clinician.id)}} for s in doc.signatures]
    if attesters:
        composition["attester"] = attesters
    return composition


def _attachment(content_type: str, data: bytes, title: str) -> dict:
    return {"contentType": content_type, "language": "en", "data": base64.b64encode(data).decode("ascii"),
            "title": title}


def _document_reference(doc: NoteDocument, reference_id: str, label: dict, with_pdf: bool = True) -> dict:
    # in a client's record the notes carry their text, and the record's one PDF holds them all: a PDF per note
    # would cost a font subset each (about 0.3 s), a minute for five years of weekly notes
    attachment = (_attachment("application/pdf", pdf_of(doc), doc.title) if with_pdf
                  else _attachment("text/plain; charset=utf-8", note_text(doc).encode("utf-8"), doc.title))
    return {
        "resourceType": "DocumentReference", "id": reference_id, "meta": {"security": [label]},
        "status": "current", "docStatus": STATUS[doc.status], "type": {"coding": [MENTAL_HEALTH_PROGRESS_NOTE]},
        "category": [{"coding": [{"system": US_CORE_CATEGORY, "code": "clinical-note",
                                  "display": "Clinical Note"}]}],
        "subject": {"reference": _urn(doc.client.id)}, "date": _utc(doc.exported_at),
        "author": [{"reference": _urn(doc.clinician.id)}],
        "content": [{"attachment": attachment}],
        "context": {"encounter": [{"reference": _urn(doc.session.id)}],
                    "period": {"start": _local(doc.session.starts_at, doc.practice.time_zone),
                               "end": _local(doc.session.ends_at, doc.practice.time_zone)}}}


def _addendum_reference(doc: NoteDocument, add, note_reference_id: str, label: dict) -> dict:
    text = (f"{addendum_heading(add, doc.practice.time_zone)}\nReason: {add.reason}\n{add.text}\n"
            f"SHA-256 {add.content_sha256}\n")
    return {
        "resourceType": "DocumentReference", "id": add.id, "meta": {"security": [label]}, "status": "current",
        "docStatus": "final", "type": {"coding": [MENTAL_HEALTH_PROGRESS_NOTE]},
        "category": [{"coding": [{"system": US_CORE_CATEGORY, "code": "clinical-note"}]}],
        "subject": {"reference": _urn(doc.client.id)}, "date": _utc(add.created_at),
        "description": "Addendum",
        "relatesTo": [{"code": "appends", "target": {"reference": _urn(note_reference_id)}}],
        "content": [{"attachment": _attachment("text/plain; charset=utf-8", text.encode("utf-8"), "Addendum")}]}


def note_bundle(doc: NoteDocument, with_pdf: bool = True) -> dict:
    """The note as a FHIR R4 document Bundle (a dict ready for json.dumps); its DocumentReference carries the
    note's PDF, or (`with_pdf` False) its text."""
    label = DRAFT_LABEL if doc.is_draft else SIGNED_LABEL
    organization_id, reference_id = uuid.uuid4().hex, uuid.uuid4().hex
    clinician = doc.clinician
    conditions, observations = _conditions(doc), _observations(doc, label)
    resources = [_composition(doc, organization_id, label, conditions, observations),
                 _document_reference(doc, reference_id, label, with_pdf),
                 _patient(doc.client),
                 _practitioner(clinician.id, clinician.name, clinician.credentials, clinician.licence_number),
                 _organization(doc, organization_id), _encounter(doc, conditions), *conditions, *observations]
    for sig in doc.signatures:
        if sig.signer_id and sig.signer_id != clinician.id:  # a co-signer: the supervisor
            resources.append(_practitioner(sig.signer_id, sig.name, sig.credentials, sig.licence_number))
    resources += [_addendum_reference(doc, add, reference_id, label) for add in doc.addenda]
    return {"resourceType": "Bundle", "id": uuid.uuid4().hex, "meta": {"security": [label]},
            "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
            "type": "document", "timestamp": _utc(doc.exported_at),
            "entry": [{"fullUrl": _urn(r["id"]), "resource": r} for r in resources]}


def record_bundle(record: ClientRecord) -> dict:
    """A client's record: a collection Bundle of the Patient, one DocumentReference holding the record's PDF,
    each signed note's document Bundle, oldest first, then each signed treatment plan version's CarePlan and
    Goals."""
    patient = _patient(record.client)
    reference = {
        "resourceType": "DocumentReference", "id": uuid.uuid4().hex, "meta": {"security": [SIGNED_LABEL]},
        "status": "current", "docStatus": "final", "type": {"coding": [MENTAL_HEALTH_PROGRESS_NOTE]},
        "category": [{"coding": [{"system": US_CORE_CATEGORY, "code": "clinical-note"}]}],
        "subject": {"reference": _urn(record.client.id)}, "date": _utc(record.exported_at),
        "description": f"Clinical record {record.start:%Y-%m-%d} to {record.end:%Y-%m-%d}",
        "content": [{"attachment": _attachment("application/pdf", record_pdf_of(record), "Clinical record")}]}
    entries = [{"fullUrl": _urn(patient["id"]), "resource": patient},
               {"fullUrl": _urn(reference["id"]), "resource": reference}]
    entries += [{"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": note_bundle(doc, with_pdf=False)}
                for doc in record.notes]
    for plan in record.plans:
        entries += [{"fullUrl": _urn(r["id"]), "resource": r} for r in care_plan(record, plan)]
    return {"resourceType": "Bundle", "id": uuid.uuid4().hex, "type": "collection",
            "timestamp": _utc(record.exported_at), "entry": entries}


def care_plan(record: ClientRecord, plan: PlanVersion) -> list[dict]:
    """A signed plan version as a CarePlan (its problems, interventions as activities, the agreement, the signature
    with its hash and verification) followed by one Goal per goal, whose targets are its objectives."""
    doc, zone, subject = plan.document, record.practice.time_zone, {"reference": _urn(record.client.id)}
    active = plan.active
    goals = []
    for goal in doc.goals():
        resource = {"resourceType": "Goal", "id": uuid.uuid4().hex,
                    "lifecycleStatus": "active" if active else "cancelled",
                    "description": {"text": goal_line(goal)}, "subject": subject}
        if doc.start_date:
            resource["startDate"] = doc.start_date.isoformat()
        targets, notes = [], []
        for k, objective in enumerate(goal.objectives, 1):
            target = {"measure": {"text": objective.measure or objective.text or "objective"}}
            if objective.target:
                target["detailString"] = objective.target
            if objective.target_date:
                target["dueDate"] = objective.target_date.isoformat()
            targets.append(target)
            notes.append({"text": f"Objective {k}: {objective_line(objective)}"})
        if targets:
            resource["target"], resource["note"] = targets, notes
        goals.append(resource)
    signature = plan.signature
    lines = [plan.title, agreement_line(doc), *(f"Problem {i}: {p.text}" for i, p in enumerate(doc.problems, 1)),
             signature_line(signature, zone) + f"; SHA-256 {signature.content_sha256}",
             plan.verification.describe()]
    resource = {
        "resourceType": "CarePlan", "id": uuid.uuid4().hex, "text": _narrative(*lines),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": _urn(plan.plan_id)}],
        "status": "active" if active else "revoked", "intent": "plan", "title": plan.title,
        "description": "; ".join(p.text for p in doc.problems if p.text) or plan.title,
        "subject": subject, "created": _utc(signature.signed_at),
        "author": {"display": signature.name + (f", {signature.credentials}" if signature.credentials else "")},
        "goal": [{"reference": _urn(g["id"])} for g in goals],
        "activity": [{"detail": {"status": "in-progress" if active else "stopped",
                                 "description": f"{p.text}: {intervention_line(v)}" if p.text
                                 else intervention_line(v)}}
                     for p in doc.problems for v in p.interventions],
        "note": [{"text": agreement_line(doc)},
                 {"text": f"{signature_line(signature, zone)}; SHA-256 {signature.content_sha256}; "
                          f"{plan.verification.describe()}"}]}
    if doc.start_date:
        resource["period"] = {"start": doc.start_date.isoformat()}
    if not resource["activity"]:
        del resource["activity"]
    return [resource, *goals]


def _dump(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


@hookimpl
def register_exporters(register):
    register(Exporter("fhir", "application/fhir+json", ".json", lambda doc: _dump(note_bundle(doc)),
                      lambda record: _dump(record_bundle(record))))
