"""Give a fragment the subject it lacks, from its category: who reported, observed or did what."""
from __future__ import annotations

import re

from afternote.drafting.statements import Statement


def with_subject(text: str, statement: Statement) -> str:
    return text
