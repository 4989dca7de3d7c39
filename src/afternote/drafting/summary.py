"""What the key points must be before drafting: text, not empty, not huge, not binary."""
from __future__ import annotations

import re

from afternote.errors import InputError

# About ten typed pages: far beyond 2-3 minutes of key points, small enough to draft in milliseconds.
MAX_SUMMARY_CHARS = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_summary(summary: object) -> str:
    """The summary, unchanged, or InputError saying what is wrong and what to do."""
    if isinstance(summary, bytes):
        try:
            summary = summary.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the key points are not UTF-8 text (binary data?). Paste or save them as plain "
                             "text and try again.") from None
    if not isinstance(summary, str):
        raise InputError("the key points must be text.")
    if not summary.strip():
        raise InputError("the key points are empty. Type what happened in the session (concerns, "
                         "interventions, response, plan) and draft again.")
    if len(summary) > MAX_SUMMARY_CHARS:
        raise InputError(f"the key points are {len(summary):,} characters; the limit is {MAX_SUMMARY_CHARS:,}. "
                         "Key points are a few lines: shorten them, or draft one session at a time.")
    if "\x00" in summary or len(_CONTROL.findall(summary)) > 0:
        raise InputError("the key points contain control characters (binary data or a damaged paste). "
                         "Paste them again as plain text.")
    return summary
