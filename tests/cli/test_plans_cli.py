"""`afternote plans` as one clinician on one computer uses it: a plan from a JSON file, refused while incomplete,
saved as a new version (a stale one refused), signed, verified."""
from __future__ import annotations

import json
import re

from testkit.plans import complete_plan, without
from testkit.records import _fast_password_hashing  # noqa: F401

ID = re.compile(r"[0-9a-f]{32}")


def test_a_plan_from_a_file_to_a_signed_and_verified_version(run, tmp_path):
    run("init", "--username", "dana", "--name", "Dana Lee", "--credentials", "LCSW")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    incomplete = tmp_path / "plan.json"
    incomplete.write_text(json.dumps(without(complete_plan(), "problems.0.interventions.0.frequency")))
    created = run("plans", "new", client, str(incomplete)).output
    plan = ID.search(created).group()
    assert "To sign, fill in: problem 1, intervention 1: its frequency" in created
    refused = run("plans", "sign", plan, "--version", "1", code=2)
    assert "its frequency" in refused.output and "was not signed" in refused.output
    assert "version 2" in run("plans", "save", plan, "-", "--version", "1", stdin=json.dumps(complete_plan())).output
    stale = run("plans", "save", plan, "-", "--version", "1", stdin=json.dumps(complete_plan()), code=2)
    assert "Nothing was overwritten" in stale.output
    assert "Signed version 2 by Dana Lee, LCSW" in run("plans", "sign", plan, "--version", "2").output
    assert "matches its seal" in run("plans", "verify", plan).output
    listed = run("plans", "list", client).output
    assert plan in listed and "active" in listed
    shown = run("plans", "show", plan).output
    assert "Goal" in shown and '"I want to stop dreading Mondays"' in shown and "review due" in shown
    assert json.loads(run("plans", "show", plan, "--json").output)["agreement"] == "verbal"
    assert "not JSON" in run("plans", "new", client, "-", stdin="{nope", code=2).output
