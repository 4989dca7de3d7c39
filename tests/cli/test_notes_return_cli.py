"""A supervisor returns a supervisee's signed note from the command line; the author reads the comment, answers
with an addendum, and the supervisor co-signs."""
from __future__ import annotations

import re

from afternote.config import settings
from testkit.records import _fast_password_hashing  # noqa: F401

ID = re.compile(r"[0-9a-f]{32}")
KEY_POINTS = "Pt reports anxiety 7/10 at work; sleep ~5h. SI/HI neg. Used CBT thought record. Plan: f/u 1wk.\n"


def _as(monkeypatch, username: str) -> None:
    monkeypatch.setenv("AFTERNOTE_USER", username)
    settings.cache_clear()


def test_return_a_note_answer_it_and_co_sign(run, monkeypatch):
    run("init", "--practice", "Group", "--username", "dana", "--name", "Dana Lee")
    _as(monkeypatch, "dana")
    run("practice", "time-zone", "Asia/Tokyo")  # returns are shown in the practice's zone, like every time
    run("user", "add", "sue", "--name", "Sue Park", "--role", "supervisor", "--credentials", "LCSW")
    run("user", "add", "al", "--name", "Al Cruz", "--credentials", "ACSW", "--supervisor", "sue")
    _as(monkeypatch, "al")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    appointment = ID.search(run("appointments", "add", client, "--date", "2026-01-05", "--start", "10:00",
                                "--minutes", "53").output).group()
    note = ID.search(run("notes", "new", appointment, "-", stdin=KEY_POINTS).output).group()
    run("notes", "sign", note, "--version", "1", "--acknowledge", "no-client-response")

    _as(monkeypatch, "sue")
    refused = run("notes", "return", note, "  ", code=2)
    assert "needs a comment" in refused.output and "Nothing was returned" in refused.output
    returned = run("notes", "return", note, "-", stdin="Add how the client responded to the thought record.\n")
    assert "Returned to its author by Sue Park" in returned.output and "stays signed" in returned.output
    assert "JST" in returned.output and "UTC" not in returned.output

    _as(monkeypatch, "al")
    assert "returned by supervisor" in run("backlog").output
    listed = run("notes", "returns", note).output
    assert "Sue Park" in listed and "open" in listed and "how the client responded" in listed
    assert "JST" in listed and "UTC" not in listed
    run("notes", "addend", note, "Client engaged with the thought record.", "--reason", "correction")
    assert "answered" in run("notes", "returns", note).output
    assert "Nothing outstanding" in run("backlog").output

    _as(monkeypatch, "sue")
    assert "Co-signed by Sue Park" in run("notes", "cosign", note).output
    assert "intact" in run("notes", "verify", note).output
    _as(monkeypatch, "dana")
    trail = run("audit", "--action", "return").output
    assert "sue" in trail and note in trail and "thought record" not in trail
