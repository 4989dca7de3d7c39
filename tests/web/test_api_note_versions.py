"""Versions and key points through the API: every version listed with its changes, one read, an earlier one
restored against the current version; key points saved against their revision (409 if saved since)."""
import pytest

from testkit.records import KEY_POINTS


@pytest.fixture
def clin(clinic, bearer):
    return bearer(clinic.clinician)


@pytest.fixture
def note_id(client, clinic, clin):
    response = client.post("/api/v1/notes", headers=clin,
                           json={"appointment_id": clinic.appointment_id, "key_points": KEY_POINTS})
    assert response.status_code == 201
    return response.json()["id"]


def test_versions_list_who_when_and_a_diff_of_each_changed_section(client, clin, note_id):
    client.put(f"/api/v1/notes/{note_id}/sections/plan", headers=clin, json={"text": "Weekly CBT.", "base_version": 1})
    listed = client.get(f"/api/v1/notes/{note_id}/versions", headers=clin).json()
    assert [(v["number"], v["reason"], v["author"]) for v in listed] == [(1, "draft", "Casey Clin"),
                                                                         (2, "edit", "Casey Clin")]
    [change] = listed[1]["changes"]
    assert change["key"] == "plan" and "+Weekly CBT." in change["diff"] and listed[1]["saved_at"].endswith("Z")
    one = client.get(f"/api/v1/notes/{note_id}/versions/1", headers=clin).json()
    assert one["number"] == 1 and one["content"]["sections"][-1]["text"] != "Weekly CBT."
    assert client.get(f"/api/v1/notes/{note_id}/versions/7", headers=clin).status_code == 422


def test_restore_saves_an_earlier_version_again_and_a_stale_base_is_409(client, clin, note_id):
    client.put(f"/api/v1/notes/{note_id}/sections/plan", headers=clin, json={"text": "Weekly CBT.", "base_version": 1})
    stale = client.post(f"/api/v1/notes/{note_id}/versions/1/restore", headers=clin, json={"base_version": 1})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert "by you, in another window or tab" in stale.json()["detail"]
    restored = client.post(f"/api/v1/notes/{note_id}/versions/1/restore", headers=clin, json={"base_version": 2})
    assert restored.json() == {"note_id": note_id, "version": 3}
    assert client.get(f"/api/v1/notes/{note_id}/versions", headers=clin).json()[2]["restored_from"] == 1


def test_key_points_saved_against_an_older_revision_are_409_and_nothing_is_overwritten(client, clin, note_id):
    saved = client.put(f"/api/v1/notes/{note_id}/key-points", headers=clin,
                       json={"key_points": "From tab A.", "base_revision": 1})
    assert saved.json() == {"note_id": note_id, "key_points_revision": 2}
    stale = client.put(f"/api/v1/notes/{note_id}/key-points", headers=clin,
                       json={"key_points": "From tab B.", "base_revision": 1})
    assert stale.status_code == 409 and stale.json()["type"].endswith("stale-key-points")
    assert stale.json()["current_revision"] == 2 and "From tab" not in stale.text
    redraft = client.post(f"/api/v1/notes/{note_id}/redraft", headers=clin,
                          json={"base_version": 1, "key_points": "From tab B.", "key_points_revision": 1})
    assert redraft.status_code == 409
    shown = client.get(f"/api/v1/notes/{note_id}", headers=clin).json()
    assert (shown["key_points"], shown["key_points_revision"], shown["version"]) == ("From tab A.", 2, 1)
