"""A client's chart beyond the name and date of birth: pronouns, the referral source and an emergency contact
(encrypted like the rest), and the whole chart as the client's page shows it (with the diagnoses and insurance of
diagnoses.py and insurance.py).

Every change is audited one event per field changed: the record type names the field ("client_pronouns"), the
record id the client; the values never leave the encrypted columns.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from afternote.errors import InputError
from afternote.records.database import Database
from afternote.records.models import Client
from afternote.workflow import access, audit, diagnoses, insurance
from afternote.workflow.actor import Actor

KEEP = object()  # an update_details argument that leaves the value as recorded
LIMITS = {"pronouns": 50, "referral_source": 200, "name": 200, "relationship": 100, "phone": 50}


@dataclass(frozen=True)
class EmergencyContact:
    name: str
    relationship: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Details:
    pronouns: str | None = None
    referral_source: str | None = None
    emergency_contact: EmergencyContact | None = None


@dataclass(frozen=True)
class Chart:
    """Everything the client's page shows of the chart."""

    client_id: str
    details: Details
    diagnoses: list = field(default_factory=list)  # diagnoses.DiagnosisView, active first
    insurance: "insurance.InsuranceView | None" = None
    today: dt.date | None = None  # the practice's day the chart was read on (what "active" is reckoned on)


def _text(value: str | None, what: str) -> str | None:
    value = (value or "").strip()
    if len(value) > LIMITS[what]:
        raise InputError(f"The {what.replace('_', ' ')} is at most {LIMITS[what]} characters.")
    return value or None


def details_of(db: Database, client: Client) -> Details:
    k = db.keyring
    contact = k.decrypt(client.emergency_contact_enc, "clients", "emergency_contact_enc", client.id)
    return Details(k.decrypt(client.pronouns_enc, "clients", "pronouns_enc", client.id),
                   k.decrypt(client.referral_source_enc, "clients", "referral_source_enc", client.id),
                   EmergencyContact(**json.loads(contact)) if contact else None)


def emergency_contact(name: str | None, relationship: str | None = None,
                      phone: str | None = None) -> EmergencyContact | None:
    """The contact as given (None when nothing is), checked: a relationship or phone needs a name."""
    name, relationship, phone = (_text(name, "name"), _text(relationship, "relationship"), _text(phone, "phone"))
    if not name:
        if relationship or phone:
            raise InputError("An emergency contact needs a name (with the relationship and phone).")
        return None
    return EmergencyContact(name, relationship or "", phone or "")


def update_details(db: Database, actor: Actor, client_id: str, *, pronouns: "str | None | object" = KEEP,
                   referral_source: "str | None | object" = KEEP,
                   emergency_contact: "EmergencyContact | None | object" = KEEP) -> Details:
    """Set what is given (None clears it; KEEP leaves it): the client's clinician, or an owner."""
    access.require_writer(actor)
    k = db.keyring
    with db.session(write=True) as session:
        client = editable_client(session, actor, client_id)
        before = details_of(db, client)
        new = {"pronouns": before.pronouns if pronouns is KEEP else _text(pronouns, "pronouns"),
               "referral_source": before.referral_source if referral_source is KEEP
               else _text(referral_source, "referral_source"),
               "emergency_contact": before.emergency_contact if emergency_contact is KEEP else emergency_contact}
        after = Details(**new)
        for name in new:
            if getattr(before, name) == getattr(after, name):
                continue
            value = new[name]
            plain = json.dumps(value.__dict__) if isinstance(value, EmergencyContact) else value
            setattr(client, f"{name}_enc", k.encrypt(plain, "clients", f"{name}_enc", client.id))
            audit.record(session, actor, "edit", f"client_{name}", client.id)
        return after


def editable_client(session, actor: Actor, client_id: str) -> Client:
    """The client, if the caller may change their chart (their clinician, or an owner)."""
    client = access.get_client(session, actor, client_id)
    if client.clinician_id != actor.user_id and actor.role != "owner":
        raise access.NotAllowed("Only the client's clinician (or an owner) can change the client's chart.")
    return client


def show_chart(db: Database, actor: Actor, client_id: str, today: dt.date | None = None) -> Chart:
    """The client's chart (the view is audited)."""
    with db.session(write=True) as session:
        client = access.get_client(session, actor, client_id)
        today = today or diagnoses.practice_today(session, client.practice_id)
        chart = Chart(client.id, details_of(db, client), diagnoses.of_client(db, session, client.id, today),
                      insurance.of_client(db, session, client.id, today), today)
        audit.record(session, actor, "view", "client_chart", client.id)
        return chart
