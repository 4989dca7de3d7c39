"""`afternote clients chart|details|diagnose|diagnosis|insurance|icd10` and `notes sign --cpt`: the chart from the
command line (SQLite), and what a signature seals."""
from __future__ import annotations

import re

from testkit.records import _fast_password_hashing  # noqa: F401

ID = re.compile(r"[0-9a-f]{32}")


def test_a_clients_chart_from_the_command_line(run):
    run("init", "--username", "dana")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    assert "F41.1    Generalized anxiety disorder" in run("clients", "icd10", "generalized", "anxiety").output
    run("clients", "details", client, "--pronouns", "she/her", "--contact-name", "Robin Roe", "--contact-phone",
        "555-0199")
    added = run("clients", "diagnose", client, "f411", "--primary", "--start", "2026-01-05").output
    diagnosis = ID.search(added).group()
    assert "F41.1 Generalized anxiety disorder (primary)" in added
    run("clients", "insurance", client, "--payer", "Acme Health", "--sessions", "1", "--start", "2026-01-01",
        "--end", "2026-12-31")
    shown = run("clients", "chart", client).output
    assert "Pronouns: she/her" in shown and "Emergency contact: Robin Roe, 555-0199" in shown
    assert f"{diagnosis}  F41.1 Generalized anxiety disorder (primary)  2026-01-05 to now" in shown
    assert "Insurance: Acme Health" in shown and "1 sessions, 2026-01-01 to 2026-12-31; 0 used" in shown
    assert "Warning: 1 authorized session left of 1" in shown
    run("clients", "diagnosis", diagnosis, "--end", "2026-01-31")
    assert "(ended)" in run("clients", "chart", client).output


def test_bad_codes_are_one_line_saying_what_to_do(run):
    run("init", "--username", "dana")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    refused = run("clients", "diagnose", client, "F32", code=2)
    assert "not a billable ICD-10-CM code" in refused.output and "Traceback" not in refused.output
    assert "No billable ICD-10-CM code matches" in run("clients", "icd10", "xyzzyq", code=2).output


def test_sign_seals_the_suggested_or_the_confirmed_code_and_the_diagnoses(run):
    run("init", "--username", "dana")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    run("clients", "diagnose", client, "F41.1", "--primary")
    signed = []
    for day, cpt in (("05", None), ("12", "90834-95")):
        appointment = ID.search(run("appointments", "add", client, "--date", f"2026-01-{day}", "--start", "10:00",
                                    "--minutes", "53", "--telehealth", "video").output).group()
        note = ID.search(run("notes", "new", appointment, "-",
                             stdin="Pt reports worry at work. Affect anxious, fidgeting. SI/HI neg. Used CBT. Pt engaged. Plan: f/u 1wk.\n").output).group()
        if cpt:
            assert "not a CPT code" in run("notes", "sign", note, "--version", "1", "--cpt", "9083", code=2).output
        signed.append(run("notes", "sign", note, "--version", "1", *(["--cpt", cpt] if cpt else [])).output)
        assert "intact" in run("notes", "verify", note).output
    assert "CPT 90837-95; diagnoses: F41.1 Generalized anxiety disorder" in signed[0]  # the suggestion, video
    assert "CPT 90834-95; diagnoses: F41.1 Generalized anxiety disorder" in signed[1]
