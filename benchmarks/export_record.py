"""A five-year client record to one PDF: 260 weekly sessions, each note signed, one in ten with an addendum.

Times `afternote clients export CLIENT --as pdf` through the export service (authorization, decryption, a seal
check per note and the audit event included; target: under 5 s), and the same record as a FHIR Bundle for
comparison (each note's document carries its own PDF, so it renders 260 more).

    .venv/bin/python benchmarks/export_record.py [--notes 260] [--fhir]

The notes are made through the services (drafted, signed and addended as a clinician would), on SQLite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test helpers: tests/testkit
from testkit.records import KEY_POINTS, make_clinic
from afternote.workflow import clients, exports, notes, practice


def load(db: Database, count: int):
    from argon2 import PasswordHasher
    from afternote.workflow import users
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # setup only
    clinic = make_clinic(db, "Zoë Дмитриева")
    practice.update_letterhead(db, clinic.owner, name="Harbor Counseling", address="12 Main St, Springfield",
                               phone="555-0100", npi="1234567893")
    clients.update_client(db, clinic.clinician, clinic.client_id, birth_date=dt.date(1990, 4, 2))
    first = dt.date(2021, 1, 4)
    for week in range(count):
        appointment = clients.add_appointment(db, clinic.clinician, clinic.client_id, first + dt.timedelta(weeks=week),
                                              dt.time(10), minutes=53, service="psychotherapy")
        view = notes.create(db, clinic.clinician, appointment, KEY_POINTS)
        notes.sign(db, clinic.clinician, view.id, 1,
                   acknowledged=[f["code"] for f in notes.open_warnings(view.content)])
        if week % 10 == 0:
            notes.addend(db, clinic.clinician, view.id, "Client called to confirm the next session.", "late entry")
    return clinic, first, first + dt.timedelta(weeks=count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=260)
    parser.add_argument("--fhir", action="store_true", help="also time the record as a FHIR Bundle")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db", Keyring((new_key(),)))
        db.migrate()
        started = time.perf_counter()
        clinic, start, end = load(db, args.notes)
        print(f"setup: {args.notes} signed notes in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        export = exports.export_client_record(db, clinic.clinician, clinic.client_id, "pdf", start, end)
        seconds = time.perf_counter() - started
        pages = len(PdfReader(io.BytesIO(export.content)).pages)
        print(f"record to PDF: {seconds:.2f} s ({pages} pages, {len(export.content) / 1e6:.1f} MB); target < 5 s: "
              f"{'met' if seconds < 5 else 'NOT met'}")
        if args.fhir:
            started = time.perf_counter()
            export = exports.export_client_record(db, clinic.clinician, clinic.client_id, "fhir", start, end)
            print(f"record to FHIR: {time.perf_counter() - started:.2f} s ({len(export.content) / 1e6:.1f} MB)")
        db.dispose()


if __name__ == "__main__":
    main()
