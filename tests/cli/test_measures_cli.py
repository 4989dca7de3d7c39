"""`afternote clients measures`: a client's scores per instrument as typed in each session's key points."""
from __future__ import annotations

import json
import re

from testkit.records import _fast_password_hashing  # noqa: F401

ID = re.compile(r"[0-9a-f]{32}")
PLAN = " Used CBT thought record. Plan: f/u 1wk.\n"


def test_a_clients_scores_per_instrument_in_text_and_json(run):
    run("init", "--username", "dana")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    assert "No scores typed" in run("clients", "measures", client).output
    for day, typed in (("05", "PHQ-9 18, GAD-7 11"), ("12", "PHQ-9 = 12/27")):
        appointment = ID.search(run("appointments", "add", client, "--date", f"2026-01-{day}", "--start", "10:00",
                                    "--minutes", "53").output).group()
        run("notes", "new", appointment, "-", stdin=typed + PLAN)
    shown = run("clients", "measures", client).output
    assert "PHQ-9 (scored 0-27): PHQ-9: 2 scores from 2026-01-05 to 2026-01-12" in shown
    assert re.search(r"2026-01-12\s+12\s+moderate", shown) and "GAD-7 (scored 0-21)" in shown
    only = json.loads(run("clients", "measures", client, "--instrument", "phq9", "--json").output)
    assert [(p["date"], p["score"], p["band"]) for p in only["instruments"][0]["points"]] == [
        ("2026-01-05", 18, "moderately severe"), ("2026-01-12", 12, "moderate")]
    assert len(only["instruments"]) == 1
    assert "0 scores read from earlier notes." in run("practice", "read-measures").output  # all read already


def test_an_unknown_client_is_one_line_and_exit_code_2(run):
    run("init", "--username", "dana")
    refused = run("clients", "measures", "0" * 32, code=2)
    assert "No client" in refused.output and "Traceback" not in refused.output
    unknown = run("clients", "measures", "0" * 32, "--instrument", "phq-99", code=2)
    assert "Known ones: phq9" in unknown.output
