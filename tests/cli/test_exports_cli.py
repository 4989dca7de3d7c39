"""The export commands as one clinician on one computer uses them: a note as each format, a client's record for
a period, the letterhead, the licence number and the date of birth they print."""
from __future__ import annotations

import io
import json
import re
import stat

from pypdf import PdfReader

from testkit.records import _fast_password_hashing  # noqa: F401

KEY_POINTS = "Pt reports anxiety 7/10 at work; sleep ~5h. SI/HI neg. Used CBT thought record. Plan: f/u 1wk.\n"
ID = re.compile(r"[0-9a-f]{32}")


def signed_note(run) -> tuple[str, str]:
    run("init", "--practice", "Solo", "--username", "dana", "--name", "Dana Lee", "--credentials", "LCSW")
    client = ID.search(run("clients", "add", "Jane Roe", "--identifier", "MRN-7", "--birth-date", "1988-02-03")
                       .output).group()
    appointment = ID.search(run("appointments", "add", client, "--date", "2026-01-05", "--start", "10:00",
                                "--minutes", "53").output).group()
    note = ID.search(run("notes", "new", appointment, "-", stdin=KEY_POINTS).output).group()
    run("notes", "sign", note, "--version", "1", "--acknowledge", "no-client-response")
    return client, note


def test_note_exports_to_a_private_file_named_by_its_id(run, tmp_path, monkeypatch):
    client, note = signed_note(run)
    run("practice", "letterhead", "--address", "1 Elm St", "--phone", "555-0199", "--npi", "1234567893")
    run("user", "licence", "LCSW-7781")
    monkeypatch.chdir(tmp_path)
    run("notes", "export", note, "--as", "pdf")
    pdf = tmp_path / f"note-{note}.pdf"
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    for expected in ("Solo", "1 Elm St", "NPI 1234567893", "Jane Roe", "1988-02-03", "CPT 90837", "licence LCSW-7781"):
        assert expected in text, expected
    refused = run("notes", "export", note, "--as", "pdf", code=2)
    assert "exists" in refused.output and "nothing was exported" in refused.output
    out = tmp_path / "note.json"
    run("notes", "export", note, "--as", "fhir", "-o", str(out))
    assert json.loads(out.read_text())["resourceType"] == "Bundle"
    assert "Subjective:" in run("notes", "export", note, "--as", "text", "-o", "-").stdout
    assert "not an export format" in run("notes", "export", note, "--as", "rtf", code=2).output
    trail = run("audit", "--action", "export").output
    assert trail.count("note_pdf") == 1 and "note_fhir" in trail and "Jane" not in trail


def test_client_record_and_a_corrected_date_of_birth(run, tmp_path):
    client, _note = signed_note(run)
    run("clients", "edit", client, "--birth-date", "1988-02-04")
    out = tmp_path / "record.pdf"
    run("clients", "export", client, "--as", "pdf", "--from", "2026-01-01", "--to", "2026-01-31", "-o", str(out))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Signed notes: 1" in text and "1988-02-04" in text and "MRN-7" in text
    refused = run("clients", "export", client, "--as", "pdf", "--from", "2026-02-01", "--to", "2026-01-01", code=2)
    assert "before it starts" in refused.output
    assert "client_record_pdf" in run("audit", "--action", "export").output


def test_client_record_holds_the_plan_versions_signed_in_the_period(run, tmp_path):
    import datetime as dt

    from testkit.plans import complete_plan
    client, _note = signed_note(run)
    document = tmp_path / "plan.json"
    document.write_text(json.dumps(complete_plan()))
    plan = ID.search(run("plans", "new", client, str(document)).output).group()
    run("plans", "sign", plan, "--version", "1")
    today = dt.date.today()  # the signature is made now
    out = tmp_path / "record.pdf"
    run("clients", "export", client, "--as", "pdf", "--from", "2026-01-01", "--to",
        (today + dt.timedelta(days=1)).isoformat(), "-o", str(out))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Signed treatment plan versions: 1" in text and "Treatment plan, version 1 (the active plan)" in text
    assert "Intervention 1: CBT · weekly · for 12 weeks" in text and "Signed: Dana Lee, LCSW" in text
    fhir = tmp_path / "record.json"
    run("clients", "export", client, "--as", "fhir", "--from", "2026-01-01", "--to",
        (today + dt.timedelta(days=1)).isoformat(), "-o", str(fhir))
    kinds = [e["resource"]["resourceType"] for e in json.loads(fhir.read_text())["entry"]]
    assert kinds.count("CarePlan") == 1 and kinds.count("Goal") == 2
