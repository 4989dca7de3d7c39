"""A supervisor returns a supervisee's signed note with a comment; the note stays signed and sealed, the author
answers with an addendum, the supervisor co-signs."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from afternote.errors import InputError
from afternote.workflow import backlog, clients, notes, supervision, today
from afternote.workflow.errors import NotAllowed
from testkit.records import KEY_POINTS

COMMENT = "Name the intervention you used for the panic symptoms and the client's response to it."


def _signed_by_associate(db, clinic) -> str:
    client = clients.add_client(db, clinic.associate, "Supervised Client")
    appointment = clients.add_appointment(db, clinic.associate, client.id, dt.date(2026, 1, 6), dt.time(9),
                                          minutes=45)
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)])
    return note.id


def _kinds(db, actor) -> list[str]:
    return [i.kind for i in backlog.backlog(db, actor)]


def test_a_returned_note_stays_signed_until_the_author_answers_and_the_supervisor_co_signs(db, clinic):
    note_id = _signed_by_associate(db, clinic)
    returned = supervision.return_note(db, clinic.supervisor, note_id, COMMENT)
    assert returned.supervisor == "Sam Super" and returned.comment == COMMENT and returned.open

    shown = notes.show(db, clinic.associate, note_id)
    assert shown.status == "signed" and shown.awaiting_cosign_by == clinic.supervisor.user_id  # still sealed
    assert notes.verify(db, clinic.owner, note_id).ok
    assert _kinds(db, clinic.associate) == ["returned by supervisor"]
    assert _kinds(db, clinic.supervisor) == ["awaiting co-signature"]
    assert [(r.comment, r.open) for r in supervision.returns(db, clinic.associate, note_id)] == [(COMMENT, True)]

    addendum = notes.addend(db, clinic.associate, note_id, "Used interoceptive exposure; client tolerated it.",
                            "correction requested by supervisor")
    assert _kinds(db, clinic.associate) == []
    [answered] = supervision.returns(db, clinic.supervisor, note_id)
    assert answered.answered_at == addendum.created_at and not answered.open

    notes.co_sign(db, clinic.supervisor, note_id)
    assert _kinds(db, clinic.supervisor) == []
    assert notes.verify(db, clinic.owner, note_id).ok


def test_a_second_return_after_the_answer_is_open_again(db, clinic):
    note_id = _signed_by_associate(db, clinic)
    supervision.return_note(db, clinic.supervisor, note_id, COMMENT)
    notes.addend(db, clinic.associate, note_id, "Used interoceptive exposure.", "correction")
    supervision.return_note(db, clinic.supervisor, note_id, "And the client's response, please.")
    assert _kinds(db, clinic.associate) == ["returned by supervisor"]
    assert [r.open for r in supervision.returns(db, clinic.associate, note_id)] == [False, True]


def test_the_supervisors_own_addendum_does_not_answer_the_return(db, clinic):
    note_id = _signed_by_associate(db, clinic)
    supervision.return_note(db, clinic.supervisor, note_id, COMMENT)
    notes.addend(db, clinic.supervisor, note_id, "Discussed in supervision.", "supervision")
    assert _kinds(db, clinic.associate) == ["returned by supervisor"]


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_a_return_without_a_comment_is_refused_and_nothing_is_stored(db, clinic, comment):
    note_id = _signed_by_associate(db, clinic)
    with pytest.raises(InputError, match="needs a comment"):
        supervision.return_note(db, clinic.supervisor, note_id, comment)
    assert supervision.returns(db, clinic.supervisor, note_id) == []


def test_only_the_supervisor_whose_co_signature_is_awaited_can_return_a_note(db, clinic):
    note_id = _signed_by_associate(db, clinic)
    for someone in (clinic.associate, clinic.owner, clinic.auditor):
        with pytest.raises(NotAllowed):
            supervision.return_note(db, someone, note_id, COMMENT)
    licensed = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)  # awaits no co-signature
    with pytest.raises(NotAllowed, match="not awaiting your co-signature"):
        supervision.return_note(db, clinic.owner, licensed.id, COMMENT)
    notes.co_sign(db, clinic.supervisor, note_id)
    with pytest.raises(NotAllowed, match="not awaiting your co-signature"):
        supervision.return_note(db, clinic.supervisor, note_id, COMMENT)
    assert supervision.returns(db, clinic.owner, note_id) == []


def test_the_comment_is_encrypted_and_the_audit_names_only_who_returned_which_note(db, clinic):
    note_id = _signed_by_associate(db, clinic)
    supervision.return_note(db, clinic.supervisor, note_id, COMMENT)
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT comment_enc FROM note_returns WHERE note_id = :n"),
                                    {"n": note_id}).scalar_one()
        events = connection.execute(text("SELECT * FROM audit_events WHERE action = 'return' AND record_id = :n"),
                                    {"n": note_id}).mappings().all()
    assert b"intervention" not in bytes(stored)
    assert [(e["username"], e["record_type"]) for e in events] == [(clinic.supervisor.username, "note")]
    assert not any("intervention" in str(value) for value in events[0].values())


def test_a_return_cannot_be_changed_or_deleted_at_the_database(db, clinic):
    note_id = _signed_by_associate(db, clinic)
    supervision.return_note(db, clinic.supervisor, note_id, COMMENT)
    for statement in ("UPDATE note_returns SET supervisor_name = 'someone else' WHERE note_id = :n",
                      "DELETE FROM note_returns WHERE note_id = :n"):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement), {"n": note_id})


def test_todays_returned_card_lists_the_authors_returned_note_not_as_a_co_signature(db, clinic):
    note_id = _signed_by_associate(db, clinic)
    supervision.return_note(db, clinic.supervisor, note_id, COMMENT)
    now = dt.datetime(2026, 1, 7, 12)
    mine = today.today(db, clinic.associate, now=now)
    assert [i.note_id for i in mine.returned] == [note_id] and mine.to_cosign == []
    team = today.today(db, clinic.supervisor, now=now)  # the supervisor's team view: theirs to co-sign, and waiting
    assert [i.note_id for i in team.to_cosign] == [note_id] and [i.note_id for i in team.returned] == [note_id]
