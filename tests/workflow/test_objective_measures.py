"""A treatment plan's objectives beside their measure (SQLite and PostgreSQL): an objective naming an instrument
gets the client's scores of it, the latest last, with its baseline and target; one naming none gets nothing; the
view is the client's, audited."""
import datetime as dt

import pytest
from sqlalchemy import select

from afternote.records.models import AuditEvent
from afternote.workflow import clients, notes, objective_measures, plans
from afternote.workflow.errors import NotFound
from testkit.plans import complete_plan
from testkit.records import make_clinic

PLAN = " Used CBT thought record. Plan: f/u 1wk."


def scored(db, clinic, day: dt.date, key_points: str) -> None:
    appointment = clients.add_appointment(db, clinic.clinician, clinic.client_id, day, dt.time(10), minutes=53,
                                          service="psychotherapy")
    notes.create(db, clinic.clinician, appointment, key_points + PLAN)


def the_plan(db, clinic):
    return plans.create(db, clinic.clinician, clinic.client_id, complete_plan()).document


def test_an_objective_tracked_by_gad7_shows_the_clients_scores_and_trend(db, clinic):
    document = the_plan(db, clinic)
    scored(db, clinic, dt.date(2026, 2, 2), "GAD-7 15.")
    scored(db, clinic, dt.date(2026, 3, 2), "GAD-7 9, PHQ-9 8.")
    (goal_anxiety, goal_sleep) = document.goals()
    found = objective_measures.objective_measures(db, clinic.clinician, clinic.client_id, document)
    assert list(found) == [goal_anxiety.objectives[0].id]  # the sleep log is no instrument
    gad = found[goal_anxiety.objectives[0].id]
    assert (gad.instrument.key, gad.baseline, gad.target) == ("gad7", "GAD-7 16", "below 10")
    assert [(p.date, p.score) for p in gad.series.points] == [(dt.date(2026, 2, 2), 15), (dt.date(2026, 3, 2), 9)]
    assert (gad.latest.score, gad.latest.band) == (9, "mild")
    assert gad.trend == ("GAD-7: 2 scores from 2026-02-02 to 2026-03-02, from 15 (severe) to 9 (mild): down 6.")


def test_an_objective_without_scores_says_none_yet(db, clinic):
    document = the_plan(db, clinic)
    found = objective_measures.objective_measures(db, clinic.clinician, clinic.client_id, document)
    (gad,) = found.values()
    assert gad.series is None and gad.latest is None and gad.trend == "GAD-7: no score recorded yet."


@pytest.mark.parametrize("measure, text, key", [
    ("PHQ-9", "Mood improves", "phq9"), ("", "PHQ-9 below 10", "phq9"), ("sleep log", "7 hours a night", None)])
def test_the_measure_is_named_by_the_objective_or_else_its_words(measure, text, key):
    from afternote.plans import Objective, tracked_by
    assert tracked_by(Objective("x", text, measure=measure)) == key


def test_the_view_is_the_clients_and_audited(db, clinic):
    document = the_plan(db, clinic)
    scored(db, clinic, dt.date(2026, 2, 2), "GAD-7 15.")
    other = make_clinic(db)
    with pytest.raises(NotFound):
        objective_measures.objective_measures(db, other.clinician, clinic.client_id, document)
    objective_measures.objective_measures(db, clinic.owner, clinic.client_id, document)
    with db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.record_id == clinic.client_id,
                                                          AuditEvent.record_type == "client_measures")).all()
    assert [e.user_id for e in events] == [clinic.owner.user_id]
