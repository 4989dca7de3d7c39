"""Who the session was with, when the clinician's software does not say: individual, couples, family or group.

It changes who "the client" is. In a couples session with no identified client, each partner is another person
(docs/annotation.md): what the model reads as the client's is a partner's, and the note says "Partner", never
"Client".
"""
from __future__ import annotations

import re

_COUPLES = re.compile(r"\b(couples?|cpl|conjoint|marital (?:therapy|session)|partner [ab]|both partners)\b", re.I)
# a group named as the session ("Process group", "IOP grp:", "group session"), its members counted, or a
# co-leader; not a group merely mentioned ("found out by group text", "a support group she attends")
_GROUP = re.compile(r"^\W*(?:[\w/#-]+\s+){0,3}(?:group|grp)\b|\b(?:group|grp)\s+(?:session|therapy|tx|note|process)\b|"
                    r"\b\d+\s*(?:/\s*\d+|of\s+\d+)?\s+members\b|\bmembers\s+(?:present|attended)\b|"
                    r"\bco-?(?:leader|facilitator)\b", re.I | re.M)
_FAMILY = re.compile(r"\bfamily (?:session|therapy|tx|meeting)\b|\bfamily (?:attended|present)\b", re.I)
# a client the couple's note is about: "pt", "client", "identified client"
_IDENTIFIED_CLIENT = re.compile(r"\b(pt|pt's|client|client's|cl|ct|patient|identified client|ic)\b", re.I)


def modality_of(summary: str, given: str | None = None) -> str:
    """The session's modality: the one given, else the one the key points name, else individual."""
    if given:
        return given
    head = summary[:200]  # the modality is named up front, if anywhere ("Couples session 6", "IOP group")
    if _COUPLES.search(head):
        return "couples"
    if _GROUP.search(head):
        return "group"
    if _FAMILY.search(head):
        return "family"
    return "individual"


def partners_only(summary: str, modality: str) -> bool:
    """A couples session whose key points name no identified client: each partner is another person."""
    return modality == "couples" and not _IDENTIFIED_CLIENT.search(summary)


def members_only(summary: str, modality: str) -> bool:
    """A group note that names no identified client (a process note for the whole group): each member is another
    person, never "the client"."""
    return modality == "group" and not _IDENTIFIED_CLIENT.search(summary)
