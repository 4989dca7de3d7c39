"""Errors of the records layer: each says what happened and what to do; none carries health data."""
from __future__ import annotations

from afternote.errors import AfternoteError


class DatabaseError(AfternoteError):
    """The records database cannot be used as it is."""


class DatabaseNotMigrated(DatabaseError):
    """The database is missing, behind or ahead of this afternote's migrations; it is never altered silently."""


class KeyProblem(AfternoteError):
    """The encryption key is missing, unreadable, too open, or does not decrypt the records."""


class RecordTampered(AfternoteError):
    """Stored health data failed authentication: it was altered outside afternote or belongs to another key."""
