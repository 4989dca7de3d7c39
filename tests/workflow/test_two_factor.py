"""Two-factor sign-in: codes as pure functions, enrolment, the code step of a sign-in, recovery codes, replay,
the code asked to sign, the practice's requirement, an owner's reset, turning your own off."""
import datetime as dt

import pyotp
import pytest
from sqlalchemy import select

from afternote.errors import InputError
from afternote.records.models import AuditEvent, User, utcnow
from afternote.workflow import notes, passwords, sign_in, two_factor
from afternote.workflow.errors import LoginLocked, NotAllowed, NotSignedIn
from testkit.records import KEY_POINTS, PASSWORD
from testkit.two_factor import enrol

AT = dt.datetime(2026, 12, 2, 15, 0, 10)  # step 59 047 100 begins at 15:00:00


def code_at(secret, at):
    return pyotp.TOTP(secret).at(at.replace(tzinfo=dt.timezone.utc))


# --- pure ---------------------------------------------------------------------------------------------------------
def test_a_code_matches_its_own_step_and_one_either_side_only():
    secret = two_factor.new_secret()
    step = pyotp.TOTP(secret).timecode(AT.replace(tzinfo=dt.timezone.utc))
    assert two_factor.matching_step(secret, code_at(secret, AT), AT) == step
    assert two_factor.matching_step(secret, code_at(secret, AT - dt.timedelta(seconds=30)), AT) == step - 1
    assert two_factor.matching_step(secret, code_at(secret, AT + dt.timedelta(seconds=30)), AT) == step + 1
    assert two_factor.matching_step(secret, code_at(secret, AT - dt.timedelta(seconds=90)), AT) is None


def test_typed_spaces_are_forgiven_and_other_shapes_never_match():
    secret = two_factor.new_secret()
    code = code_at(secret, AT)
    assert two_factor.matching_step(secret, f" {code[:3]} {code[3:]} ", AT) is not None
    assert two_factor.matching_step(secret, code + "0", AT) is None
    assert two_factor.matching_step(secret, "abcdef", AT) is None
    assert two_factor.is_app_code("123 456") and not two_factor.is_app_code("abcde-fghij")


def test_recovery_codes_are_distinct_and_easy_to_read_back():
    codes = two_factor.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" and not set(c) & set("01ilo") for c in codes)
    assert two_factor.cleaned("ABCDE-FGHJK") == "abcdefghjk"


def test_the_provisioning_address_names_the_user_and_the_practice():
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    uri = two_factor.provisioning_uri(secret, "dana", "Reyes Counselling")
    assert uri.startswith("otpauth://totp/") and "dana" in uri and f"secret={secret}" in uri
    assert "Reyes%20Counselling" in uri
    assert two_factor.grouped(secret[:16]) == "JBSW Y3DP EHPK 3PXP"


# --- enrolment ----------------------------------------------------------------------------------------------------
def test_enrolment_is_on_only_after_a_current_code_and_the_secret_is_encrypted(db, clinic):
    actor = clinic.clinician
    first = two_factor.begin_enrolment(db, actor)
    assert two_factor.begin_enrolment(db, actor).secret == first.secret  # the page opened again: the same one
    assert not two_factor.status(db, actor).on
    with pytest.raises(two_factor.WrongCode, match="does not match"):
        two_factor.confirm_enrolment(db, actor, "000000" if code_at(first.secret, utcnow()) != "000000" else "1")
    assert not two_factor.status(db, actor).on
    codes = two_factor.confirm_enrolment(db, actor, code_at(first.secret, utcnow()))
    assert len(codes) == 10 and two_factor.status(db, actor).on
    with db.session() as session:
        user = session.get(User, actor.user_id)
        assert first.secret.encode() not in bytes(user.two_factor_secret_enc)
        events = session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == actor.user_id)).all()
    assert "two_factor_enrol" in events and "two_factor_failed" in events
    with pytest.raises(InputError, match="on already"):
        two_factor.begin_enrolment(db, actor)


# --- signing in ---------------------------------------------------------------------------------------------------
def test_the_password_alone_opens_only_a_pending_session_that_signs_nobody_in(db, clinic):
    enrolled = enrol(db, clinic.clinician)
    pending = sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1")
    assert pending.pending
    with pytest.raises(NotSignedIn):
        sign_in.resume(db, pending.secret, source="web:1")
    with pytest.raises(two_factor.WrongCode):
        sign_in.complete(db, pending.secret, "12345" + ("7" if enrolled.code().endswith("6") else "6"),
                         source="web:1")
    signed = sign_in.complete(db, pending.secret, enrolled.code(), source="web:1")
    assert not signed.pending and signed.secret != pending.secret
    assert sign_in.resume(db, signed.secret, source="web:1").actor.user_id == clinic.clinician.user_id
    with pytest.raises(NotSignedIn):  # the pending one is used up
        sign_in.complete(db, pending.secret, enrolled.code(1), source="web:1")


def test_a_code_is_good_once(db, clinic):
    enrolled = enrol(db, clinic.clinician)
    sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", code=enrolled.code())
    with pytest.raises(two_factor.CodeReplayed, match="used already"):
        sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", code=enrolled.code())
    with db.session() as session:
        outcomes = session.scalars(select(AuditEvent.outcome).where(
            AuditEvent.user_id == clinic.clinician.user_id, AuditEvent.action == "two_factor_failed")).all()
    assert outcomes == ["replayed"]


def test_a_pending_session_expires(db, clinic):
    enrolled = enrol(db, clinic.clinician)
    long_ago = utcnow() - dt.timedelta(minutes=sign_in.PENDING_MINUTES + 1)
    pending = sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", now=long_ago)
    with pytest.raises(NotSignedIn, match="waited more than"):
        sign_in.complete(db, pending.secret, enrolled.code(), source="web:1")


def test_wrong_codes_are_limited_and_a_right_password_does_not_clear_the_count(db, clinic):
    enrolled = enrol(db, clinic.clinician)
    wrong = "000000" if enrolled.code() != "000000" and enrolled.code(1) != "000000" else "999999"
    for _ in range(5):  # the username's free failures, shared by passwords and codes
        pending = sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1")
        with pytest.raises(two_factor.WrongCode):
            sign_in.complete(db, pending.secret, wrong, source="web:1")
    with pytest.raises(LoginLocked):  # the right password does not reset the count the codes made
        sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", code=enrolled.code())


def test_a_recovery_code_signs_in_once(db, clinic):
    enrolled = enrol(db, clinic.clinician)
    code = enrolled.recovery_codes[3].upper()
    sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", code=code)
    with pytest.raises(two_factor.WrongCode):
        sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", code=code)
    assert two_factor.status(db, clinic.clinician).recovery_codes_left == 9
    with db.session() as session:
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.user_id == clinic.clinician.user_id)).all()
    assert actions.count("recovery_code_used") == 1


def test_the_api_path_refuses_a_password_without_its_code(db, clinic):
    enrol(db, clinic.clinician)
    with pytest.raises(two_factor.CodeRequired, match="send `code`"):
        sign_in.start(db, clinic.clinician.username, PASSWORD, source="api", allow_pending=False)


# --- signing ------------------------------------------------------------------------------------------------------
def test_signing_asks_for_the_code_when_two_factor_is_on_and_refuses_a_recovery_code(db, clinic):
    actor = clinic.clinician
    enrolled = enrol(db, actor)
    with pytest.raises(two_factor.CodeRequired, match="note was not signed"):
        passwords.confirm_password(db, actor, PASSWORD, "test")
    with pytest.raises(two_factor.WrongCode, match="signing in only"):
        passwords.confirm_password(db, actor, PASSWORD, "test", code=enrolled.recovery_codes[0])
    passwords.confirm_password(db, actor, PASSWORD, "test", code=enrolled.code())
    with pytest.raises(two_factor.CodeReplayed):
        passwords.confirm_password(db, actor, PASSWORD, "test", code=enrolled.code())


def test_changing_the_password_does_not_ask_for_the_code(db, clinic):
    actor = clinic.clinician
    enrol(db, actor)
    passwords.change_password(db, actor, PASSWORD, "plum kettle orbit lantern", "test")
    passwords.change_password(db, actor, "plum kettle orbit lantern", PASSWORD, "test")


# --- the practice, the owner, turning it off ----------------------------------------------------------------------
def test_a_practice_requirement_marks_who_must_enrol_and_only_owners_set_it(db, clinic):
    with pytest.raises(NotAllowed):
        two_factor.set_required(db, clinic.clinician, True)
    two_factor.set_required(db, clinic.owner, True)
    signed = sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1")
    assert signed.actor.must_enrol_two_factor
    assert sign_in.resume(db, signed.secret, source="web:1").actor.must_enrol_two_factor
    enrolled = enrol(db, clinic.clinician)
    with pytest.raises(NotAllowed, match="requires two-factor"):
        two_factor.disable(db, clinic.clinician, PASSWORD, enrolled.code(), "test")
    assert not sign_in.resume(db, signed.secret, source="web:1").actor.must_enrol_two_factor


def test_an_owners_reset_turns_it_off_ends_sign_ins_and_is_audited(db, clinic):
    enrolled = enrol(db, clinic.clinician)
    signed = sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", code=enrolled.code())
    with pytest.raises(NotAllowed):
        two_factor.reset(db, clinic.supervisor, clinic.clinician.user_id)
    two_factor.reset(db, clinic.owner, clinic.clinician.user_id)
    assert not two_factor.status(db, clinic.clinician).on
    with pytest.raises(NotSignedIn):
        sign_in.resume(db, signed.secret, source="web:1")
    assert not sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1").pending
    with db.session() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor_reset",
                                                        AuditEvent.record_id == clinic.clinician.user_id))
    assert event.user_id == clinic.owner.user_id
    with pytest.raises(InputError, match="no two-factor"):
        two_factor.reset(db, clinic.owner, clinic.clinician.user_id)


def test_you_turn_your_own_off_with_your_password_and_a_code(db, clinic):
    actor = clinic.clinician
    enrolled = enrol(db, actor)
    with pytest.raises(passwords.WrongPassword):
        two_factor.disable(db, actor, "not my password", enrolled.code(), "test")
    two_factor.disable(db, actor, PASSWORD, enrolled.code(), "test")
    assert not two_factor.status(db, actor).on and two_factor.status(db, actor).recovery_codes_left == 0


def test_no_secret_or_code_reaches_the_audit_trail(db, clinic):
    enrolled = enrol(db, clinic.clinician)
    sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1", code=enrolled.recovery_codes[0])
    with db.session() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.user_id == clinic.clinician.user_id)).all()
    text = repr([(e.action, e.record_type, e.record_id, e.outcome, e.source, e.username) for e in rows])
    assert enrolled.secret not in text and not any(c in text for c in enrolled.recovery_codes)


def test_one_code_sent_ten_times_at_once_signs_in_once(db, clinic):
    import threading
    from concurrent.futures import ThreadPoolExecutor
    enrolled = enrol(db, clinic.clinician)
    actor, code = sign_in.start(db, clinic.clinician.username, PASSWORD, source="web:1").actor, enrolled.code()
    start = threading.Barrier(10)

    def send(n: int) -> str:
        start.wait()
        try:
            two_factor.check_sign_in_code(db, actor, code, address=f"web:203.0.113.{n}")
        except two_factor.CodeReplayed:
            return "replayed"
        except LoginLocked:  # replays count as failures: past the free ones the rest wait
            return "delayed"
        return "signed in"

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(send, range(10)))
    assert results.count("signed in") == 1, results
    assert results.count("replayed") == 5 and results.count("delayed") == 4
