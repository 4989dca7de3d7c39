"""A signed note's chain of seals, and the checks that it still holds.

The chain is the note's signature, then its co-signature and addenda in the order they were made. Each link from
seal shape 2 on covers the hash of the link before it, and the note's head seal covers its status, signing time,
the co-signature it awaits and the hash of every link; so a link removed, added or reordered, a status set back or a
requirement cleared no longer verifies. Signing, co-signing, addenda, verify and key rotation all build the sealed
bytes here, from the stored rows, so what is sealed and what is checked cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from afternote.records.crypto import Keyring
from afternote.records.errors import KeyProblem, RecordTampered
from afternote.records.models import Addendum, Appointment, Note, NoteVersion, Signature
from afternote.workflow import signing
from afternote.workflow.clients import typed_times

Link = Signature | Addendum
UNREADABLE = (RecordTampered, KeyProblem, AttributeError, TypeError, ValueError)


def links(session: Session, note_id: str) -> list[Link]:
    """The note's chain: its signature first, then co-signatures and addenda by the time they were made."""
    rows: list[Link] = [*session.scalars(select(Signature).where(Signature.note_id == note_id)),
                        *session.scalars(select(Addendum).where(Addendum.note_id == note_id))]
    return sorted(rows, key=lambda r: (not _is_sign(r), made_at(r), r.id))


def made_at(link: Link) -> dt.datetime:
    return link.signed_at if isinstance(link, Signature) else link.created_at


def next_time(chain: list[Link], now: dt.datetime) -> dt.datetime:
    """The time for a new link: now, but never before the link it follows (a clock set back would reorder)."""
    if chain and made_at(chain[-1]) >= now:
        return made_at(chain[-1]) + dt.timedelta(microseconds=1)
    return now


def seal_link(keyring: Keyring, session: Session, note: Note, link: Link, chain: list[Link]) -> None:
    """Hash and seal a new link (its other fields set) as the next after `chain`, in the current shape."""
    link.seal_version = signing.SHAPE
    data = payload(keyring, session, note, link, chain)
    link.content_sha256, link.seal = signing.sha256(data), keyring.seal(note.practice_id, data)


def seal_head(keyring: Keyring, session: Session, note: Note) -> None:
    """Seal the note's head as it now stands in the database (call after every change to its chain or status)."""
    session.flush()
    session.refresh(note)
    note.head_seal = keyring.seal(note.practice_id, head_payload(note, links(session, note.id)))
    session.flush()


def head_payload(note: Note, chain: list[Link]) -> bytes:
    return signing.head_payload(note.id, note.status, _iso(note.signed_at), note.awaiting_cosign_by,
                                [link.content_sha256 for link in chain])


def payload(keyring: Keyring, session: Session, note: Note, link: Link, before: list[Link]) -> bytes:
    """The bytes `link` is sealed over, built from what is stored now; `before`: the links ahead of it."""
    shape = link.seal_version or 1
    follows = before[-1].content_sha256 if before else None
    if isinstance(link, Addendum):
        reason = keyring.decrypt(link.reason_enc, "addenda", "reason_enc", link.id)
        text = keyring.decrypt(link.text_enc, "addenda", "text_enc", link.id)
        return signing.addendum_payload(note.id, link.id, link.author_id, link.credentials,
                                        link.created_at.isoformat(), reason, text, shape=shape,
                                        author_name=link.author_name, follows=follows)
    if shape == 1:  # a co-signature followed the signature itself
        follows = next((s.content_sha256 for s in before if _is_sign(s)), None) if link.kind == "cosign" else None
    version = session.scalar(select(NoteVersion).where(NoteVersion.note_id == note.id,
                                                       NoteVersion.number == link.version))
    content = json.loads(keyring.decrypt(version.content_enc, "note_versions", "content_enc", version.id))
    return signing.note_payload(note.id, note.client_id, note.appointment_id, link.version, content,
                                kind=link.kind, signer_id=link.signer_id, credentials=link.credentials,
                                signed_at=link.signed_at.isoformat(), follows=follows,
                                attested=attested(keyring, link), shape=shape, signer_name=link.signer_name,
                                session=sealed_session(keyring, session.get(Appointment, note.appointment_id)),
                                diagnoses=sealed_diagnoses(keyring, link), cpt=confirmed_cpt(keyring, link))


def sealed_diagnoses(keyring: Keyring, sig: Signature) -> list[dict]:
    """The diagnoses a signature sealed (shape 4): code, description, primary; [] for none or an older shape."""
    plain = keyring.decrypt(sig.diagnoses_enc, "signatures", "diagnoses_enc", sig.id)
    return json.loads(plain) if plain else []


def confirmed_cpt(keyring: Keyring, sig: Signature) -> str | None:
    """The CPT code the signer confirmed (shape 4), None when not billed or sealed before shape 4."""
    return keyring.decrypt(sig.cpt_enc, "signatures", "cpt_enc", sig.id)


def attested(keyring: Keyring, sig: Signature) -> dict | None:
    """What a stored signature attests, as it was sealed."""
    reason = keyring.decrypt(sig.late_reason_enc, "signatures", "late_reason_enc", sig.id) \
        if sig.late_reason_enc else None
    return signing.attested_of(json.loads(sig.acknowledged) if sig.acknowledged else None, bool(sig.late), reason)


def sealed_session(keyring: Keyring, appointment: Appointment) -> dict:
    """The session as a signed note asserts it: when (its wall-clock times in the zone they were typed in, as
    sealed before times were stored in UTC), how long, what service, how, and who attended."""
    attendees = keyring.decrypt(appointment.attendees_enc, "appointments", "attendees_enc", appointment.id)
    starts, ends = typed_times(appointment)
    return {"date": appointment.date.isoformat(), "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(), "minutes": appointment.minutes,
            "service": appointment.service, "modality": appointment.modality, "telehealth": appointment.telehealth,
            "attendees": json.loads(attendees) if attendees else []}


def problems(keyring: Keyring, session: Session, note: Note) -> list[str]:
    """Everything that no longer holds: the note's state against its chain, each link's hash and seal, the head
    seal. Empty when the note is as it was signed. The messages name records by kind and id, never health data."""
    chain = links(session, note.id)
    found = _state_problems(session, note, chain)
    for i, link in enumerate(chain):
        label = _label(link)
        try:
            data = payload(keyring, session, note, link, chain[:i])
        except UNREADABLE:
            found.append(f"the {label} cannot be read: altered outside afternote or encrypted under a key not in "
                         "the keyring")
            continue
        if signing.sha256(data) != link.content_sha256:
            found.append(f"the {label} hash does not match what it signed")
        if not keyring.check_seal(note.practice_id, data, link.seal):
            found.append(f"the {label} seal does not match: the signed record, the session's details, the "
                         "diagnoses or CPT code signed, the signer or the link before it was changed or removed")
    if note.head_seal is None:
        if any((link.seal_version or 1) >= 2 for link in chain):
            found.append("the note's head seal is missing: its status or signatures were changed outside afternote")
    elif not keyring.check_seal(note.practice_id, head_payload(note, chain), note.head_seal):
        found.append("the note's head seal does not match: its status, signing time, awaited co-signature, or "
                     "its list of signatures and addenda was changed")
    return found


def _state_problems(session: Session, note: Note, chain: list[Link]) -> list[str]:
    """What the note's head says against what its chain holds."""
    signs = [link for link in chain if _is_sign(link)]
    addenda = [link for link in chain if isinstance(link, Addendum)]
    if note.status == "draft":
        return ["the note is a draft but carries a signature: it was set back to draft outside afternote"] \
            if chain else []
    found = []
    if not signs:
        found.append("the note is marked signed but has no signature")
    elif len(signs) > 1:
        found.append(f"the note has {len(signs)} signatures; a note is signed once")
    else:
        if signs[0].version != note.current_version:
            found.append("the note's current version is not the signed one")
        if note.signed_at != signs[0].signed_at:
            found.append("the note's signing time is not its signature's")
    if note.status == "amended" and not addenda:
        found.append("the note is marked amended but has no addendum")
    if note.status == "signed" and addenda:
        found.append(f"the note is marked signed but has {len(addenda)} addend{'a' if len(addenda) > 1 else 'um'}")
    if session.scalar(select(Appointment.open).where(Appointment.id == note.appointment_id)):
        found.append("the session was reopened after its note was signed")
    return found


def _is_sign(link: Link) -> bool:
    return isinstance(link, Signature) and link.kind == "sign"


def _label(link: Link) -> str:
    if isinstance(link, Addendum):
        return f"addendum {link.id}"
    return f"{'co-signature' if link.kind == 'cosign' else 'signature'} of version {link.version}"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def reseal(old: Keyring, new: Keyring, session: Session, note: Note) -> None:
    """Seal the note's chain and head again under `new.current`, its values already re-encrypted under `new`,
    after checking each seal under `old`: RecordTampered if one fails, so a rotation never launders a change."""
    def sealed_again(data: bytes, seal: str) -> str:
        if not old.check_seal(note.practice_id, data, seal):
            raise RecordTampered(f"Note {note.id} fails verification; rotation stopped and nothing changed. "
                                 "Run `afternote notes verify` and restore the note from a backup first.")
        return new.seal(note.practice_id, data)

    chain = links(session, note.id)
    for i, link in enumerate(chain):
        link.seal = sealed_again(payload(new, session, note, link, chain[:i]), link.seal)
    if note.head_seal is not None:
        note.head_seal = sealed_again(head_payload(note, chain), note.head_seal)
