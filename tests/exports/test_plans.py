"""A client's record export holds every treatment plan version signed in the period, as sealed: in the PDF a plan
section read back with pypdf (problems, goals, objectives with baseline, target, date and measure, interventions,
signer and seal), in FHIR a CarePlan with its Goals per version, parsed by fhir.resources."""
from __future__ import annotations

import datetime as dt
import json
import re

from fhir.resources.R4B.bundle import Bundle

from afternote.records.models import utcnow
from afternote.workflow import exports, plans
from testkit.plans import complete_plan
from testkit.pdfs import rendered_pages, text_of
from testkit.records import raw

FROM = dt.date(2025, 1, 1)


def two_signed_versions(chart) -> tuple[str, list]:
    """Version 1 signed, version 2 (another objective's target) signed, version 3 a draft."""
    clinician = chart.clinic.clinician
    plan = plans.create(chart.db, clinician, chart.client_id, complete_plan())
    first = plans.sign(chart.db, clinician, plan.id, 1)
    document = plans.show(chart.db, clinician, plan.id).document.to_dict()
    document["problems"][0]["goals"][0]["objectives"][0]["target"] = "below 5"
    plans.save(chart.db, clinician, plan.id, document, 1)
    second = plans.sign(chart.db, clinician, plan.id, 2)
    document["problems"][0]["text"] = "A draft's change, never exported"
    plans.save(chart.db, clinician, plan.id, document, 2)
    return plan.id, [first, second]


def record(chart, format: str, to: dt.date | None = None) -> bytes:
    today = utcnow().date() + dt.timedelta(days=1)  # the signatures are made now, in any zone's today
    return exports.export_client_record(chart.db, chart.clinic.clinician, chart.client_id, format, FROM,
                                        to or today).content


def test_the_record_pdf_holds_each_signed_plan_version_with_its_signer_and_seal(db, chart, tmp_path):
    chart.note(dt.date(2025, 3, 2))
    _, (first, second) = two_signed_versions(chart)
    pdf = record(chart, "pdf")
    text = re.sub(r"[ \t]+", " ", text_of(pdf))
    assert "Signed treatment plan versions: 2" in text
    assert "Treatment plan, version 1 (since replaced)" in text and "Treatment plan, version 2 (the active plan)" in text
    assert "A draft's change" not in text and "Treatment plan, version 3" not in text
    assert "Problem 1: Generalized anxiety interfering with work" in text
    assert 'Goal 1: Reduce anxiety at work (in the client\'s words: "I want to stop dreading Mondays")' in text
    assert ("Objective 1.1: GAD-7 score below 10 · baseline: GAD-7 16 · target: below 10 · by: 2026-04-05 · "
            "measure: GAD-7") in text
    assert "target: below 5" in text  # version 2's own change
    assert "Intervention 1: CBT · weekly · for 12 weeks" in text
    assert "Established: 2026-01-05 · Client's agreement: verbal, 2026-01-05" in text
    assert text.count("Signed: Casey Clin, LMFT, licence LMFT-104233") == 3  # two plan versions and the note
    assert first.content_sha256 in text and second.content_sha256 in text
    assert text.count("Verified: the content matches its signature hash and seal.") == 3
    assert rendered_pages(pdf, tmp_path)


def test_a_plan_signed_outside_the_period_is_left_out(db, chart):
    two_signed_versions(chart)
    assert "Signed treatment plan versions: 0" in text_of(record(chart, "pdf", to=dt.date(2025, 12, 31)))


def test_a_plan_whose_seal_fails_says_so(db, chart):
    plan_id, _ = two_signed_versions(chart)
    raw(db, ("UPDATE plan_signatures SET signer_name = 'Someone Else' WHERE plan_id = :p AND version = 1",
             {"p": plan_id}))
    text = text_of(record(chart, "pdf"))
    assert ("NOT VERIFIED: the signature of version 1 hash does not match what it signed; the signature of version 1 "
            "seal does not match") in re.sub(r"\s+", " ", text)
    assert text.count("Verified: the content matches") == 1  # version 2's


def test_the_record_bundle_has_a_care_plan_with_goals_per_signed_version(db, chart):
    chart.note(dt.date(2025, 3, 2))
    plan_id, (first, second) = two_signed_versions(chart)
    bundle = json.loads(record(chart, "fhir"))
    Bundle.model_validate(bundle)  # raises on anything FHIR does not allow
    resources = [e["resource"] for e in bundle["entry"]]
    care_plans = [r for r in resources if r["resourceType"] == "CarePlan"]
    goals = {r["id"]: r for r in resources if r["resourceType"] == "Goal"}
    assert [(c["status"], c["intent"], c["title"]) for c in care_plans] == [
        ("revoked", "plan", "Treatment plan, version 1 (since replaced)"),
        ("active", "plan", "Treatment plan, version 2 (the active plan)")]
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    for care_plan, sig in zip(care_plans, (first, second)):
        assert care_plan["subject"]["reference"].endswith(_uuid(patient["id"]))
        assert care_plan["identifier"][0]["value"].endswith(_uuid(plan_id))
        assert care_plan["period"] == {"start": "2026-01-05"}
        assert care_plan["activity"][0]["detail"]["description"] == \
            "Generalized anxiety interfering with work: CBT · weekly · for 12 weeks"
        assert any(sig.content_sha256 in n["text"] and "Verified" in n["text"] for n in care_plan["note"])
        linked = [goals[ref["reference"].removeprefix("urn:uuid:").replace("-", "")] for ref in care_plan["goal"]]
        assert [g["description"]["text"] for g in linked] == [
            'Reduce anxiety at work (in the client\'s words: "I want to stop dreading Mondays")',
            "Sleep at least 7 hours a night"]
        assert linked[0]["target"][0]["measure"]["text"] == "GAD-7"
        assert linked[0]["target"][0]["dueDate"] == "2026-04-05"
        assert linked[0]["lifecycleStatus"] == ("active" if sig is second else "cancelled")
    assert [goals_of(care_plans[i], goals)[0]["target"][0]["detailString"] for i in (0, 1)] == ["below 10", "below 5"]


def goals_of(care_plan: dict, goals: dict) -> list[dict]:
    return [goals[ref["reference"].removeprefix("urn:uuid:").replace("-", "")] for ref in care_plan["goal"]]


def _uuid(hex_id: str) -> str:
    import uuid
    return str(uuid.UUID(hex_id))
