"""Passwords: the policy, changing your own, an owner's one-time reset, and the password asked again to sign."""
import pytest

from afternote.errors import InputError
from testkit.records import KEY_POINTS, PASSWORD
from afternote.workflow import notes, passwords, sign_in, sign_in_limits, users
from afternote.workflow.errors import LoginFailed, LoginLocked, NotAllowed

NEW = "plum kettle orbit lantern"


@pytest.mark.parametrize("password, problem", [
    ("short pass", "at least 12 characters"),
    ("password1234", "too easy to guess"),
    ("qwertyuiop12", "too easy to guess"),
    ("my name is clin-x and more", "must not contain the username"),
])
def test_the_policy_says_what_to_change(password, problem):
    with pytest.raises(InputError, match=problem):
        passwords.check_new_password(password, "clin-x")


def test_a_good_password_passes():
    passwords.check_new_password(NEW, "clin-x")


def test_you_change_your_own_password_with_the_current_one(db, clinic):
    actor = clinic.clinician
    with pytest.raises(LoginFailed, match="password was not changed"):
        passwords.change_password(db, actor, "not my password", NEW, "test")
    passwords.change_password(db, actor, PASSWORD, NEW, "test")
    with pytest.raises(LoginFailed):
        users.login(db, actor.username, PASSWORD, "test")
    assert users.login(db, actor.username, NEW, "test").user_id == actor.user_id
    passwords.change_password(db, actor, NEW, PASSWORD, "test")  # the shared clinic's password, back


def test_changing_it_signs_out_your_other_sessions_but_this_one(db, clinic):
    actor = clinic.clinician
    here = sign_in.start(db, actor.username, PASSWORD, source="here")
    elsewhere = sign_in.start(db, actor.username, PASSWORD, source="elsewhere")
    passwords.change_password(db, actor, PASSWORD, NEW, "here", keep_session=sign_in.digest(here.secret))
    assert sign_in.resume(db, here.secret, source="here").actor.user_id == actor.user_id
    with pytest.raises(Exception):
        sign_in.resume(db, elsewhere.secret, source="elsewhere")
    passwords.change_password(db, actor, NEW, PASSWORD, "here")


def test_an_owners_reset_gives_a_one_time_password_that_must_be_changed(db, clinic):
    target = clinic.associate
    one_time = passwords.reset_password(db, clinic.owner, target.user_id)
    signed = users.login(db, target.username, one_time, "test")
    assert signed.must_change_password
    with pytest.raises(NotAllowed):
        passwords.reset_password(db, clinic.clinician, target.user_id)  # owners only
    passwords.change_password(db, signed, one_time, PASSWORD, "test")
    assert not users.login(db, target.username, PASSWORD, "test").must_change_password


def test_signing_asks_for_the_signers_own_password_and_a_locked_account_cannot_sign(db, clinic):
    actor = clinic.clinician
    note = notes.create(db, actor, clinic.appointment_id, KEY_POINTS)
    with pytest.raises(passwords.WrongPassword, match="note was not signed"):
        passwords.confirm_password(db, actor, "not mine", "test")
    for _ in range(sign_in_limits.FREE_FAILURES_PER_USERNAME):
        with pytest.raises(LoginFailed):
            passwords.confirm_password(db, actor, "not mine", "test")
    with pytest.raises(LoginLocked, match="account is locked"):
        passwords.confirm_password(db, actor, PASSWORD, "test")  # locked: the right password does not help
    assert notes.show(db, actor, note.id).status == "draft"
