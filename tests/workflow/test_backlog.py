import datetime as dt

import pytest

from testkit.records import KEY_POINTS
from afternote.workflow import backlog, clients, notes
from afternote.workflow.errors import NotAllowed

DAY_AFTER = dt.datetime(2026, 1, 6, 9)
WEEK_AFTER = dt.datetime(2026, 1, 12, 9)


def test_session_without_note_is_in_the_backlog_and_overdue_after_the_deadline(db, clinic):
    [item] = backlog.backlog(db, clinic.clinician, now=DAY_AFTER)
    assert (item.kind, item.appointment_id, item.client_name, item.overdue) == (
        "no note", clinic.appointment_id, "Test Client", False)
    assert item.due_at == dt.datetime(2026, 1, 5, 10, 53) + dt.timedelta(hours=72)
    [late] = backlog.backlog(db, clinic.clinician, now=WEEK_AFTER)
    assert late.overdue


def test_draft_stays_until_signed(db, clinic):
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    assert [(i.kind, i.note_id) for i in backlog.backlog(db, clinic.clinician, now=DAY_AFTER)] == [
        ("draft", note.id)]
    notes.sign(db, clinic.clinician, note.id, 1)
    assert backlog.backlog(db, clinic.clinician, now=DAY_AFTER) == []


def test_oldest_first_future_sessions_left_out_practice_view_for_owner(db, clinic):
    other = clients.add_client(db, clinic.associate, "Other Client")
    older = clients.add_appointment(db, clinic.associate, other.id, dt.date(2026, 1, 2), dt.time(8), minutes=30)
    clients.add_appointment(db, clinic.associate, other.id, dt.date(2026, 3, 1), dt.time(8), minutes=30)
    practice = backlog.backlog(db, clinic.owner, whole_practice=True, now=DAY_AFTER)
    assert [i.appointment_id for i in practice] == [older, clinic.appointment_id]
    assert [i.appointment_id for i in backlog.backlog(db, clinic.owner, clinician=clinic.associate.username,
                                                      now=DAY_AFTER)] == [older]
    with pytest.raises(NotAllowed):
        backlog.backlog(db, clinic.clinician, whole_practice=True)
    with pytest.raises(NotAllowed):
        backlog.backlog(db, clinic.clinician, clinician=clinic.associate.username)


def test_practice_deadline_is_a_setting(db, clinic):
    [item] = backlog.backlog(db, clinic.clinician, now=DAY_AFTER, deadline_hours=12)
    assert item.overdue


def test_supervisor_sees_supervisees_backlog_not_others(db, clinic):
    other = clients.add_client(db, clinic.associate, "Supervised Client")
    supervised = clients.add_appointment(db, clinic.associate, other.id, dt.date(2026, 1, 4), dt.time(8), minutes=30)
    items = backlog.backlog(db, clinic.supervisor, whole_practice=True, now=DAY_AFTER)
    assert [i.appointment_id for i in items] == [supervised]


def _signed_plan(db, clinic, review_days: int) -> str:
    from afternote.workflow import plans, practice
    from testkit.plans import complete_plan
    practice.update_settings(db, clinic.owner, note_deadline_hours=72, session_idle_minutes=15,
                             plan_review_days=review_days)
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    return plan.id


def test_a_plan_review_due_within_two_weeks_is_in_the_backlog_and_overdue_after(db, clinic):
    plan_id = _signed_plan(db, clinic, review_days=30)
    now = dt.datetime.now()
    assert [i.kind for i in backlog.backlog(db, clinic.clinician, now=now)] == ["no note"]  # due in 30 days
    [review] = [i for i in backlog.backlog(db, clinic.clinician, now=now + dt.timedelta(days=17))
                if i.kind == "plan review"]
    assert (review.plan_id, review.client_name, review.overdue) == (plan_id, "Test Client", False)
    assert review.due_at.date() == dt.date.today() + dt.timedelta(days=30)
    [late] = [i for i in backlog.backlog(db, clinic.clinician, now=now + dt.timedelta(days=31))
              if i.kind == "plan review"]
    assert late.overdue
    assert [i.kind for i in backlog.backlog(db, clinic.owner, whole_practice=True, now=now + dt.timedelta(days=31))
            ].count("plan review") == 1
    assert [i for i in backlog.backlog(db, clinic.associate, now=now + dt.timedelta(days=31))] == []


def test_signing_the_reviewed_plan_moves_its_review_date(db, clinic):
    from afternote.workflow import plans
    from testkit.plans import complete_plan
    plan_id = _signed_plan(db, clinic, review_days=10)
    now = dt.datetime.now()
    assert any(i.kind == "plan review" for i in backlog.backlog(db, clinic.clinician, now=now))
    plans.save(db, clinic.clinician, plan_id, complete_plan(), base_version=1)
    plans.sign(db, clinic.clinician, plan_id, 2)
    [review] = [i for i in backlog.backlog(db, clinic.clinician, now=now) if i.kind == "plan review"]
    assert review.due_at.date() == dt.date.today() + dt.timedelta(days=10)  # from the latest signature
