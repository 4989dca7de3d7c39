"""A supervisor returns a supervisee's signed note through the API with a comment; the author sees it in the
backlog and answers with an addendum; an empty comment is a 422 that says what to do."""
import datetime as dt

import pytest

from afternote.workflow import clients
from testkit.records import KEY_POINTS, PASSWORD

COMMENT = "Add the client's response to the breathing exercise."


@pytest.fixture
def signed_note(client, clinic, bearer, db):
    """A note of the pre-licensed clinician, signed and awaiting the supervisor's co-signature."""
    someone = clients.add_client(db, clinic.associate, "Supervised Client")
    appointment = clients.add_appointment(db, clinic.associate, someone.id, dt.date(2026, 1, 7), dt.time(9),
                                          minutes=45)
    assoc = bearer(clinic.associate)
    note = client.post("/api/v1/notes", headers=assoc, json={"appointment_id": appointment, "key_points": KEY_POINTS})
    codes = [f["code"] for f in note.json()["content"]["findings"] if f["severity"] in ("error", "warning")]
    signed = client.post(f"/api/v1/notes/{note.json()['id']}/sign", headers=assoc,
                         json={"version": 1, "password": PASSWORD, "acknowledged": codes})
    assert signed.status_code == 200, signed.text
    return note.json()["id"], assoc


def test_return_a_note_then_the_author_answers_and_the_supervisor_co_signs(client, clinic, bearer, signed_note):
    note_id, assoc = signed_note
    sup = bearer(clinic.supervisor)
    returned = client.post(f"/api/v1/notes/{note_id}/return", headers=sup, json={"comment": COMMENT})
    assert returned.status_code == 201, returned.text
    assert returned.json()["comment"] == COMMENT and returned.json()["open"] is True
    assert client.get(f"/api/v1/notes/{note_id}", headers=assoc).json()["status"] == "signed"
    backlog = client.get("/api/v1/backlog", headers=assoc).json()["items"]
    assert [(i["kind"], i["note_id"]) for i in backlog] == [("returned by supervisor", note_id)]

    answer = client.post(f"/api/v1/notes/{note_id}/addenda", headers=assoc,
                         json={"text": "Client reported calmer breathing after the exercise.", "reason": "correction"})
    assert answer.status_code == 201
    [shown] = client.get(f"/api/v1/notes/{note_id}/returns", headers=assoc).json()
    assert shown["open"] is False and shown["answered_at"] is not None and shown["supervisor"] == "Sam Super"
    assert client.get("/api/v1/backlog", headers=assoc).json()["items"] == []
    cosigned = client.post(f"/api/v1/notes/{note_id}/cosign", headers=sup, json={"password": PASSWORD})
    assert cosigned.status_code == 200
    assert client.get(f"/api/v1/notes/{note_id}/verification", headers=sup).json()["ok"] is True


@pytest.mark.parametrize("comment", ["", "   "])
def test_an_empty_comment_is_refused_with_what_to_do(client, clinic, bearer, signed_note, comment):
    note_id, _ = signed_note
    sup = bearer(clinic.supervisor)
    refused = client.post(f"/api/v1/notes/{note_id}/return", headers=sup, json={"comment": comment})
    assert refused.status_code == 422
    assert "comment" in refused.text
    assert client.get(f"/api/v1/notes/{note_id}/returns", headers=sup).json() == []


def test_only_the_awaited_supervisor_can_return_a_note(client, clinic, bearer, signed_note):
    note_id, assoc = signed_note
    assert client.post(f"/api/v1/notes/{note_id}/return", headers=assoc, json={"comment": COMMENT}).status_code == 403
    assert client.post(f"/api/v1/notes/{note_id}/return", headers=bearer(clinic.owner),
                       json={"comment": COMMENT}).status_code == 403
    assert client.post(f"/api/v1/notes/{note_id}/return", headers=bearer(clinic.clinician),
                       json={"comment": COMMENT}).status_code == 404  # not a note they can see
