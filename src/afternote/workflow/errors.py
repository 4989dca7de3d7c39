"""Workflow errors: what happened and what to do, never health data."""
from __future__ import annotations

from afternote.errors import AfternoteError


class NotFound(AfternoteError):
    """No such record in the caller's practice (records of other practices are reported the same way)."""


class NotAllowed(AfternoteError):
    """The caller's role does not allow this action on this record."""


class StaleVersion(AfternoteError):
    """A save was made against a version that is no longer current; nothing was overwritten."""

    def __init__(self, note_id: str, base_version: int, current_version: int) -> None:
        self.note_id, self.base_version, self.current_version = note_id, base_version, current_version
        super().__init__(f"Note {note_id} was saved by someone else since version {base_version}; it is now at "
                         f"version {current_version}. Reload it, re-apply your change, and save again. "
                         "Nothing was overwritten.")


class NoteLocked(AfternoteError):
    """The note is signed: it is read-only and changes are addenda."""


class LoginFailed(AfternoteError):
    """Unknown user or wrong password (deliberately not saying which)."""


class LoginLocked(LoginFailed):
    """Too many failed sign-ins for this username (or from this place) lately: refused for a while."""

    def __init__(self, minutes: int, message: str | None = None) -> None:
        self.retry_after = minutes * 60
        super().__init__(message or f"Too many failed sign-ins. Wait {minutes} minutes and try again, or ask an "
                         "owner to check the account.")


class NotSignedIn(AfternoteError):
    """No valid session or API token: never signed in, signed out, expired after inactivity, or revoked."""


class PasswordChangeRequired(NotAllowed):
    """Signed in with an owner's one-time password: nothing else until the user has chosen their own."""
