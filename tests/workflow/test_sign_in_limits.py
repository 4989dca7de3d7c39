"""Sign-in limits: a lock per username holds under concurrency on both databases; the delay grows; a cap on the
password checks running at once."""
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from afternote.records.models import AuditEvent, User, utcnow
from testkit.records import PASSWORD
from afternote.workflow import sign_in_limits, users
from afternote.workflow.errors import Busy, LoginFailed, LoginLocked


def outcomes(db, user_id: str) -> dict[str, int]:
    with db.session() as session:
        rows = session.execute(select(AuditEvent.outcome, func.count()).where(
            AuditEvent.record_id == user_id, AuditEvent.action == "login_failed").group_by(AuditEvent.outcome)).all()
    return dict(rows)


def test_40_concurrent_wrong_passwords_are_checked_at_most_at_the_limit(db, clinic):
    target = clinic.clinician
    # a realistic hash (argon2 at a few MiB takes long enough for the guesses to overlap)
    with db.session(write=True) as session:
        session.execute(update(User).where(User.id == target.user_id).values(
            password_hash=PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1).hash(PASSWORD)))
    start = threading.Barrier(40)

    def guess(n: int) -> str:
        start.wait()
        try:
            users.login(db, target.username, f"wrong guess {n}", source=f"web:198.51.100.{n}")
        except LoginLocked:
            return "delayed"
        except LoginFailed:
            return "checked"
        return "signed in"

    with ThreadPoolExecutor(40) as pool:
        results = list(pool.map(guess, range(40)))
    assert results.count("checked") == sign_in_limits.FREE_FAILURES_PER_USERNAME
    assert results.count("delayed") == 40 - sign_in_limits.FREE_FAILURES_PER_USERNAME
    # the trail agrees: five checked and refused, the rest refused unchecked
    assert outcomes(db, target.user_id) == {"refused": 5, "locked": 35}


def test_each_failure_past_the_free_ones_doubles_the_delay(db, clinic):
    name, now = clinic.associate.username, utcnow()
    for _ in range(sign_in_limits.FREE_FAILURES_PER_USERNAME):
        with pytest.raises(LoginFailed):
            users.login(db, name, "wrong", source="web:192.0.2.1", now=now)
    waits = []
    for _ in range(3):
        with pytest.raises(LoginLocked) as delayed:
            users.login(db, name, PASSWORD, source="web:192.0.2.1", now=now)
        waits.append(delayed.value.retry_after)
        now += dt.timedelta(seconds=delayed.value.retry_after)
        with pytest.raises(LoginFailed) as again:  # after the wait, the password is checked again
            users.login(db, name, "still wrong", source="web:192.0.2.1", now=now)
        assert not isinstance(again.value, LoginLocked)
    assert waits == [31, 61, 121]  # 30 s, 1 min, 2 min (rounded up to the whole second)
    now += dt.timedelta(minutes=5)
    assert users.login(db, name, PASSWORD, source="web:192.0.2.1", now=now).user_id == clinic.associate.user_id
    with pytest.raises(LoginFailed) as fresh:  # a sign-in clears the count
        users.login(db, name, "wrong", source="web:192.0.2.1", now=now)
    assert not isinstance(fresh.value, LoginLocked)


def test_the_delay_never_exceeds_fifteen_minutes():
    assert sign_in_limits.delay_after(4, 5) == dt.timedelta()
    assert sign_in_limits.delay_after(5, 5) == dt.timedelta(seconds=30)
    assert sign_in_limits.delay_after(500, 5) == dt.timedelta(minutes=15)


def test_sign_in_is_busy_rather_than_queued_when_the_password_checks_are_full(db, clinic):
    checks = sign_in_limits.password_checks
    limit, wait = checks.limit, checks.wait
    checks.resize(1, wait=0.2)
    try:
        with checks.turn():  # another sign-in is being checked
            with pytest.raises(Busy, match="Try again"):
                users.login(db, clinic.clinician.username, PASSWORD, source="web:192.0.2.9")
        assert users.login(db, clinic.clinician.username, PASSWORD, source="web:192.0.2.9").username \
            == clinic.clinician.username
    finally:
        checks.resize(limit, wait)
    # the busy attempt was not counted against the username
    assert outcomes(db, clinic.clinician.user_id) == {}
