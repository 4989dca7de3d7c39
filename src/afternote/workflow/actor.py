"""Who is calling the services: the signed-in user, their practice and role, and where the call came from."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: str
    practice_id: str
    role: str
    username: str
    display_name: str
    credentials: str = ""
    source: str = "cli"
    must_change_password: bool = False  # signed in with an owner's one-time password: may only choose their own
    two_factor: bool = False  # the user has two-factor sign-in on: a code follows the password
    must_enrol_two_factor: bool = False  # the practice requires two-factor and they have none: may only enrol
    token_id: str | None = None  # calling with an API token (not a password sign-in): which one
    read_only: bool = False  # a read-only token: reads only

    @property
    def sees_whole_practice(self) -> bool:
        """Owners and auditors read every client's records; clinicians and supervisors their own (and supervisees')."""
        return self.role in ("owner", "auditor")

    @property
    def writes_notes(self) -> bool:
        return self.role != "auditor"
