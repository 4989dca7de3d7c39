"""Two-factor for tests: enrol a user as the settings page does, and the codes an authenticator app would show."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyotp

from afternote.records.models import utcnow
from afternote.workflow import two_factor


@dataclass
class Enrolled:
    secret: str
    recovery_codes: list[str]

    def code(self, steps_from_now: int = 0) -> str:
        """The app's code `steps_from_now` 30-second steps from now (a code's step is accepted once, so a test
        that signs in and then signs uses the next step for the second)."""
        return pyotp.TOTP(self.secret).at(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30 * steps_from_now))


def enrol(db, actor) -> Enrolled:
    """Turn two-factor on for `actor` with the code of the step before now, so this step and the next are unused."""
    secret = two_factor.begin_enrolment(db, actor).secret
    earlier = utcnow() - dt.timedelta(seconds=30)
    codes = two_factor.confirm_enrolment(db, actor, pyotp.TOTP(secret).at(earlier.replace(tzinfo=dt.timezone.utc)),
                                         now=earlier)
    return Enrolled(secret, codes)


def signed_in_page_with_code(client, actor, code: str) -> str:
    """Sign `actor` in through the sign-in form and then the code form; returns the pages' CSRF token."""
    from testkit.pages import csrf_of
    from testkit.records import PASSWORD
    pending = client.post("/sign-in", data={"username": actor.username, "password": PASSWORD})
    assert pending.url.path == "/sign-in/code", pending.url
    page = client.post("/sign-in/code", data={"code": code})
    assert page.status_code == 200 and page.url.path == "/", page.text
    return csrf_of(page.text)
