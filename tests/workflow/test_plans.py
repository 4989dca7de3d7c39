"""Treatment plans through the service layer, on SQLite and PostgreSQL: versions, stale saves, signing (refused
while incomplete, sealed when complete), the seal against a changed row, encryption at rest, access, audit."""
import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from afternote.records.models import AuditEvent, PlanSignature, TreatmentPlanVersion
from afternote.workflow import plans, practice
from afternote.workflow.errors import NotAllowed, NotFound, StalePlan
from testkit.plans import complete_plan, without
from testkit.records import fresh_db, make_clinic, raw  # noqa: F401 (a fixture)


def test_every_save_is_a_version_and_the_earlier_one_stays(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, without(complete_plan(), "problems.0.goals.1"))
    assert (plan.version, plan.status) == (1, "draft")
    changed = complete_plan()
    assert plans.save(db, clinic.clinician, plan.id, changed, base_version=1) == 2
    assert len(plans.show(db, clinic.clinician, plan.id).document.goals()) == 2
    assert len(plans.show(db, clinic.clinician, plan.id, version=1).document.goals()) == 1


def test_goals_and_objectives_keep_their_ids_across_versions(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    sent = plan.document.to_dict()
    sent["problems"][0]["goals"][0]["text"] = "Reduce anxiety at work and at home"
    plans.save(db, clinic.clinician, plan.id, sent, base_version=1)
    again = plans.show(db, clinic.clinician, plan.id).document
    assert [g.id for g in again.goals()] == [g.id for g in plan.document.goals()]
    assert [o.id for _, o in again.objectives()] == [o.id for _, o in plan.document.objectives()]


def test_stale_save_is_refused_and_nothing_is_changed(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.save(db, clinic.clinician, plan.id, complete_plan(dt.date(2026, 2, 1)), base_version=1)
    with pytest.raises(StalePlan) as refused:
        plans.save(db, clinic.clinician, plan.id, complete_plan(dt.date(2026, 3, 1)), base_version=1)
    assert refused.value.current_version == 2 and "Nothing was overwritten" in str(refused.value)
    assert plans.show(db, clinic.clinician, plan.id).document.start_date == dt.date(2026, 2, 1)


@pytest.mark.parametrize("emptied, said", [
    ("problems.0.goals", "problem 1: a goal"),
    ("problems.0.goals.0.objectives.0.target", "problem 1, goal 1, objective 1: its target"),
    ("problems.0.goals.1.objectives.0.target_date", "problem 1, goal 2, objective 1: its target date"),
    ("problems.0.interventions.0.frequency", "problem 1, intervention 1: its frequency"),
    ("agreement", "the client's agreement (verbal or signed) and its date"),
])
def test_signing_refuses_an_incomplete_plan_and_says_what_is_missing(db, clinic, emptied, said):
    plan = plans.create(db, clinic.clinician, clinic.client_id, without(complete_plan(), emptied))
    with pytest.raises(plans.PlanIncomplete) as refused:
        plans.sign(db, clinic.clinician, plan.id, 1)
    assert said in refused.value.missing and "was not signed" in str(refused.value)
    assert plans.show(db, clinic.clinician, plan.id).signatures == []


def test_a_complete_plan_is_signed_sealed_and_becomes_the_active_plan(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    signature = plans.sign(db, clinic.clinician, plan.id, 1)
    assert signature.credentials == "LMFT" and len(signature.content_sha256) == 64
    shown = plans.show(db, clinic.clinician, plan.id)
    assert shown.status == "signed" and shown.active
    assert shown.review_due == signature.signed_at.date() + dt.timedelta(days=90)
    assert plans.verify(db, clinic.clinician, plan.id) == []


def test_a_change_after_signing_is_a_new_version_and_the_signed_one_stays_active(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    plans.save(db, clinic.clinician, plan.id, without(complete_plan(), "problems.0.goals.1"), base_version=1)
    shown = plans.show(db, clinic.clinician, plan.id)
    assert (shown.version, shown.status, shown.signed_version) == (2, "draft", 1)
    with db.session() as session:
        active = plans.active_plan(db, session, clinic.clinician.practice_id, clinic.client_id)
    assert active.version == 1 and len(active.document.goals()) == 2
    with pytest.raises(StalePlan):
        plans.sign(db, clinic.clinician, plan.id, 1)


def test_a_signed_version_cannot_be_changed_in_the_database(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    for statement in ("UPDATE treatment_plan_versions SET number = 7 WHERE plan_id = :p",
                      "DELETE FROM plan_signatures WHERE plan_id = :p"):
        with pytest.raises(DatabaseError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement), {"p": plan.id})


def test_the_seal_detects_a_changed_row(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    other = plans.create(db, clinic.clinician, clinic.client_id, without(complete_plan(), "problems.0.goals.1"))
    with db.session() as session:
        swapped = session.scalar(select(TreatmentPlanVersion.content_enc).where(
            TreatmentPlanVersion.plan_id == other.id))
    # a version re-encrypted for the signed row (someone holding the key) still fails the seal
    forged = db.keyring.encrypt(db.keyring.decrypt(swapped, "treatment_plan_versions", "content_enc",
                                                   _version_id(db, other.id)),
                                "treatment_plan_versions", "content_enc", _version_id(db, plan.id))
    raw(db, ("UPDATE treatment_plan_versions SET content_enc = :c WHERE plan_id = :p", {"c": forged, "p": plan.id}),
        ("UPDATE plan_signatures SET signer_name = 'Someone Else' WHERE plan_id = :p", {"p": plan.id}))
    found = plans.verify(db, clinic.clinician, plan.id)
    assert any("seal does not match" in p for p in found) and any("hash does not match" in p for p in found)


def _version_id(db, plan_id: str) -> str:
    with db.session() as session:
        return session.scalar(select(TreatmentPlanVersion.id).where(TreatmentPlanVersion.plan_id == plan_id,
                                                                    TreatmentPlanVersion.number == 1))


def test_the_document_is_encrypted_at_rest(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT content_enc FROM treatment_plan_versions WHERE plan_id = :p"),
                                    {"p": plan.id}).scalar_one()
    assert b"dreading Mondays" not in bytes(stored) and b"GAD-7" not in bytes(stored)
    content = json.loads(db.keyring.decrypt(bytes(stored), "treatment_plan_versions", "content_enc",
                                            _version_id(db, plan.id)))
    assert content["problems"][0]["goals"][0]["client_words"] == "I want to stop dreading Mondays"


def test_access_follows_the_client(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    for reader in (clinic.owner, clinic.auditor):
        assert plans.show(db, reader, plan.id).id == plan.id
    for outsider in (clinic.associate, clinic.supervisor, make_clinic(db).owner):
        with pytest.raises(NotFound):
            plans.show(db, outsider, plan.id)
    for not_theirs in (clinic.owner, clinic.auditor):
        with pytest.raises(NotAllowed):
            plans.save(db, not_theirs, plan.id, complete_plan(), base_version=1)
        with pytest.raises(NotAllowed):
            plans.sign(db, not_theirs, plan.id, 1)
    with pytest.raises(NotFound):
        plans.create(db, clinic.associate, clinic.client_id, complete_plan())


def test_every_change_and_view_is_audited_without_content(db, clinic):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.save(db, clinic.clinician, plan.id, complete_plan(), base_version=1)
    plans.sign(db, clinic.clinician, plan.id, 2)
    plans.show(db, clinic.owner, plan.id)
    with db.session() as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.username).where(
            AuditEvent.record_id == plan.id, AuditEvent.record_type == "treatment_plan")
            .order_by(AuditEvent.id)).all()
    assert [a for a, _ in events] == ["create", "edit", "sign", "view"]
    assert events[-1][1] == clinic.owner.username


@pytest.mark.parametrize("document, said", [
    ({"start_date": "2026-02-30"}, "start date is a date"),
    ({"start_date": "1850-01-01"}, "between 2000-01-01"),
    ({"problems": [{"text": "x" * 3000}]}, "at most 2000 characters"),
    ({"problems": "anxiety"}, "is a list"),
    ({"problems": [{"goals": [{"text": 5}]}]}, "is text"),
    ({"agreement": "nodded"}, "'verbal' or 'signed'"),
])
def test_bad_input_is_refused_with_what_to_do_and_nothing_saved(db, clinic, document, said):
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    with pytest.raises(Exception, match=said):
        plans.save(db, clinic.clinician, plan.id, document, base_version=1)
    assert plans.show(db, clinic.clinician, plan.id).current_version == 1


def test_review_period_is_a_practice_setting_of_at_most_a_year(db, clinic):
    with pytest.raises(Exception, match="1 to 365 days"):
        practice.update_settings(db, clinic.owner, note_deadline_hours=72, session_idle_minutes=15,
                                 plan_review_days=400)
    practice.update_settings(db, clinic.owner, note_deadline_hours=72, session_idle_minutes=15, plan_review_days=30)
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    signed = plans.sign(db, clinic.clinician, plan.id, 1)
    assert plans.show(db, clinic.clinician, plan.id).review_due == signed.signed_at.date() + dt.timedelta(days=30)


def test_key_rotation_reseals_plan_signatures(fresh_db):
    from afternote.records.crypto import Keyring, new_key
    from afternote.workflow import keys
    clinic = make_clinic(fresh_db)
    plan = plans.create(fresh_db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(fresh_db, clinic.clinician, plan.id, 1)
    old, new = fresh_db.keyring, Keyring((new_key(),))
    fresh_db.keyring = Keyring(new.keys + old.keys)  # as during a rotation: both keys on hand
    keys.rotate(fresh_db, clinic.owner, new)
    fresh_db.keyring = new
    assert plans.verify(fresh_db, clinic.clinician, plan.id) == []
    assert len(plans.show(fresh_db, clinic.clinician, plan.id).document.goals()) == 2
