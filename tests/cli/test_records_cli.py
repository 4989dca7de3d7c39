"""The records commands as one clinician on one computer uses them (SQLite in a fresh data directory)."""
from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from afternote.config import settings
from testkit.records import _fast_password_hashing  # noqa: F401

AFTERNOTE = Path(sys.executable).parent / "afternote"
KEY_POINTS = "Pt reports anxiety 7/10 at work; sleep ~5h. SI/HI neg. Used CBT thought record. Plan: f/u 1wk.\n"
ID = re.compile(r"[0-9a-f]{32}")


def test_one_clinician_from_init_to_signed_and_amended_note(run, tmp_path):
    run("init", "--practice", "Solo", "--username", "dana", "--name", "Dana Lee", "--credentials", "LCSW")
    key = tmp_path / "data" / "afternote.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data" / "afternote.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    client = ID.search(run("clients", "add", "Jane Roe", "--identifier", "MRN-7").output).group()
    assert "Jane Roe" in run("clients").output
    appointment = ID.search(run("appointments", "add", client, "--date", "2026-01-05", "--start", "10:00",
                                "--minutes", "53").output).group()
    assert "no note" in run("backlog").output
    created = run("notes", "new", appointment, "-", "--format", "soap", stdin=KEY_POINTS).output
    note = ID.search(created).group()
    assert "Subjective" in created
    run("notes", "edit", note, "subjective", "Client reported anxiety at work.", "--version", "1")
    refused = run("notes", "edit", note, "subjective", "stale", "--version", "1", code=2)
    assert "version 2" in refused.output and "Nothing was overwritten" in refused.output
    refused = run("notes", "sign", note, "--version", "2", code=2)
    assert "--acknowledge no-client-response" in refused.output and "Nothing was signed" in refused.output
    signed = run("notes", "sign", note, "--version", "2", "--acknowledge", "no-client-response").output
    assert "Signed by Dana Lee, LCSW" in signed and "marked late" in signed  # the session was in January
    run("notes", "edit", note, "subjective", "after signing", "--version", "2", code=2)
    run("notes", "addend", note, "Client called later.", "--reason", "late entry")
    shown = run("notes", "show", note).output
    assert "amended" in shown and "Client reported anxiety at work." in shown and "Addendum" in shown
    assert "intact" in run("notes", "verify", note).output
    assert "Nothing outstanding" in run("backlog").output
    trail = run("audit", "--record", note).output
    assert all(word in trail for word in ("create", "edit", "sign", "addendum", "view"))
    assert "Jane" not in run("audit").output


def test_backup_restore_and_rotate_key(run, tmp_path):
    run("init", "--username", "dana")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    backup = tmp_path / "copy.db"
    run("backup", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600 and b"Jane Roe" not in backup.read_bytes()
    run("clients", "add", "Added After Backup")
    run("restore", str(backup), "--yes")
    listed = run("clients").output
    assert client in listed and "Added After Backup" not in listed
    old_key = (tmp_path / "data" / "afternote.key").read_text()
    run("rotate-key")
    assert (tmp_path / "data" / "afternote.key").read_text() != old_key
    assert "Jane Roe" in run("clients").output


def test_database_behind_or_missing_says_what_to_run(run):
    result = run("clients", code=2)
    assert "afternote init" in result.output


def test_wrong_user_and_second_init(run, monkeypatch):
    run("init", "--username", "dana")
    assert "already has users" in run("init", "--username", "dana").output
    monkeypatch.setenv("AFTERNOTE_USER", "nobody")
    settings.cache_clear()
    assert "No active user 'nobody'" in run("clients", code=2).output


def test_console_script_initializes(tmp_path):
    env = {**os.environ, "AFTERNOTE_DATA_DIR": str(tmp_path), "AFTERNOTE_NEW_PASSWORD": "correct horse battery"}
    env.pop("AFTERNOTE_DATABASE_URL", None)
    env.pop("AFTERNOTE_KEY", None)
    done = subprocess.run([str(AFTERNOTE), "init", "--username", "dana"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "afternote.db").exists() and (tmp_path / "afternote.key").exists()


@contextlib.contextmanager
def practice_server(run, monkeypatch):
    """The CLI pointed at a fresh PostgreSQL database with its key in the environment, as on a practice server,
    initialised with the owner `owner` (whose password AFTERNOTE_PASSWORD gives); dropped afterwards."""
    from afternote.records.crypto import encode_key, new_key
    from testkit.records import drop_pg_database, fresh_pg_database
    url = fresh_pg_database()
    try:
        monkeypatch.setenv("AFTERNOTE_DATABASE_URL", url)
        monkeypatch.setenv("AFTERNOTE_KEY", encode_key(new_key()))
        monkeypatch.setenv("AFTERNOTE_USER", "owner")
        monkeypatch.setenv("AFTERNOTE_PASSWORD", "correct horse battery")
        settings.cache_clear()
        run("init", "--username", "owner")
        yield
    finally:
        drop_pg_database(url)


@pytest.mark.skipif(os.environ.get("AFTERNOTE_TEST_SQLITE_ONLY") == "1", reason="AFTERNOTE_TEST_SQLITE_ONLY=1")
def test_practice_server_on_postgresql_backup_and_restore(run, tmp_path, monkeypatch):
    with practice_server(run, monkeypatch):
        assert not (tmp_path / "data" / "afternote.key").exists()  # the server's key comes from the environment
        client = ID.search(run("clients", "add", "Server Client").output).group()
        run("backup", str(tmp_path / "practice.dump"))
        run("clients", "add", "Added After Backup")
        run("restore", str(tmp_path / "practice.dump"), "--yes")
        listed = run("clients").output
        assert client in listed and "Added After Backup" not in listed
        monkeypatch.setenv("AFTERNOTE_PASSWORD", "wrong password!")
        settings.cache_clear()
        assert "Wrong username or password" in run("clients", code=2).output


def test_restore_refuses_a_backup_made_under_another_key(run, tmp_path, monkeypatch):
    run("init", "--username", "dana")
    run("clients", "add", "Jane Roe")
    backup = tmp_path / "copy.db"
    run("backup", str(backup))
    run("rotate-key")
    refused = run("restore", str(backup), "--yes", code=2)
    assert "another encryption key" in refused.output
    assert "Jane Roe" in run("clients").output


def test_you_change_your_password_and_an_owner_resets_one(run, monkeypatch):
    run("init", "--practice", "Solo", "--username", "dana", "--name", "Dana Lee")
    monkeypatch.setenv("AFTERNOTE_USER", "dana")
    settings.cache_clear()
    run("user", "add", "al", "--name", "Al")
    weak = run("user", "passwd", "--current", "correct horse battery", "--new", "password1234", code=2)
    assert "too easy to guess" in weak.output
    wrong = run("user", "passwd", "--current", "not mine at all", "--new", "plum kettle orbit lantern", code=2)
    assert "password was not changed" in wrong.output
    assert "was changed" in run("user", "passwd", "--current", "correct horse battery",
                                "--new", "plum kettle orbit lantern").output
    reset = run("user", "reset-password", "al").output
    one_time = re.search(r"One-time password for al: (\S+)", reset).group(1)
    from afternote.records.database import open_database
    from afternote.workflow import users
    assert users.login(open_database(), "al", one_time, "test").must_change_password


@pytest.mark.parametrize("group", ["notes", "clients", "appointments", "user"])
def test_every_subcommand_has_help(run, group):
    listing = run(group, "--help").output
    commands = re.findall(r"│ ([a-z-]+)\s{2,}(.*?)\s*│", listing)
    assert commands, listing
    assert all(text.strip() for _, text in commands), [name for name, text in commands if not text.strip()]


def test_notes_help_names_only_commands_that_exist_and_every_one_of_them(run):
    listing = run("notes", "--help").output
    commands = set(re.findall(r"│ ([a-z][a-z-]*)\s{2,}", listing))
    named = re.search(r"or ([a-z, ]+)\.", " ".join(listing.split())).group(1)
    assert set(named.replace(",", " ").split()) == commands
    for command in commands:  # each one answers its own help
        assert "Usage:" in run("notes", command, "--help").output


def test_versions_are_listed_with_their_changes_and_an_earlier_one_restored(run):
    run("init", "--practice", "Solo", "--username", "dana", "--name", "Dana Lee", "--credentials", "LCSW")
    client = ID.search(run("clients", "add", "Jane Roe").output).group()
    appointment = ID.search(run("appointments", "add", client, "--date", "2026-01-05", "--start", "10:00",
                                "--minutes", "53").output).group()
    note = ID.search(run("notes", "new", appointment, "-", stdin=KEY_POINTS).output).group()
    run("notes", "edit", note, "plan", "Weekly CBT.", "--version", "1")
    listed = run("notes", "versions", note, "--diff").output
    assert re.search(r"v2 .* Dana Lee\s+edit: Plan$", listed, re.M) and "+Weekly CBT." in listed
    refused = run("notes", "restore", note, "1", "--version", "1", code=2)
    assert "by you, in another window or tab" in refused.output and "Nothing was overwritten" in refused.output
    assert "Restored version 1 as version 3." in run("notes", "restore", note, "1", "--version", "2").output
    assert "restore (version 1 again): Plan" in run("notes", "versions", note).output
    assert "Weekly CBT." not in run("notes", "show", note).output


def test_a_backup_is_the_owners_alone_even_under_an_open_umask(run, tmp_path):
    run("init", "--username", "dana")
    run("clients", "add", "Jane Roe")
    old = os.umask(0)  # a file created without its own mode would be world-readable (0666)
    try:
        run("backup", str(tmp_path / "copy.db"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600
    assert "exists" in run("backup", str(tmp_path / "copy.db"), code=2).output


@pytest.mark.skipif(os.environ.get("AFTERNOTE_TEST_SQLITE_ONLY") == "1", reason="AFTERNOTE_TEST_SQLITE_ONLY=1")
def test_a_failed_pg_dump_leaves_no_partial_backup(run, tmp_path, monkeypatch):
    from afternote.records.crypto import encode_key, new_key
    from testkit.records import drop_pg_database, fresh_pg_database
    url = fresh_pg_database()
    try:
        # afternote's own connection sets its options in the URL; pg_dump reads PGOPTIONS, which the server refuses
        monkeypatch.setenv("AFTERNOTE_DATABASE_URL", url + "?options=-c%20statement_timeout%3D0")
        monkeypatch.setenv("AFTERNOTE_KEY", encode_key(new_key()))
        monkeypatch.setenv("AFTERNOTE_USER", "owner")
        monkeypatch.setenv("AFTERNOTE_PASSWORD", "correct horse battery")
        settings.cache_clear()
        run("init", "--username", "owner")
        monkeypatch.setenv("PGOPTIONS", "-c not_a_parameter=1")
        old = os.umask(0)
        try:
            failed = run("backup", str(tmp_path / "practice.dump"), code=2)
        finally:
            os.umask(old)
        assert "pg_dump failed" in failed.output and "no backup was written" in failed.output
        assert not (tmp_path / "practice.dump").exists()
    finally:
        monkeypatch.delenv("PGOPTIONS", raising=False)
        drop_pg_database(url)


def test_an_owner_resets_a_users_two_factor_and_requires_it_at_the_console(run, monkeypatch):
    from afternote.records.database import open_database
    from afternote.workflow import two_factor, users
    from testkit.two_factor import enrol
    run("init", "--practice", "Solo", "--username", "dana", "--name", "Dana Lee")
    monkeypatch.setenv("AFTERNOTE_USER", "dana")
    settings.cache_clear()
    run("user", "add", "al", "--name", "Al")
    al = users.get_actor(open_database(), "al")
    enrol(open_database(), al)
    assert "No user 'bo'" in run("user", "two-factor", "reset", "bo", code=2).output
    assert "Two-factor sign-in of al is off" in run("user", "two-factor", "reset", "al").output
    assert not two_factor.status(open_database(), al).on
    assert "no two-factor sign-in to reset" in run("user", "two-factor", "reset", "al", code=2).output
    assert "is required" in run("user", "two-factor", "require").output
    assert two_factor.status(open_database(), al).required
    assert "optional" in run("user", "two-factor", "require", "--off").output


@pytest.mark.skipif(os.environ.get("AFTERNOTE_TEST_SQLITE_ONLY") == "1", reason="AFTERNOTE_TEST_SQLITE_ONLY=1")
def test_on_a_server_the_cli_asks_for_the_code_after_the_password(run, monkeypatch):
    from afternote.records.database import open_database
    from afternote.workflow import users
    from testkit.two_factor import enrol
    with practice_server(run, monkeypatch):
        enrolled = enrol(open_database(), users.login(open_database(), "owner", "correct horse battery", "test"))
        assert "not right" in run("clients", stdin="000000\n" if enrolled.code() != "000000" else "111111\n",
                                  code=2).output
        run("clients", stdin=enrolled.code() + "\n")  # exit code 0: signed in
        assert "used already" in run("clients", stdin=enrolled.code() + "\n", code=2).output
