"""Who the session was with, when the clinician's software does not say: individual, couples, family or group.

It changes who "the client" is. In a couples session with no identified client, each partner is another person
(docs/annotation.md): what the model reads as the client's is a partner's, and the note says "Partner", never
"Client".
"""
from __future__ import annotations

import re

_COUPLES = re.compile(r"\b(couples?|cpl|conjoint|marital (?:therapy|session)|partner [ab]|both partners|"
                      r"joint session|premarital|pre-marital|discernment counseling|co-?parenting session|"
                      r"gottman|p1\s*/\s*p2)\b", re.I)
# the two partners named as who came, up front: "J + M, s8", "Kim & Lou, s6", "A/B (together 9 yrs)", "session 9
# with Greg and Tanya"; names or initials, never role words ("pt + mom" is a family session)
_NAME = r"(?:[A-Z][a-z]+|[A-Z]\d?)"
_TWO_NAMED = re.compile(rf"^\W*(?:[\w#.:,-]+\s+){{0,5}}?(?:with\s+)?({_NAME})\s*(?:\+|&|/|\band\b)\s*({_NAME})\b"
                        rf"(?!\s*[\d:])")  # not "A/P:" (assessment and plan), not "S/O 2"
_NOT_NAMES = {"Pt", "Client", "Mom", "Dad", "Mother", "Father", "Parents", "Session", "Plan", "Dx", "Hx", "Tx", "S", "O",
              "Risk", "I", "Intake", "Follow", "Group", "Family", "Today", "Writer", "Therapist", "Sx", "Si",
              "Hi", "Grandma", "Grandpa", "Sister", "Brother", "Son", "Daughter", "Wife", "Husband", "Partner"}
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
    if _COUPLES.search(head) or _two_partners_named(head):
        return "couples"
    if _GROUP.search(head):
        return "group"
    if _FAMILY.search(head):
        return "family"
    return "individual"


# letter pairs that are shorthand, not two people: follow-up, without, status post, chief complaint ...
_LETTER_PAIRS = {"FU", "WO", "SP", "DC", "HO", "CO", "NV", "RO", "IM", "SO", "AP", "AO", "BL", "LR", "PT", "OT", "CM"}


def _two_partners_named(head: str) -> bool:
    match = _TWO_NAMED.match(head.split("\n", 1)[0][:120])
    if not match or {match.group(1), match.group(2)} & _NOT_NAMES or match.group(1) == match.group(2):
        return False
    return (match.group(1) + match.group(2)).upper() not in _LETTER_PAIRS


def partners_only(summary: str, modality: str) -> bool:
    """A couples session whose key points name no identified client: each partner is another person."""
    return modality == "couples" and not _IDENTIFIED_CLIENT.search(summary)


def members_only(summary: str, modality: str) -> bool:
    """A group note that names no identified client (a process note for the whole group): each member is another
    person, never "the client"."""
    return modality == "group" and not _IDENTIFIED_CLIENT.search(summary)
