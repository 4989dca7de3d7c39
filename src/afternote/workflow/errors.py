"""Workflow errors: what happened and what to do, never health data."""
from __future__ import annotations

import datetime as dt

from afternote.errors import AfternoteError


class Refusal(AfternoteError):
    """A refused access; `record` names the record asked for, (type, id), for the audit trail (audit.refused)."""

    record: tuple[str, str] | None = None

    def about(self, record_type: str, record_id: str) -> Refusal:
        self.record = (record_type, record_id[:32])
        return self


class NotFound(Refusal):
    """No such record in the caller's practice (records of other practices are reported the same way)."""


class NotAllowed(Refusal):
    """The caller's role does not allow this action on this record."""


def saved_by_whom(saved_by: str | None, saved_at: dt.datetime | None, time_zone: str = "UTC") -> str:
    """Who made the save that a stale one missed: 'you, in another window or tab' or their name, and when (in the
    practice's zone)."""
    from afternote.times import when
    who = f"by {saved_by}" if saved_by else "elsewhere"
    return who + (f" at {when(saved_at, time_zone)}" if saved_at else "")


class _SavedElsewhere:
    saved_by: str | None
    saved_at: dt.datetime | None
    time_zone: str

    def by_whom(self) -> str:
        """Who made the later save, and when in the practice's zone."""
        return saved_by_whom(self.saved_by, self.saved_at, self.time_zone)


class StaleVersion(_SavedElsewhere, AfternoteError):
    """A save was made against a version that is no longer current; nothing was overwritten. `saved_by` names who
    made the later save ("you, in another window or tab" when it was the caller), `saved_at` when."""

    def __init__(self, note_id: str, base_version: int, current_version: int, saved_by: str | None = None,
                 saved_at: dt.datetime | None = None, time_zone: str = "UTC") -> None:
        self.note_id, self.base_version, self.current_version = note_id, base_version, current_version
        self.saved_by, self.saved_at, self.time_zone = saved_by, saved_at, time_zone
        super().__init__(f"Note {note_id} was saved {self.by_whom()} since version "
                         f"{base_version}; it is now at version {current_version}. Reload it, re-apply your change, "
                         "and save again. Nothing was overwritten.")


class StalePlan(StaleVersion):
    """A treatment plan was saved (or signed) since the version a save was based on; nothing was overwritten."""

    def __init__(self, plan_id: str, base_version: int, current_version: int, saved_by: str | None = None,
                 saved_at: dt.datetime | None = None, time_zone: str = "UTC") -> None:
        self.note_id, self.base_version, self.current_version = plan_id, base_version, current_version
        self.saved_by, self.saved_at, self.time_zone = saved_by, saved_at, time_zone
        AfternoteError.__init__(self, f"The treatment plan was saved {self.by_whom()} since version "
                                f"{base_version}; it is now at version {current_version}. Reload it, "
                                "re-apply your change, and save again. Nothing was overwritten.")


class KeyPointsConflict(_SavedElsewhere, AfternoteError):
    """The key points were saved since the revision a save was based on; nothing was overwritten. Carries both
    texts (`theirs`, the saved one, and `mine`) for the caller to show side by side, never in the message."""

    def __init__(self, note_id: str, base_revision: int, current_revision: int, mine: str, theirs: str,
                 saved_by: str | None = None, saved_at: dt.datetime | None = None, time_zone: str = "UTC") -> None:
        self.note_id, self.base_revision, self.current_revision = note_id, base_revision, current_revision
        self.mine, self.theirs, self.saved_by, self.saved_at = mine, theirs, saved_by, saved_at
        self.time_zone = time_zone
        super().__init__(f"The key points of note {note_id} were saved {self.by_whom()} since "
                         f"revision {base_revision}; they are now at revision {current_revision}. Nothing was "
                         "overwritten: keep yours (save them again based on the current revision) or take the "
                         "saved ones.")


class NoteLocked(AfternoteError):
    """The note is signed: it is read-only and changes are addenda."""


class LoginFailed(AfternoteError):
    """Unknown user or wrong password (deliberately not saying which)."""


def wait_text(seconds: int) -> str:
    """'40 seconds', '2 minutes': how long someone is asked to wait."""
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"


class LoginLocked(LoginFailed):
    """Too many failed sign-ins for this username (or from this place) lately: the next attempt must wait."""

    def __init__(self, seconds: int, message: str | None = None) -> None:
        self.retry_after = seconds
        super().__init__(message or f"Too many failed sign-ins. Wait {wait_text(seconds)} and try again, or ask "
                         "an owner to check the account.")


class Busy(AfternoteError):
    """The server is at its limit of concurrent work of this kind (password checks): try again shortly."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class NotSignedIn(AfternoteError):
    """No valid session or API token: never signed in, signed out, expired after inactivity, or revoked."""


class PasswordChangeRequired(NotAllowed):
    """Signed in with an owner's one-time password: nothing else until the user has chosen their own."""


class EnrolmentRequired(NotAllowed):
    """The practice requires two-factor sign-in and the user has none yet: nothing else until they enrol."""
