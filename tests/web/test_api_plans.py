"""Treatment plans through the API as a script drives them: create, read, save against the version read (409 if
stale), sign with the password (422 listing what is missing), verify; problem details and access by role."""
import pytest

from testkit.plans import complete_plan, without
from testkit.records import PASSWORD


@pytest.fixture
def clin(clinic, bearer):
    return bearer(clinic.clinician)


def plans_url(clinic) -> str:
    return f"/api/v1/clients/{clinic.client_id}/treatment-plans"


def create(client, clinic, headers, document=None) -> dict:
    response = client.post(plans_url(clinic), headers=headers, json=document or complete_plan())
    assert response.status_code == 201, response.text
    return response.json()


def test_create_save_sign_and_verify_a_plan(client, clinic, clin):
    plan = create(client, clinic, clin, without(complete_plan(), "problems.0.goals.1.objectives.0.target"))
    assert (plan["version"], plan["status"], plan["active"]) == (1, "draft", False)
    assert plan["missing"] == ["problem 1, goal 2, objective 1: its target"]
    url = f"{plans_url(clinic)}/{plan['id']}"
    refused = client.post(f"{url}/sign", headers=clin, json={"version": 1, "password": PASSWORD})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["missing"] == plan["missing"] and "was not signed" in refused.json()["detail"]

    document = plan["document"]
    document["problems"][0]["goals"][1]["objectives"][0]["target"] = "7 hours"
    saved = client.put(url, headers=clin, json={"document": document, "base_version": 1})
    assert saved.json() == {"plan_id": plan["id"], "version": 2}
    signed = client.post(f"{url}/sign", headers=clin, json={"version": 2, "password": PASSWORD})
    assert signed.status_code == 200 and signed.json()["version"] == 2
    shown = client.get(url, headers=clin).json()
    assert shown["status"] == "signed" and shown["active"] and shown["review_due"]
    assert [g["id"] for g in shown["document"]["problems"][0]["goals"]] == [
        g["id"] for g in plan["document"]["problems"][0]["goals"]]
    assert client.get(f"{url}/verification", headers=clin).json() == {"plan_id": plan["id"], "ok": True,
                                                                       "problems": []}
    assert [p["id"] for p in client.get(plans_url(clinic), headers=clin).json()] == [plan["id"]]
    assert client.get(url, headers=clin, params={"version": 1}).json()["missing"] == plan["missing"]


def test_stale_save_is_409_and_overwrites_nothing(client, clinic, clin):
    plan = create(client, clinic, clin)
    url = f"{plans_url(clinic)}/{plan['id']}"
    assert client.put(url, headers=clin, json={"document": complete_plan(), "base_version": 1}).status_code == 200
    stale = client.put(url, headers=clin, json={"document": without(complete_plan(), "problems"),
                                                "base_version": 1})
    assert stale.status_code == 409 and stale.json()["type"] == "urn:afternote:problem:stale-plan"
    assert stale.json()["current_version"] == 2 and "Reload it" in stale.json()["detail"]
    assert len(client.get(url, headers=clin).json()["document"]["problems"]) == 1


def test_signing_needs_the_password(client, clinic, clin):
    plan = create(client, clinic, clin)
    refused = client.post(f"{plans_url(clinic)}/{plan['id']}/sign", headers=clin,
                          json={"version": 1, "password": "not my password at all"})
    assert refused.status_code == 403 and "treatment plan was not signed" in refused.json()["detail"]
    assert client.get(f"{plans_url(clinic)}/{plan['id']}", headers=clin).json()["signatures"] == []


@pytest.mark.parametrize("document, field", [
    ({"start_date": "2026-02-30"}, "body.start_date"),
    ({"problems": [{"text": "x" * 2001}]}, "body.problems.0.text"),
    ({"agreement": "nodded"}, "body.agreement"),
    ({"problems": [{"goals": [{"text": "a\u0000b"}]}]}, "body.problems.0.goals.0.text"),
    ({"start_date": "1850-01-01"}, None),
])
def test_bad_input_is_422_naming_the_field(client, clinic, clin, document, field):
    response = client.post(plans_url(clinic), headers=clin, json=document)
    assert response.status_code == 422
    if field:
        assert field in [e["field"] for e in response.json()["errors"]]
    else:
        assert "between 2000-01-01" in response.json()["detail"]
    assert client.get(plans_url(clinic), headers=clin).json() == []


def test_access_by_role(client, clinic, clin, bearer, db):
    from testkit.records import make_clinic
    plan = create(client, clinic, clin)
    url = f"{plans_url(clinic)}/{plan['id']}"
    assert client.get(url, headers=bearer(clinic.owner)).status_code == 200
    assert client.get(url, headers=bearer(clinic.auditor)).status_code == 200
    assert client.get(url, headers=bearer(clinic.associate)).status_code == 404
    assert client.get(url, headers=bearer(make_clinic(db).owner)).status_code == 404
    assert client.put(url, headers=bearer(clinic.owner),
                      json={"document": complete_plan(), "base_version": 1}).status_code == 403
    assert client.post(plans_url(clinic), headers=bearer(clinic.auditor), json=complete_plan()).status_code == 403
    other = make_clinic(db)
    elsewhere = f"/api/v1/clients/{other.client_id}/treatment-plans/{plan['id']}"
    assert client.get(elsewhere, headers=clin).status_code == 404


def test_a_note_links_goals_through_the_api(client, clinic, clin):
    from testkit.records import KEY_POINTS
    plan = create(client, clinic, clin)
    url = f"{plans_url(clinic)}/{plan['id']}"
    client.post(f"{url}/sign", headers=clin, json={"version": 1, "password": PASSWORD})
    note = client.post("/api/v1/notes", headers=clin, json={"appointment_id": clinic.appointment_id,
                                                            "key_points": KEY_POINTS, "format": "girp"}).json()
    goal = plan["document"]["problems"][0]["goals"][1]
    body = {"base_version": 1, "goals": [{"goal_id": goal["id"], "objectives": [
        {"objective_id": goal["objectives"][0]["id"], "progress": "Slept 6 hours most nights."}]}]}
    linked = client.put(f"/api/v1/notes/{note['id']}/goals", headers=clin, json=body)
    assert linked.json() == {"note_id": note["id"], "version": 2}
    shown = client.get(f"/api/v1/notes/{note['id']}", headers=clin).json()
    assert shown["content"]["sections"][0]["text"].startswith(
        "Treatment-plan goal addressed: Sleep at least 7 hours a night.")
    assert shown["content"]["plan_links"]["goals"][0]["objectives"][0]["progress"] == "Slept 6 hours most nights."
    stale = client.put(f"/api/v1/notes/{note['id']}/goals", headers=clin, json=body)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    unknown = client.put(f"/api/v1/notes/{note['id']}/goals", headers=clin,
                         json={"base_version": 2, "goals": [{"goal_id": "nosuchgoal"}]})
    assert unknown.status_code == 422 and "Reload the note" in unknown.json()["detail"]
    bad = client.put(f"/api/v1/notes/{note['id']}/goals", headers=clin,
                     json={"base_version": 2, "goals": [{"goal_id": "../x"}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].startswith("body.goals.0.goal_id")


INTAKE = ('Client presents with panic attacks since job change. Goals: "I want to drive to work again". '
          'Plan: weekly CBT with interoceptive exposure for 12 weeks.')


def test_a_plan_is_proposed_from_a_notes_key_points_and_nothing_is_saved(client, clinic, clin, bearer, db):
    from testkit.records import make_clinic
    note = client.post("/api/v1/notes", headers=clin, json={"appointment_id": clinic.appointment_id,
                                                            "key_points": INTAKE}).json()
    proposed = client.post(f"{plans_url(clinic)}/proposal", headers=clin, json={"note_id": note["id"]})
    assert proposed.status_code == 200, proposed.text
    [problem] = proposed.json()["problems"]
    assert problem["goals"][0]["client_words"] == "I want to drive to work again"
    assert problem["interventions"][0] == {"id": "", "modality": "CBT with interoceptive exposure",
                                           "frequency": "weekly", "duration": "12 weeks"}
    assert proposed.json()["start_date"] is None and problem["goals"][0]["objectives"] == []
    assert client.get(plans_url(clinic), headers=clin).json() == []
    other = make_clinic(db)
    elsewhere = client.post(f"/api/v1/clients/{other.client_id}/treatment-plans/proposal", headers=clin,
                            json={"note_id": note["id"]})
    assert elsewhere.status_code == 404
    assert client.post(f"{plans_url(clinic)}/proposal", headers=bearer(clinic.associate),
                       json={"note_id": note["id"]}).status_code == 404


def test_the_notes_goal_list_proposes_what_the_key_points_speak_to_and_links_only_what_is_ticked(client, clinic,
                                                                                                  clin, bearer):
    plan = create(client, clinic, clin)
    client.post(f"{plans_url(clinic)}/{plan['id']}/sign", headers=clin, json={"version": 1, "password": PASSWORD})
    note = client.post("/api/v1/notes", headers=clin, json={
        "appointment_id": clinic.appointment_id, "format": "girp",
        "key_points": "GAD-7 12. Pt reports anxiety at work. Used CBT. Plan: f/u 1wk."}).json()
    listed = client.get(f"/api/v1/notes/{note['id']}/goals", headers=clin)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert (body["plan_id"], body["plan_version"], body["version"]) == (plan["id"], 1, 1)
    anxiety, sleep = body["goals"]
    assert (anxiety["proposed"], anxiety["linked"], sleep["proposed"]) == (True, False, False)
    assert anxiety["proposed_because"] == "the key points mention “anxiety”, “work”"
    (gad,) = anxiety["objectives"]
    assert (gad["proposed"], gad["proposed_because"], gad["linked"]) == (
        True, "GAD-7 was scored in the key points", False)
    assert gad["measure_trend"]["latest"] == {"date": "2026-01-05", "score": 12, "band": "moderate"}
    assert sleep["objectives"][0]["measure_trend"] is None  # a sleep log is no instrument
    shown = client.get(f"/api/v1/notes/{note['id']}", headers=clin).json()
    assert not shown["content"].get("plan_links")  # a proposal links nothing
    client.put(f"/api/v1/notes/{note['id']}/goals", headers=clin, json={"base_version": 1, "goals": [
        {"goal_id": anxiety["id"], "objectives": [{"objective_id": gad["id"], "progress": "Down from 16."}]}]})
    again = client.get(f"/api/v1/notes/{note['id']}/goals", headers=clin).json()
    assert again["version"] == 2 and again["goals"][0]["linked"] and again["goals"][0]["objectives"][0]["linked"]
    assert again["goals"][0]["objectives"][0]["progress"] == "Down from 16."
    other = bearer(clinic.associate)  # not the associate's client
    assert client.get(f"/api/v1/notes/{note['id']}/goals", headers=other).status_code == 404


def test_a_note_without_a_plan_lists_no_goals(client, clinic, clin):
    note = client.post("/api/v1/notes", headers=clin, json={"appointment_id": clinic.appointment_id,
                                                            "key_points": "GAD-7 12. Plan: f/u 1wk."}).json()
    assert client.get(f"/api/v1/notes/{note['id']}/goals", headers=clin).json() == {
        "note_id": note["id"], "version": 1, "plan_id": None, "plan_version": None, "goals": []}
