"""A practice with its letterhead, a clinician with a licence number, and a client with a date of birth and a
name beyond Latin-1, whose notes the export tests render."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from testkit.records import (KEY_POINTS, _fast_password_hashing, clinic, database_url, db,  # noqa: F401
                                       keyring)
from afternote.workflow import clients, notes, practice

CLIENT_NAME = "Zoë Дмитриева-Ólafsdóttir"
BIRTH_DATE = dt.date(1990, 4, 2)
LICENCE = "LMFT-104233"
NPI = "1234567893"


@dataclass
class Chart:
    db: object
    clinic: object
    client_id: str
    client_name: str = CLIENT_NAME
    birth_date: dt.date = BIRTH_DATE
    licence: str = LICENCE
    npi: str = NPI

    def note(self, day: dt.date, *, sign: bool = True, key_points: str = KEY_POINTS) -> str:
        """A note of a session on `day`, signed (acknowledging its open warnings) unless `sign` is False."""
        appointment = clients.add_appointment(self.db, self.clinic.clinician, self.client_id, day, dt.time(10),
                                              minutes=53, service="psychotherapy", telehealth="video")
        view = notes.create(self.db, self.clinic.clinician, appointment, key_points)
        if sign:
            codes = [f["code"] for f in notes.open_warnings(view.content)]
            notes.sign(self.db, self.clinic.clinician, view.id, 1, acknowledged=codes)
        return view.id


@pytest.fixture
def chart(db, clinic) -> Chart:
    practice.update_letterhead(db, clinic.owner, name="Harbor Counseling", address="12 Main St, Springfield",
                               phone="555-0100", npi=NPI, paste_headings="capitals")
    practice.update_profile(db, clinic.clinician, display_name="Casey Clin", credentials="LMFT",
                            licence_number=LICENCE)
    clients.update_client(db, clinic.clinician, clinic.client_id, CLIENT_NAME, "MRN-1", BIRTH_DATE)
    return Chart(db, clinic, clinic.client_id)
