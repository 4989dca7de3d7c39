"""The treatment-plan pages without our script (forms post, in-process, on SQLite and PostgreSQL): rows are added
by submit buttons without saving, a save is a version, a stale save keeps what was typed, signing lists what is
missing and then seals; the client's page shows the plan card, or the missing-plan finding once."""
import re

from afternote.workflow import plans
from testkit.pages import signed_in_page
from testkit.plans import complete_plan
from testkit.records import PASSWORD


def filled_form(csrf: str, **extra) -> dict:
    return {"csrf_token": csrf, "start_date": "2026-01-05", "agreement": "verbal", "agreement_date": "2026-01-05",
            "p0.text": "Anxiety at work", "p0.g0.text": "Reduce anxiety at work",
            "p0.g0.client_words": "stop dreading Mondays", "p0.g0.o0.text": "GAD-7 below 10",
            "p0.g0.o0.baseline": "16", "p0.g0.o0.target": "below 10", "p0.g0.o0.target_date": "2026-04-05",
            "p0.g0.o0.measure": "GAD-7", "p0.v0.modality": "CBT", "p0.v0.frequency": "weekly",
            "p0.v0.duration": "12 weeks", **extra}


def test_a_plan_is_made_on_the_form_rows_added_without_script(client, clinic, db):
    csrf = signed_in_page(client, clinic.clinician)
    card = client.get(f"/clients/{clinic.client_id}").text
    assert card.count("No treatment plan on file for this client.") == 1
    form = client.get(f"/clients/{clinic.client_id}/treatment-plans/new")
    assert form.status_code == 200 and 'name="p0.g0.o0.target_date"' in form.text
    added = client.post(f"/clients/{clinic.client_id}/treatment-plans", data=filled_form(csrf, add="p0.goal"))
    assert added.status_code == 200 and 'name="p0.g1.text"' in added.text and "stop dreading Mondays" in added.text
    assert plans.list_plans(db, clinic.clinician, clinic.client_id) == []  # adding a row saves nothing
    made = client.post(f"/clients/{clinic.client_id}/treatment-plans",
                       data=filled_form(csrf, **{"p0.g1.text": "Sleep 7 hours", "p0.g1.o0.text": "7 hours a night"}))
    assert made.status_code == 200 and re.fullmatch(r"/treatment-plans/[0-9a-f]{32}", made.url.path)
    page = made.text
    assert "its target date" in page and "goal 2, objective 1: its target" in page  # what signing still needs
    assert "stop dreading Mondays" not in made.url.path


def test_signing_on_the_page_refuses_while_incomplete_and_then_seals(client, clinic, db):
    csrf = signed_in_page(client, clinic.clinician)
    made = client.post(f"/clients/{clinic.client_id}/treatment-plans",
                       data=filled_form(csrf, **{"p0.v0.frequency": ""}))
    url = made.url.path
    refused = client.post(f"{url}/sign", data={"csrf_token": csrf, "version": "1", "password": PASSWORD})
    assert refused.status_code == 422 and "intervention 1: its frequency" in refused.text
    assert "was not signed" in refused.text
    saved = client.post(url, data=filled_form(csrf, base_version="1"))
    assert saved.status_code == 200 and "Version 1 signed" not in saved.text
    wrong = client.post(f"{url}/sign", data={"csrf_token": csrf, "version": "2", "password": "not the password"})
    assert wrong.status_code == 401 and "treatment plan was not signed" in wrong.text
    signed = client.post(f"{url}/sign", data={"csrf_token": csrf, "version": "2", "password": PASSWORD})
    assert signed.status_code == 200 and "Version 2 signed by" in signed.text
    assert "Integrity verified" in signed.text
    card = client.get(f"/clients/{clinic.client_id}").text
    assert "No treatment plan on file" not in card and "Active plan: version 2" in card
    assert "Reduce anxiety at work" in card


def test_a_stale_save_keeps_what_was_typed(client, clinic, db):
    csrf = signed_in_page(client, clinic.clinician)
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.save(db, clinic.clinician, plan.id, complete_plan(), base_version=1)
    stale = client.post(f"/treatment-plans/{plan.id}",
                        data=filled_form(csrf, base_version="1", **{"p0.text": "Typed in the old tab"}))
    assert stale.status_code == 409 and "Nothing was overwritten" in stale.text
    assert "Typed in the old tab" in stale.text
    assert plans.show(db, clinic.clinician, plan.id).current_version == 2


def test_the_review_period_is_on_the_owners_settings_page(client, clinic, db):
    from afternote.workflow import practice
    csrf = signed_in_page(client, clinic.owner)
    assert 'id="plan_review_days"' in client.get("/settings").text
    saved = client.post("/settings/practice", data={"csrf_token": csrf, "note_deadline_hours": "72",
                                                    "session_idle_minutes": "15", "plan_review_days": "60"})
    assert saved.status_code == 200
    assert practice.settings_of(db, clinic.owner).plan_review_days == 60
    refused = client.post("/settings/practice", data={"csrf_token": csrf, "note_deadline_hours": "72",
                                                      "session_idle_minutes": "15", "plan_review_days": "400"})
    assert refused.status_code == 422
    assert practice.settings_of(db, clinic.owner).plan_review_days == 60


def test_the_note_screen_ticks_an_objective_and_the_goal_section_says_so(client, clinic, db):
    from afternote.workflow import notes
    csrf = signed_in_page(client, clinic.clinician)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, "Used CBT. Client engaged. Plan: f/u 1wk.",
                        format="girp")
    assert "No signed treatment plan on file for this client" in client.get(f"/notes/{note.id}").text
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    page = client.get(f"/notes/{note.id}").text
    assert "Treatment plan goals this session addressed" in page and "Sleep at least 7 hours a night" in page
    objective = plan.document.goals()[1].objectives[0]
    linked = client.post(f"/notes/{note.id}/goals", data={"csrf_token": csrf, "base_version": "1",
                                                          "objective": objective.id,
                                                          f"progress.{objective.id}": "Six hours most nights."})
    assert linked.status_code == 200 and linked.url.path == f"/notes/{note.id}"
    assert "Treatment-plan goal addressed: Sleep at least 7 hours a night." in linked.text
    assert "progress: Six hours most nights." in linked.text
    stale = client.post(f"/notes/{note.id}/goals", data={"csrf_token": csrf, "base_version": "1"})
    assert stale.status_code == 409 and "Not linked" in stale.text
    assert notes.show(db, clinic.clinician, note.id).content["plan_links"]["goals"][0]["id"] == \
        plan.document.goals()[1].id


def test_the_new_plan_form_is_prefilled_from_a_sessions_key_points(client, clinic, db):
    from afternote.workflow import notes
    signed_in_page(client, clinic.clinician)
    note = notes.create(db, clinic.clinician, clinic.appointment_id,
                        'Goals: "I want to drive to work again". Plan: weekly CBT for 12 weeks.')
    blank = client.get(f"/clients/{clinic.client_id}/treatment-plans/new").text
    assert f"/treatment-plans/new?from_note={note.id}" in blank
    proposed = client.get(f"/clients/{clinic.client_id}/treatment-plans/new", params={"from_note": note.id})
    assert proposed.status_code == 200 and 'id="proposed-notice"' in proposed.text
    assert 'value="I want to drive to work again"' in proposed.text and 'value="weekly"' in proposed.text
    assert 'name="p0.g0.o0.target"' in proposed.text  # an empty objective to fill in
    assert plans.list_plans(db, clinic.clinician, clinic.client_id) == []


def test_an_objective_shows_its_measures_latest_score_baseline_target_and_trend(client, clinic, db):
    import datetime as dt

    from afternote.workflow import clients, notes
    signed_in_page(client, clinic.clinician)
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    for day, score in ((dt.date(2026, 2, 2), 15), (dt.date(2026, 3, 2), 9)):
        appointment = clients.add_appointment(db, clinic.clinician, clinic.client_id, day, dt.time(10), minutes=53,
                                              service="psychotherapy")
        note = notes.create(db, clinic.clinician, appointment, f"GAD-7 {score}. Used CBT. Plan: f/u 1wk.",
                            format="girp")
    objective = plan.document.goals()[0].objectives[0]
    trend = "GAD-7: 2 scores from 2026-02-02 to 2026-03-02, from 15 (severe) to 9 (mild): down 6."
    for prefix, page in (("o", client.get(f"/treatment-plans/{plan.id}").text),
                         ("n", client.get(f"/notes/{note.id}").text)):
        shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
        assert "GAD-7: latest 9 (mild) on 2026-03-02 · baseline GAD-7 16 · target below 10 by 2026-04-05" in shown
        assert trend in page
        # the client page's chart, with its table, under ids of the objective's own
        assert f'id="{prefix}-{objective.id}-gad7-desc"' in page
        assert page.count('data-instrument="gad7"') == 1 and page.count('class="measure-table"') == 1
        assert "<td>15</td>" in page and "<td>9</td>" in page
    assert 'data-objective-measure' not in client.get(f"/clients/{clinic.client_id}").text


def test_the_note_screen_marks_what_the_key_points_speak_to_as_proposed_and_ticks_nothing(client, clinic, db):
    from afternote.workflow import notes
    signed_in_page(client, clinic.clinician)
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    note = notes.create(db, clinic.clinician, clinic.appointment_id,
                        "GAD-7 12. Pt reports anxiety at work. Used CBT. Plan: f/u 1wk.", format="girp")
    (anxiety, sleep) = plan.document.goals()
    gad = anxiety.objectives[0]
    page = client.get(f"/notes/{note.id}").text
    assert re.findall(r'data-proposed="(\w+)"', page) == [anxiety.id, gad.id]
    assert "Proposed: GAD-7 was scored in the key points" in page
    assert "Proposed: the key points mention “anxiety”, “work”" in page
    assert f'aria-describedby="proposed-{gad.id}"' in page
    assert " checked" not in re.search(r'<form[^>]*id="goals-form".*?</form>', page, re.S).group()
    assert "plan_links" not in notes.show(db, clinic.clinician, note.id).content
    view = notes.show(db, clinic.clinician, note.id)
    notes.sign(db, clinic.clinician, note.id, view.version,
               acknowledged=[f["code"] for f in notes.open_warnings(view.content)])
    assert "data-proposed" not in client.get(f"/notes/{note.id}").text  # a signed note's links are settled


def test_the_new_note_screen_reads_no_plan_until_the_note_exists(client, clinic, db):
    from sqlalchemy import select

    from afternote.records.models import AuditEvent
    signed_in_page(client, clinic.clinician)
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)
    page = client.get(f"/appointments/{clinic.appointment_id}/note")
    assert page.status_code == 200 and 'id="plan-goals"' not in page.text  # the goals come with the note
    with db.session() as session:
        seen = session.scalars(select(AuditEvent.record_type).where(AuditEvent.user_id == clinic.clinician.user_id,
                                                                    AuditEvent.action == "view")).all()
    assert "treatment_plan" not in seen and "client_measures" not in seen  # no view audited that was not shown
