"""`afternote practice time-zone`: shown, set (owners), an unknown zone refused with what to give; the other
commands then type and show times in it."""
from __future__ import annotations

import re

ID = re.compile(r"[0-9a-f]{32}")
KEY_POINTS = "Pt reports anxiety 7/10 at work; sleep ~5h. SI/HI neg. Used CBT thought record. Plan: f/u 1wk.\n"


def test_the_time_zone_is_set_and_every_time_is_shown_in_it(run):
    run("init", "--practice", "Solo", "--username", "dana", "--name", "Dana Lee", "--credentials", "LCSW")
    assert run("practice", "time-zone").output.strip() == "Time zone: Etc/UTC"  # this computer's
    refused = run("practice", "time-zone", "America/Los_Angles", code=2)
    assert "'America/Los_Angles' is not a time zone" in refused.output and "America/New_York" in refused.output
    assert "America/Los_Angeles" in run("practice", "time-zone", "--list").output.split()
    assert run("practice", "time-zone", "America/Los_Angeles").output.strip() == "Time zone: America/Los_Angeles"
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    # the fall-back day: 14:00 PST is 22:00 UTC
    appointment = ID.search(run("appointments", "add", client, "--date", "2026-11-01", "--start", "14:00",
                                "--minutes", "53").output).group()
    assert "2026-11-01 14:00 PST" in run("backlog").output
    note = ID.search(run("notes", "new", appointment, "-", stdin=KEY_POINTS).output).group()
    assert f"{note}  2026-11-01 14:00 PST" in run("notes").output
    signed = run("notes", "sign", note, "--version", "1", "--acknowledge", "no-client-response").output
    assert re.search(r"at \d{4}-\d\d-\d\d \d\d:\d\d P[SD]T;", signed), signed
    assert re.search(r"v1 +\d{4}-\d\d-\d\d \d\d:\d\d P[SD]T", run("notes", "versions", note).output)
    skipped = run("appointments", "add", client, "--date", "2026-03-08", "--start", "02:30", "--minutes", "53",
                  code=2)
    assert "02:30 did not happen on 2026-03-08 in America/Los_Angeles" in skipped.output
    assert "time_zone_change" in run("audit", "--action", "time_zone_change").output


def test_init_takes_the_zone_and_refuses_an_unknown_one_before_making_anything(run, tmp_path):
    refused = run("init", "--practice", "Solo", "--username", "dana", "--time-zone", "Europe/Berlim", code=2)
    assert "'Europe/Berlim' is not a time zone" in refused.output and not (tmp_path / "data").exists()
    made = run("init", "--practice", "Solo", "--username", "dana", "--time-zone", "Europe/Berlin").output
    assert "Time zone: Europe/Berlin" in made
    assert run("practice", "time-zone").output.strip() == "Time zone: Europe/Berlin"
