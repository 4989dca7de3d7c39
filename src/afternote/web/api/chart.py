"""A client's chart: pronouns, referral source and emergency contact; diagnoses (ICD-10-CM); insurance with its
authorization. And the ICD-10-CM code set, searched by code or words (descriptions of codes, not a client's data,
so the words may ride in the query string)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from afternote import icd10
from afternote.web.api.fields import ID_PATTERN, NO_NUL, RecordId
from afternote.web.deps import CurrentActor, DatabaseDep
from afternote.web.problems import responses
from afternote.workflow import chart, diagnoses, insurance

router = APIRouter(prefix="/clients", tags=["chart"], responses=responses(401, 403, 404, 422))
codes = APIRouter(prefix="/icd10", tags=["chart"], responses=responses(401, 422))
Short = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
DiagnosisId = Annotated[str, Field(pattern=ID_PATTERN)]


class ContactBody(BaseModel):
    name: Short = ""
    relationship: Short = ""
    phone: Short = ""


class DetailsBody(BaseModel):
    pronouns: Short | None = Field(default=None, description="An empty string or null (given) clears it.")
    referral_source: Short | None = None
    emergency_contact: ContactBody | None = Field(default=None, description="null (given) clears it.")


class DetailsOut(BaseModel):
    pronouns: str | None = None
    referral_source: str | None = None
    emergency_contact: ContactBody | None = None


class DiagnosisBody(BaseModel):
    code: Annotated[str, Field(min_length=3, max_length=10, pattern=NO_NUL,
                               description="A billable ICD-10-CM code, with or without its dot (F41.1, f411).")]
    primary: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class DiagnosisPatch(BaseModel):
    primary: bool | None = None
    starts_on: dt.date | None = Field(default=None, description="null (given) clears it.")
    ends_on: dt.date | None = Field(default=None, description="A date ends the diagnosis; null (given) reopens it.")


class DiagnosisOut(BaseModel):
    id: str
    code: str
    description: str
    primary: bool
    starts_on: dt.date | None
    ends_on: dt.date | None
    active: bool = Field(description="Active today.")


class InsuranceBody(BaseModel):
    payer: Short | None = None
    member_id: Short | None = None
    authorization: Short | None = Field(default=None, description="The authorization's number.")
    authorized_sessions: int | None = Field(default=None, ge=1, le=1000)
    authorized_from: dt.date | None = None
    authorized_to: dt.date | None = None


class InsuranceOut(InsuranceBody):
    sessions_used: int = Field(description="The client's sessions dated within the authorization's dates.")
    sessions_left: int | None
    warning: str | None = Field(description="Set as the authorization runs out (few sessions left, or its end "
                                            "near or past).")


class ChartOut(BaseModel):
    client_id: str
    details: DetailsOut
    diagnoses: list[DiagnosisOut]
    insurance: InsuranceOut | None


class CodeOut(BaseModel):
    code: str
    description: str


def _details(value: chart.Details) -> DetailsOut:
    contact = value.emergency_contact
    return DetailsOut(pronouns=value.pronouns, referral_source=value.referral_source,
                      emergency_contact=ContactBody(**contact.__dict__) if contact else None)


def _diagnosis(value: diagnoses.DiagnosisView, today: dt.date) -> DiagnosisOut:
    return DiagnosisOut(id=value.id, code=value.code, description=value.description, primary=value.primary,
                        starts_on=value.starts_on, ends_on=value.ends_on, active=value.active_on(today))


def _insurance(value: insurance.InsuranceView | None) -> InsuranceOut | None:
    if value is None:
        return None
    return InsuranceOut(**{f: getattr(value, f) for f in insurance.FIELDS}, sessions_used=value.sessions_used,
                        sessions_left=value.sessions_left, warning=value.warning)


@router.get("/{client_id}/chart")
def get_chart(client_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> ChartOut:
    """The client's chart: details, diagnoses (active first) and insurance. The view is audited."""
    shown = chart.show_chart(db, actor, client_id)
    return ChartOut(client_id=client_id, details=_details(shown.details),
                    diagnoses=[_diagnosis(d, shown.today) for d in shown.diagnoses],
                    insurance=_insurance(shown.insurance))


@router.patch("/{client_id}/chart")
def update_details(client_id: RecordId, body: DetailsBody, actor: CurrentActor, db: DatabaseDep) -> DetailsOut:
    """Set the pronouns, referral source or emergency contact you give; the rest stays. Audited by field name."""
    given = body.model_fields_set
    contact = chart.KEEP
    if "emergency_contact" in given:
        c = body.emergency_contact
        contact = chart.emergency_contact(c.name, c.relationship, c.phone) if c else None
    return _details(chart.update_details(
        db, actor, client_id, pronouns=body.pronouns if "pronouns" in given else chart.KEEP,
        referral_source=body.referral_source if "referral_source" in given else chart.KEEP,
        emergency_contact=contact))


@router.get("/{client_id}/diagnoses")
def list_diagnoses(client_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> list[DiagnosisOut]:
    today = diagnoses.today_of(db, actor)
    return [_diagnosis(d, today) for d in diagnoses.list_diagnoses(db, actor, client_id, today)]


@router.post("/{client_id}/diagnoses", status_code=201)
def add_diagnosis(client_id: RecordId, body: DiagnosisBody, actor: CurrentActor, db: DatabaseDep) -> DiagnosisOut:
    """Add a billable ICD-10-CM code (its description from the code set); a new primary makes the old secondary."""
    return _diagnosis(diagnoses.add(db, actor, client_id, body.code, primary=body.primary,
                                    starts_on=body.starts_on, ends_on=body.ends_on), diagnoses.today_of(db, actor))


@router.patch("/{client_id}/diagnoses/{diagnosis_id}")
def update_diagnosis(client_id: RecordId, diagnosis_id: RecordId, body: DiagnosisPatch, actor: CurrentActor,
                     db: DatabaseDep) -> DiagnosisOut:
    """Change whether it is primary, or its dates (an end date ends it); what you leave out stays."""
    given, keep = body.model_fields_set, diagnoses.KEEP
    return _diagnosis(diagnoses.update_diagnosis(
        db, actor, diagnosis_id, primary=body.primary if "primary" in given and body.primary is not None else keep,
        starts_on=body.starts_on if "starts_on" in given else keep,
        ends_on=body.ends_on if "ends_on" in given else keep, client_id=client_id), diagnoses.today_of(db, actor))


@router.delete("/{client_id}/diagnoses/{diagnosis_id}", status_code=204)
def remove_diagnosis(client_id: RecordId, diagnosis_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> Response:
    """Delete a diagnosis entered by mistake (end one that no longer applies instead); signed notes keep theirs."""
    diagnoses.remove(db, actor, diagnosis_id, client_id)
    return Response(status_code=204)


@router.get("/{client_id}/insurance")
def get_insurance(client_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> InsuranceOut | None:
    return _insurance(chart.show_chart(db, actor, client_id).insurance)


@router.put("/{client_id}/insurance")
def save_insurance(client_id: RecordId, body: InsuranceBody, actor: CurrentActor, db: DatabaseDep) -> InsuranceOut:
    """The client's insurance as a whole (what is left out is cleared). Audited by field name."""
    return _insurance(insurance.save(db, actor, client_id, insurance.InsuranceView(
        **{f: getattr(body, f) for f in insurance.FIELDS})))


@codes.get("")
def search_codes(actor: CurrentActor, q: Annotated[str, Query(min_length=1, max_length=100, pattern=NO_NUL,
                                                                description="A code (F41, f411) or words.")],
                 limit: Annotated[int, Query(ge=1, le=icd10.MAX_RESULTS)] = 20) -> list[CodeOut]:
    """Billable ICD-10-CM codes by code or words (mental and behavioural codes and Z codes first)."""
    return [CodeOut(code=c.code, description=c.description) for c in icd10.search(q, limit)]
