"""rotate-key re-encrypts the chart (details, diagnoses, insurance) and a signature's sealed diagnoses and CPT code,
and re-seals: everything reads and verifies under the new key, and the old key reads none of it."""
import datetime as dt

import pytest

from afternote.records.crypto import Keyring, new_key
from afternote.records.errors import KeyProblem
from afternote.workflow import chart, diagnoses, insurance, keys, notes
from testkit.records import KEY_POINTS, fresh_db, make_clinic  # noqa: F401 (a fixture)


def test_the_chart_and_what_signatures_sealed_survive_a_key_rotation(fresh_db):
    clinic = make_clinic(fresh_db)
    chart.update_details(fresh_db, clinic.clinician, clinic.client_id, pronouns="she/her",
                         emergency_contact=chart.emergency_contact("Robin Roe", "sister", "555-0199"))
    diagnoses.add(fresh_db, clinic.clinician, clinic.client_id, "F41.1", primary=True)
    insurance.save(fresh_db, clinic.clinician, clinic.client_id, insurance.InsuranceView(
        "Acme Health", "M-1", "A-7", 10, dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    note = notes.create(fresh_db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(fresh_db, clinic.clinician, note.id, 1,
               acknowledged=[f["code"] for f in notes.open_warnings(note.content)], cpt="90834")
    before = chart.show_chart(fresh_db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 1))

    old, new = fresh_db.keyring, Keyring((new_key(),))
    fresh_db.keyring = Keyring(new.keys + old.keys)  # as during a rotation: both keys on hand
    assert keys.rotate(fresh_db, clinic.owner, new) > 0
    fresh_db.keyring = new
    assert chart.show_chart(fresh_db, clinic.clinician, clinic.client_id, dt.date(2026, 3, 1)) == before
    assert notes.verify(fresh_db, clinic.clinician, note.id).ok
    signed = notes.show(fresh_db, clinic.clinician, note.id).signatures[0]
    assert signed.cpt == "90834" and signed.diagnoses[0]["code"] == "F41.1"
    fresh_db.keyring = old
    with pytest.raises(KeyProblem):
        chart.show_chart(fresh_db, clinic.clinician, clinic.client_id)
