"""Measures follow a draft's key points (drafted, autosaved, redrafted, the session moved), stay as signed once the
note is, are encrypted at rest, and are seen only by those who may see the client."""
import datetime as dt

import pytest
from sqlalchemy import select, text

from afternote.errors import InputError
from afternote.records.models import AuditEvent, Measure
from afternote.workflow import clients, measures, notes
from afternote.workflow.errors import NoteLocked, NotAllowed, NotFound

PLAN = " Used CBT thought record. Plan: f/u 1wk."


def session_on(db, clinic, day: dt.date) -> str:
    return clients.add_appointment(db, clinic.clinician, clinic.client_id, day, dt.time(10), minutes=53,
                                   service="psychotherapy")


def chart(db, actor, client_id) -> dict[str, list[tuple[dt.date, float, str | None]]]:
    return {s.instrument.key: [(p.date, p.score, p.band) for p in s.points]
            for s in measures.series_of(db, actor, client_id)}


def sign(db, actor, note_id):
    view = notes.show(db, actor, note_id)
    notes.sign(db, actor, note_id, view.version, acknowledged=[f["code"] for f in notes.open_warnings(view.content)])


def test_totals_typed_in_key_points_become_the_clients_measures(db, clinic):
    notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14, GAD-7 12 (down from 15)." + PLAN)
    assert chart(db, clinic.clinician, clinic.client_id) == {
        "phq9": [(dt.date(2026, 1, 5), 14, "moderate")], "gad7": [(dt.date(2026, 1, 5), 12, "moderate")]}


def test_rows_follow_each_save_of_a_drafts_key_points(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14." + PLAN)
    revision = notes.save_key_points(db, clinic.clinician, note.id, "PHQ-9 16, ORS 22.5." + PLAN, 1)
    assert chart(db, clinic.clinician, clinic.client_id) == {
        "phq9": [(dt.date(2026, 1, 5), 16, "moderately severe")],
        "ors": [(dt.date(2026, 1, 5), 22.5, "clinical range (below 25)")]}
    notes.redraft(db, clinic.clinician, note.id, 1, key_points="PHQ-9 pending." + PLAN, key_points_revision=revision)
    assert chart(db, clinic.clinician, clinic.client_id) == {}


def test_an_impossible_or_earlier_total_is_not_stored(db, clinic):
    notes.create(db, clinic.clinician, clinic.appointment_id,
                 "PHQ-9 31. GAD-7 on 12/29: 9. PCL-5 on 1/5: 40." + PLAN)  # the session is 2026-01-05
    assert chart(db, clinic.clinician, clinic.client_id) == {
        "pcl5": [(dt.date(2026, 1, 5), 40, "above the cutoff: probable PTSD")]}


def test_moving_the_session_moves_its_measures(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14." + PLAN)
    clients.update_appointment(db, clinic.clinician, clinic.appointment_id, dt.date(2026, 1, 6), dt.time(10),
                               minutes=53, service="psychotherapy")
    assert chart(db, clinic.clinician, clinic.client_id) == {"phq9": [(dt.date(2026, 1, 6), 14, "moderate")]}
    assert measures.points(db, clinic.clinician, clinic.client_id, "phq9")[0].note_id == note.id


def test_a_signed_notes_measures_stay_as_signed(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14." + PLAN)
    sign(db, clinic.clinician, note.id)
    with pytest.raises(NoteLocked):
        notes.save_key_points(db, clinic.clinician, note.id, "PHQ-9 3." + PLAN, 1)
    with db.session(write=True) as session:  # even called directly, the service leaves a signed note's rows alone
        from afternote.records.models import Note
        measures.follow_key_points(db, session, clinic.clinician, session.get(Note, note.id), "PHQ-9 3.")
    assert chart(db, clinic.clinician, clinic.client_id) == {"phq9": [(dt.date(2026, 1, 5), 14, "moderate")]}


def test_points_are_oldest_first_across_notes(db, clinic):
    later = session_on(db, clinic, dt.date(2026, 1, 19))
    middle = session_on(db, clinic, dt.date(2026, 1, 12))
    for appointment, score in ((later, 9), (clinic.appointment_id, 18), (middle, 13)):
        notes.create(db, clinic.clinician, appointment, f"PHQ-9 {score}." + PLAN)
    (series,) = measures.series_of(db, clinic.clinician, clinic.client_id)
    assert [(p.date.day, p.score) for p in series.points] == [(5, 18), (12, 13), (19, 9)]
    assert series.trend == ("PHQ-9: 3 scores from 2026-01-05 to 2026-01-19, from 18 (moderately severe) to 9 "
                            "(mild): down 9.")


def test_instrument_and_total_are_encrypted_at_rest(db, clinic):
    notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 17." + PLAN)
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, instrument_enc, score_enc FROM measures WHERE client_id = :c"),
                                  {"c": clinic.client_id}).all()
    assert len(rows) == 1
    row_id, instrument, score = rows[0][0], bytes(rows[0][1]), bytes(rows[0][2])
    assert b"phq9" not in instrument and len(score) > 16  # ciphertext with its nonce and tag, not the digits
    assert db.keyring.decrypt(instrument, "measures", "instrument_enc", row_id) == "phq9"
    assert db.keyring.decrypt(score, "measures", "score_enc", row_id) == "17"


def test_changes_are_audited_without_scores(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14." + PLAN)
    notes.save_key_points(db, clinic.clinician, note.id, "PHQ-9 14. Client tearful." + PLAN, 1)  # same totals
    measures.series_of(db, clinic.clinician, clinic.client_id)
    with db.session() as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.record_type, AuditEvent.record_id)
                                 .where(AuditEvent.practice_id == clinic.owner.practice_id,
                                        AuditEvent.record_type.in_(("measures", "client_measures")))
                                 .order_by(AuditEvent.id)).all()
    assert [tuple(e) for e in events] == [("edit", "measures", note.id), ("view", "client_measures", clinic.client_id)]


def test_another_clinicians_client_is_refused(db, clinic):
    notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14." + PLAN)
    with pytest.raises(NotFound):
        measures.series_of(db, clinic.associate, clinic.client_id)
    with pytest.raises(NotFound):
        measures.points(db, clinic.associate, clinic.client_id, "phq9")
    assert chart(db, clinic.owner, clinic.client_id) == chart(db, clinic.auditor, clinic.client_id) == {
        "phq9": [(dt.date(2026, 1, 5), 14, "moderate")]}


def test_an_unknown_instrument_is_an_error_that_lists_the_known_ones(db, clinic):
    with pytest.raises(InputError, match="phq9"):
        measures.points(db, clinic.clinician, clinic.client_id, "phq-99")


def test_rows_of_one_practice_are_not_anothers(db, clinic):
    from testkit.records import make_clinic
    other = make_clinic(db)
    notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14." + PLAN)
    with pytest.raises(NotFound):
        measures.series_of(db, other.owner, clinic.client_id)
    with db.session() as session:
        assert session.scalars(select(Measure).where(Measure.practice_id == other.owner.practice_id)).all() == []


def test_with_others_in_the_room_his_or_her_total_is_not_taken_for_the_clients(db, clinic):
    couples = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 1, 12), dt.time(10),
                                      minutes=53, service="couples", modality="couples", attendees=["partner"])
    notes.create(db, clinic.clinician, clinic.appointment_id, "Her EPDS was 12. Pt PHQ-9 14." + PLAN)
    notes.create(db, clinic.clinician, couples, "Her EPDS was 12, his PHQ-9 was 8. Client GAD-7 9." + PLAN)
    assert chart(db, clinic.clinician, clinic.client_id) == {
        "phq9": [(dt.date(2026, 1, 5), 14, "moderate")], "gad7": [(dt.date(2026, 1, 12), 9, "mild")],
        "epds": [(dt.date(2026, 1, 5), 12, "possible depression (10 or more)")]}


def test_notes_written_before_measures_were_stored_are_read_once_by_an_owner(db, clinic):
    earlier = session_on(db, clinic, dt.date(2025, 12, 29))
    signed = notes.create(db, clinic.clinician, earlier, "PHQ-9 19." + PLAN)
    sign(db, clinic.clinician, signed.id)
    notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14." + PLAN)
    with db.engine.begin() as connection:  # as after migration 0012: notes, and no rows yet
        connection.execute(text("DELETE FROM measures WHERE client_id = :c"), {"c": clinic.client_id})
    with pytest.raises(NotAllowed):
        measures.read_earlier_notes(db, clinic.clinician)
    assert measures.read_earlier_notes(db, clinic.owner) == 2
    assert chart(db, clinic.clinician, clinic.client_id) == {
        "phq9": [(dt.date(2025, 12, 29), 19, "moderately severe"), (dt.date(2026, 1, 5), 14, "moderate")]}
    assert measures.read_earlier_notes(db, clinic.owner) == 0
    assert notes.verify(db, clinic.clinician, signed.id).ok
