"""Errors a person can act on: each says what happened and what to do next.

The CLI turns them into exit code 2 and a one-line message; the API into problem details. None of them carries
health data: messages name files, keys, limits and formats, never the text of a summary or a note.
"""
from __future__ import annotations


class AfternoteError(Exception):
    """Base of the errors afternote raises on purpose; `str(error)` is the message for the person."""

    exit_code = 2


class InputError(AfternoteError):
    """The key points (or the session details) cannot be drafted as given."""


class FormatError(AfternoteError):
    """A note format is unknown or its file is invalid."""


class EngineError(AfternoteError):
    """A drafting engine is unknown or could not run."""
