"""What a seal covers: canonical bytes of a signature (or co-signature) of a note version, of an addendum, and of
the note's head (its status and the list of links in its chain).

The SHA-256 of these bytes detects accidental change; the HMAC seal under the practice's key detects a deliberate
edit of content and hash together, since only a holder of the key can make a seal that verifies.

Payload shapes (each seal stores the shape it was made over, so a signature keeps verifying as it was made):
1. the note's content, the signer's id and credentials, the time and the attestation; a co-signature follows the
   signature's hash; addenda stand alone.
2. shape 1, and the session as the note records it (date, times, minutes, service, modality, telehealth,
   attendees), the signer's name, and the hash of the link before it in the note's chain (see chain.py).
3. shape 2, and the treatment-plan goals and objectives the note links (the plan and its signed version, each
   goal's and objective's id and words, the progress written per objective); a note that links none seals an
   empty link.
4. shape 3, and the client's diagnoses active at signing (each code, description, and whether it is primary) and
   the CPT code the clinician confirmed (None: not billed), as the signature row stores them; a co-signature seals
   none of its own (it seals the signature's hash, which covers them).
"""
from __future__ import annotations

import hashlib
import json

SHAPE = 4  # the shape new seals are made over


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def note_payload(note_id: str, client_id: str, appointment_id: str, version: int, content: dict, *, kind: str,
                 signer_id: str, credentials: str, signed_at: str, follows: str | None = None,
                 attested: dict | None = None, shape: int = 1, signer_name: str | None = None,
                 session: dict | None = None, diagnoses: list[dict] | None = None,
                 cpt: str | None = None) -> bytes:
    """`attested`: what the signer acknowledged (open warnings, lateness and its reason); sealed with the content,
    and left out when empty, so signatures made before it existed verify as they did. `signer_name` and `session`
    are sealed from shape 2 on, the plan links from shape 3 on, `diagnoses` and the confirmed `cpt` from shape 4 on."""
    sections = [{"key": s["key"], "title": s["title"], "text": s["text"]} for s in content["sections"]]
    payload = {"note": note_id, "client": client_id, "appointment": appointment_id, "version": version,
               "format": content["format"], "sections": sections, "kind": kind, "signer": signer_id,
               "credentials": credentials, "signed_at": signed_at, "follows": follows}
    if attested:
        payload["attested"] = attested
    if shape >= 2:
        payload.update(shape=shape, signer_name=signer_name, session=session)
    if shape >= 3:
        payload["plan_links"] = content.get("plan_links") or {}
    if shape >= 4:
        payload.update(diagnoses=diagnoses or [], cpt=cpt)
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
                     reason: str, text: str, *, shape: int = 1, author_name: str | None = None,
                     follows: str | None = None) -> bytes:
    payload = {"note": note_id, "addendum": addendum_id, "author": author_id, "credentials": credentials,
               "created_at": created_at, "reason": reason, "text": text}
    if shape >= 2:
        payload.update(shape=shape, author_name=author_name, follows=follows)
    return canonical(payload)


def head_payload(note_id: str, status: str, signed_at: str | None, awaiting_cosign_by: str | None,
                 links: list[str]) -> bytes:
    """The note's head as it stands: a status set back, a signing time moved, an awaited co-signature cleared, or a
    link removed from the end of the chain changes these bytes. `links`: each link's hash, in chain order."""
    return canonical({"head": note_id, "status": status, "signed_at": signed_at,
                      "awaiting_cosign_by": awaiting_cosign_by, "links": links})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plan_payload(plan_id: str, client_id: str, version: int, document: dict, *, signer_id: str, signer_name: str,
                 credentials: str, signed_at: str, shape: int = 1) -> bytes:
    """A treatment plan version as its signature seals it: the whole document (problems, goals, objectives,
    interventions, start date, the client's agreement), the signer and the time."""
    return canonical({"plan": plan_id, "client": client_id, "version": version, "document": document,
                      "signer": signer_id, "signer_name": signer_name, "credentials": credentials,
                      "signed_at": signed_at, "shape": shape})
