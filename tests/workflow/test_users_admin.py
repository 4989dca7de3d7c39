"""The owner changes a user's role and supervisor and deactivates or reactivates them, on SQLite and PostgreSQL:
owners only, within the practice, never leaving the practice without an active owner; a deactivated user's
sessions and API tokens stop at once; every change audited without health data."""
import pytest

from afternote.errors import InputError
from testkit.records import PASSWORD, make_clinic
from afternote.workflow import audit, sign_in, tokens, users
from afternote.workflow.errors import LoginFailed, NotAllowed, NotFound, NotSignedIn


def _user(db, clinic, actor):
    return next(u for u in users.list_users(db, clinic.owner) if u.id == actor.user_id)


def test_owner_changes_role_and_supervisor_audited(db, clinic):
    owner, clin = clinic.owner, clinic.clinician
    view = users.update_user(db, owner, clin.user_id, supervisor=clinic.supervisor.username)
    assert view.supervisor_id == clinic.supervisor.user_id and view.role == "clinician"
    view = users.update_user(db, owner, clin.user_id, supervisor=None)
    assert view.supervisor_id is None
    view = users.update_user(db, owner, clin.user_id, role="supervisor")
    assert view.role == "supervisor" and _user(db, clinic, clin).role == "supervisor"
    users.update_user(db, owner, clin.user_id, role="supervisor", supervisor=None)  # no change: not audited
    actions = [e.action for e in audit.events(db, owner, record_id=clin.user_id)]
    assert actions[:3] == ["user_role", "user_supervisor", "user_supervisor"]
    assert users.login(db, clin.username, PASSWORD).role == "supervisor"  # the new role from the next sign-in


def test_only_owners_within_their_practice(db, clinic):
    for who in (clinic.clinician, clinic.supervisor, clinic.auditor):
        with pytest.raises(NotAllowed):
            users.update_user(db, who, clinic.associate.user_id, active=False)
    other = make_clinic(db)
    with pytest.raises(NotFound):
        users.update_user(db, clinic.owner, other.clinician.user_id, role="owner")
    with pytest.raises(NotFound):  # a supervisor of another practice is not one of ours
        users.update_user(db, clinic.owner, clinic.clinician.user_id, supervisor=other.supervisor.username)
    assert _user(db, clinic, clinic.associate).active


def test_bad_changes_are_refused_and_nothing_changes(db, clinic):
    owner = clinic.owner
    with pytest.raises(InputError, match="Unknown role"):
        users.update_user(db, owner, clinic.clinician.user_id, role="admin")
    with pytest.raises(NotFound):  # a clinician cannot supervise
        users.update_user(db, owner, clinic.associate.user_id, supervisor=clinic.clinician.username)
    with pytest.raises(InputError, match="Only a clinician has a supervisor"):
        users.update_user(db, owner, clinic.auditor.user_id, supervisor=clinic.supervisor.username)
    with pytest.raises(InputError, match="still supervises"):
        users.update_user(db, owner, clinic.supervisor.user_id, active=False)
    with pytest.raises(InputError, match="still supervises"):
        users.update_user(db, owner, clinic.supervisor.user_id, role="clinician")
    assert _user(db, clinic, clinic.supervisor).role == "supervisor"
    assert _user(db, clinic, clinic.supervisor).active


def test_last_active_owner_cannot_demote_or_deactivate_themselves(db, clinic):
    owner = clinic.owner
    with pytest.raises(InputError, match="last active owner.*Make another user an owner first"):
        users.update_user(db, owner, owner.user_id, role="clinician")
    with pytest.raises(InputError, match="last active owner"):
        users.update_user(db, owner, owner.user_id, active=False)
    users.update_user(db, owner, clinic.clinician.user_id, role="owner")
    assert users.update_user(db, owner, owner.user_id, role="clinician").role == "clinician"
    with pytest.raises(NotAllowed):  # no longer an owner (as the next sign-in sees them)
        users.update_user(db, users.login(db, owner.username, PASSWORD), owner.user_id, role="owner")


def test_deactivated_user_cannot_sign_in_and_sessions_and_tokens_stop(db, clinic):
    owner, clin = clinic.owner, clinic.clinician
    started = sign_in.start(db, clin.username, PASSWORD, source="test")
    _view, secret = tokens.create(db, clin, "script")
    users.update_user(db, owner, clin.user_id, active=False)
    with pytest.raises(NotSignedIn):
        sign_in.resume(db, started.secret, source="test")
    with pytest.raises(NotSignedIn):
        tokens.actor_for_token(db, secret, source="test")
    with pytest.raises(LoginFailed):
        users.login(db, clin.username, PASSWORD)
    assert all(t.revoked_at is not None for t in tokens.list_tokens(db, owner) if t.user_id == clin.user_id)
    users.update_user(db, owner, clin.user_id, active=True)
    assert users.login(db, clin.username, PASSWORD).user_id == clin.user_id
    with pytest.raises(NotSignedIn):  # reactivating brings back no old session or token
        sign_in.resume(db, started.secret, source="test")
    with pytest.raises(NotSignedIn):
        tokens.actor_for_token(db, secret, source="test")
    actions = [e.action for e in audit.events(db, owner, username=owner.username)]
    assert {"user_deactivate", "user_reactivate", "token_revoke"} <= set(actions)
