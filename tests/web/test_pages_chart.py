"""The chart on the client's page without our script (forms post, in-process, on SQLite and PostgreSQL): details,
a code found by words and added, ended, insurance with its warning on the page and on Today; the sign form takes the
CPT code prefilled from the suggestion, and the note and print pages show what was sealed."""

from afternote.workflow import diagnoses, notes
from testkit.pages import signed_in_page
from testkit.records import KEY_POINTS, PASSWORD


def test_the_chart_is_kept_on_the_clients_page(client, clinic, db):
    csrf = signed_in_page(client, clinic.clinician)
    page = f"/clients/{clinic.client_id}"
    assert "No diagnoses on the chart" in client.get(page).text
    saved = client.post(f"{page}/chart", data={"csrf_token": csrf, "pronouns": "they/them",
                                               "contact_name": "Robin Example", "contact_phone": "555-0199"})
    assert saved.status_code == 200 and saved.url.path == page
    assert "they/them" in saved.text and "Robin Example, 555-0199" in saved.text
    found = client.post(f"{page}/diagnoses/search", data={"csrf_token": csrf, "q": "generalized anxiety"})
    assert found.status_code == 200 and "generalized" not in str(found.url)  # the words stay out of the URL
    assert 'value="F41.1"' in found.text
    added = client.post(f"{page}/diagnoses", data={"csrf_token": csrf, "code": "F41.1", "primary": "true",
                                                   "starts_on": "2026-01-05", "ends_on": ""})
    assert added.status_code == 200 and "Generalized anxiety disorder <strong>(primary)</strong>" in added.text
    diagnosis = diagnoses.list_diagnoses(db, clinic.clinician, clinic.client_id)[0]
    ended = client.post(f"{page}/diagnoses/{diagnosis.id}", data={"csrf_token": csrf, "action": "end",
                                                                  "ends_on": ""})
    assert "(ended)" in ended.text
    insured = client.post(f"{page}/insurance", data={
        "csrf_token": csrf, "payer": "Acme Health", "member_id": "M-1", "authorization": "A-7",
        "authorized_sessions": "2", "authorized_from": "2026-01-01", "authorized_to": ""})
    assert "Acme Health" in insured.text and "1 of 2 sessions used" in insured.text
    assert "Insurance authorization: 1 authorized session left of 2" in insured.text
    today = client.get("/").text
    assert "Insurance authorizations running out" in today and "1 authorized session left of 2" in today


def test_a_refusal_shows_by_its_form_and_keeps_the_page(client, clinic):
    csrf = signed_in_page(client, clinic.clinician)
    page = f"/clients/{clinic.client_id}"
    refused = client.post(f"{page}/diagnoses", data={"csrf_token": csrf, "code": "F32"})
    assert refused.status_code == 422 and "not a billable ICD-10-CM code" in refused.text
    backwards = client.post(f"{page}/insurance", data={"csrf_token": csrf, "payer": "Acme",
                                                       "authorized_from": "2026-06-01",
                                                       "authorized_to": "2026-01-01"})
    assert backwards.status_code == 422 and "Check the dates" in backwards.text
    none = client.post(f"{page}/diagnoses/search", data={"csrf_token": csrf, "q": "xyzzyq"})
    assert "No billable code matches" in none.text


def test_the_sign_form_confirms_the_code_and_the_note_shows_what_was_sealed(client, clinic, db):
    csrf = signed_in_page(client, clinic.clinician)
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F41.1", primary=True)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    form = client.get(f"/notes/{note.id}").text
    assert 'name="cpt"' in form and 'value="90837"' in form  # the suggestion, prefilled
    assert "F41.1 Generalized anxiety disorder (primary)" in form
    warnings = [f["code"] for f in notes.open_warnings(note.content)]
    data = {"csrf_token": csrf, "version": "1", "password": PASSWORD, "acknowledged": warnings}
    refused = client.post(f"/notes/{note.id}/sign", data={**data, "cpt": "9083"})
    assert refused.status_code == 422 and "not a CPT code" in refused.text and 'value="9083"' in refused.text
    signed = client.post(f"/notes/{note.id}/sign", data={**data, "cpt": "90834"})
    assert signed.status_code == 200
    assert "CPT 90834 · Diagnoses: F41.1 Generalized anxiety disorder (primary)" in signed.text
    assert "Integrity verified" in signed.text
    printed = client.get(f"/notes/{note.id}/print").text
    assert "CPT 90834 · Diagnoses at signing: F41.1 Generalized anxiety disorder (primary)" in printed
