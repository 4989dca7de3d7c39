"""What a signature covers: canonical bytes of a note version (or an addendum) and the signer's details.

The SHA-256 of these bytes detects accidental change; the HMAC seal under the practice's key detects a deliberate
edit of content and hash together, since only a holder of the key can make a seal that verifies.
"""
from __future__ import annotations

import hashlib
import json


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def note_payload(note_id: str, client_id: str, appointment_id: str, version: int, content: dict, *, kind: str,
                 signer_id: str, credentials: str, signed_at: str, follows: str | None = None,
                 attested: dict | None = None) -> bytes:
    """`attested`: what the signer acknowledged (open warnings, lateness and its reason); sealed with the content,
    and left out when empty, so signatures made before it existed verify as they did."""
    sections = [{"key": s["key"], "title": s["title"], "text": s["text"]} for s in content["sections"]]
    payload = {"note": note_id, "client": client_id, "appointment": appointment_id, "version": version,
               "format": content["format"], "sections": sections, "kind": kind, "signer": signer_id,
               "credentials": credentials, "signed_at": signed_at, "follows": follows}
    if attested:
        payload["attested"] = attested
    return canonical(payload)


def attested_of(acknowledged: list[str] | None, late: bool, late_reason: str | None) -> dict | None:
    """The attestation as sealed: only what is there."""
    out: dict = {}
    if acknowledged:
        out["acknowledged"] = sorted(acknowledged)
    if late:
        out["late"] = True
        if late_reason:
            out["late_reason"] = late_reason
    return out or None


def addendum_payload(note_id: str, addendum_id: str, author_id: str, credentials: str, created_at: str,
                     reason: str, text: str) -> bytes:
    return canonical({"note": note_id, "addendum": addendum_id, "author": author_id, "credentials": credentials,
                      "created_at": created_at, "reason": reason, "text": text})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
