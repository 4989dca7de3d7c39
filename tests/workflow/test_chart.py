"""The client's chart on SQLite and PostgreSQL: pronouns, referral source and emergency contact; diagnoses from
the ICD-10-CM code set with a primary one and dates; insurance with an authorization that warns as it runs out;
all stored encrypted and every change audited by ids and field names only."""
import datetime as dt

import pytest
from sqlalchemy import select, text

from afternote.errors import InputError
from afternote.records.models import AuditEvent
from afternote.workflow import chart, clients, diagnoses, insurance, today as today_service
from afternote.workflow.errors import NotAllowed

TODAY = dt.date(2026, 3, 1)


def events(db, client_or_row_id: str) -> list[tuple[str, str]]:
    with db.session() as session:
        return [(e.action, e.record_type) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.record_id == client_or_row_id).order_by(AuditEvent.id))]


def stored_bytes(db, table: str, row_id: str) -> bytes:
    with db.engine.connect() as connection:
        row = connection.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).one()
    return b"".join(bytes(v) for v in row if isinstance(v, (bytes, memoryview)))


def test_details_are_kept_encrypted_and_each_change_audited_by_field_name(db, clinic):
    contact = chart.emergency_contact("Robin Example", "sister", "555-0199")
    chart.update_details(db, clinic.clinician, clinic.client_id, pronouns="they/them",
                         referral_source="Dr. Primary Care", emergency_contact=contact)
    shown = chart.show_chart(db, clinic.clinician, clinic.client_id)
    assert shown.details == chart.Details("they/them", "Dr. Primary Care", contact)
    blob = stored_bytes(db, "clients", clinic.client_id)
    assert b"they/them" not in blob and b"Robin" not in blob and b"555-0199" not in blob
    assert events(db, clinic.client_id)[-4:] == [("edit", "client_pronouns"), ("edit", "client_referral_source"),
                                                 ("edit", "client_emergency_contact"), ("view", "client_chart")]
    chart.update_details(db, clinic.clinician, clinic.client_id, pronouns=None)  # the rest stays
    shown = chart.show_chart(db, clinic.clinician, clinic.client_id)
    assert shown.details.pronouns is None and shown.details.emergency_contact == contact


def test_an_emergency_contact_needs_a_name(db, clinic):
    with pytest.raises(InputError, match="needs a name"):
        chart.emergency_contact("", "sister", "555-0199")
    assert chart.emergency_contact("", "", "") is None


def test_only_the_clients_clinician_or_an_owner_changes_the_chart(db, clinic):
    supervised = clients.add_client(db, clinic.associate, "Supervised Client")
    with pytest.raises(NotAllowed):  # the supervisor reads the associate's client, and changes nothing
        chart.update_details(db, clinic.supervisor, supervised.id, pronouns="she/her")
    with pytest.raises(NotAllowed):
        diagnoses.add(db, clinic.auditor, clinic.client_id, "F41.1")
    chart.update_details(db, clinic.owner, clinic.client_id, pronouns="she/her")


def test_a_diagnosis_takes_its_description_from_the_code_set_and_a_new_primary_replaces_the_old(db, clinic):
    first = diagnoses.add(db, clinic.clinician, clinic.client_id, "f411", primary=True, starts_on=dt.date(2026, 1, 5))
    assert (first.code, first.description) == ("F41.1", "Generalized anxiety disorder")
    second = diagnoses.add(db, clinic.clinician, clinic.client_id, "F32.1", primary=True)
    listed = diagnoses.list_diagnoses(db, clinic.clinician, clinic.client_id, TODAY)
    assert [(d.code, d.primary) for d in listed] == [("F32.1", True), ("F41.1", False)]
    assert b"F41.1" not in stored_bytes(db, "diagnoses", first.id)
    assert events(db, second.id) == [("create", "diagnosis")]


def test_the_treatment_plan_lists_the_active_diagnoses(db, clinic):
    from afternote.workflow import plans
    from testkit.plans import complete_plan
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F41.1", primary=True)
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F43.21", ends_on=dt.date(2020, 1, 1))  # resolved
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    assert plans.show(db, clinic.clinician, plan.id).diagnoses == ["F41.1 Generalized anxiety disorder (primary)"]


def test_an_ended_diagnosis_is_no_longer_active(db, clinic):
    added = diagnoses.add(db, clinic.clinician, clinic.client_id, "F43.21", starts_on=dt.date(2025, 6, 1))
    diagnoses.update_diagnosis(db, clinic.clinician, added.id, ends_on=dt.date(2026, 2, 1))
    with db.session() as session:
        assert diagnoses.active(db, session, clinic.client_id, TODAY) == []
        assert [d.code for d in diagnoses.active(db, session, clinic.client_id, dt.date(2026, 1, 15))] == ["F43.21"]
    with pytest.raises(InputError, match="Check the dates"):
        diagnoses.update_diagnosis(db, clinic.clinician, added.id, ends_on=dt.date(2025, 1, 1))
    diagnoses.remove(db, clinic.clinician, added.id)
    assert diagnoses.list_diagnoses(db, clinic.clinician, clinic.client_id) == []
    assert events(db, added.id) == [("create", "diagnosis"), ("edit", "diagnosis"), ("remove", "diagnosis")]


@pytest.mark.parametrize("code", ["F32", "XYZ", "F32.1999", ""])
def test_a_code_that_is_not_billable_is_refused_saying_how_to_find_one(db, clinic, code):
    with pytest.raises(InputError, match="not a billable ICD-10-CM code.*Search by code or words") as refused:
        diagnoses.add(db, clinic.clinician, clinic.client_id, code)
    assert not code or code not in str(refused.value).replace("such as F32 ", "")  # what was typed: not repeated


def test_insurance_is_encrypted_and_its_authorization_warns_as_sessions_run_out(db, clinic):
    # the clinic's one session is on 2026-01-05; four authorized from January: three left, so it warns
    saved = insurance.save(db, clinic.clinician, clinic.client_id, insurance.InsuranceView(
        "Acme Health", "M-123", "AUTH-9", 4, dt.date(2026, 1, 1), dt.date(2026, 6, 30)), today=TODAY)
    assert (saved.sessions_used, saved.sessions_left) == (1, 3)
    assert saved.warning == "3 authorized sessions left of 4: request a renewal from the payer."
    with db.session() as session:
        row_id = session.execute(text("SELECT id FROM insurance WHERE client_id = :c"),
                                 {"c": clinic.client_id}).scalar_one()
    assert b"Acme" not in stored_bytes(db, "insurance", row_id)
    assert ("edit", "insurance_payer") in events(db, clinic.client_id)
    assert today_service.today(db, clinic.clinician, now=dt.datetime(2026, 3, 1, 9)).authorizations == {
        clinic.client_id: ("Test Client", saved.warning)}
    assert today_service.today(db, clinic.associate, now=dt.datetime(2026, 3, 1, 9)).authorizations == {}
    roomy = insurance.save(db, clinic.clinician, clinic.client_id, insurance.InsuranceView(
        "Acme Health", "M-123", "AUTH-9", 20, dt.date(2026, 1, 1), dt.date(2026, 6, 30)), today=TODAY)
    assert roomy.warning is None
    assert today_service.today(db, clinic.clinician, now=dt.datetime(2026, 3, 1, 9)).authorizations == {}


@pytest.mark.parametrize("sessions, ends, used, expected", [
    (10, dt.date(2026, 12, 31), 2, None),
    (10, dt.date(2026, 3, 10), 2, "The authorization ends on 2026-03-10: request a renewal from the payer."),
    (10, dt.date(2026, 3, 10), 9, "1 authorized session left of 10 and the authorization ends on 2026-03-10: "
                                  "request a renewal from the payer."),
    (10, None, 10, "All 10 authorized sessions are used (10 booked): ask the payer for more before the next "
                   "session."),
    (None, dt.date(2026, 2, 1), 0, "The authorization ended on 2026-02-01: ask the payer for a new one before the "
                                   "next session."),
    (None, None, 5, None),
])
def test_authorization_warning(sessions, ends, used, expected):
    assert insurance.authorization_warning(sessions, None, ends, used, TODAY) == expected


def test_insurance_with_dates_backwards_is_refused(db, clinic):
    with pytest.raises(InputError, match="ends .* before it starts"):
        insurance.save(db, clinic.clinician, clinic.client_id, insurance.InsuranceView(
            "Acme", None, None, 4, dt.date(2026, 6, 1), dt.date(2026, 1, 1)))


def test_a_client_added_before_the_chart_has_an_empty_one(db, clinic):
    added = clients.add_client(db, clinic.clinician, "New Client")
    shown = chart.show_chart(db, clinic.clinician, added.id)
    assert shown.details == chart.Details() and shown.diagnoses == [] and shown.insurance is None
