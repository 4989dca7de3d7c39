"""The `afternote` command as a clinician and a batch script use it: the real console script, in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from afternote.drafting.summary import MAX_SUMMARY_CHARS

AFTERNOTE = Path(sys.executable).parent / "afternote"
SHARED = Path(__file__).parents[2] / ".." / "shared"
SECTION_MAP = json.loads((SHARED / "eval" / "sections.json").read_text(encoding="utf-8"))["formats"]

KEY_POINTS = """Client (32F) reports increased anxiety at work after new manager; sleeping ~5h/night; denies SI/HI.
Appeared tense, fidgeting, affect congruent.
Used CBT: identified automatic thoughts ('I will be fired'), cognitive restructuring, taught box breathing.
Client engaged, able to generate balanced thought, rated anxiety 7/10 at start, 5/10 at end.
Plan: thought record daily, practice breathing 2x/day, next session in 1 week, continue weekly CBT.
"""


def afternote(*args: str, stdin: str | bytes | None = None, data_dir: Path | None = None,
              cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script; stdout and stderr as text."""
    env = {**os.environ, "AFTERNOTE_DATA_DIR": str(data_dir or cwd or Path.cwd() / ".no-such-data-dir")}
    env.pop("AFTERNOTE_ENGINE", None)
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run([str(AFTERNOTE), *args], input=data, capture_output=True, env=env, cwd=cwd,
                          timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8", "replace"))


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2, a one-line 'afternote: ...' message naming the problem, no traceback, nothing on stdout."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("afternote: ")
    for word in words:
        assert word in result.stderr


@pytest.fixture
def key_points_file(tmp_path: Path) -> Path:
    path = tmp_path / "session.txt"
    path.write_text(KEY_POINTS, encoding="utf-8")
    return path


# Drafting one note


def test_draft_file_prints_plain_text_sections(key_points_file, tmp_path):
    result = afternote("draft", str(key_points_file), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    titles = [line[:-1] for line in result.stdout.splitlines() if line in
              ("Subjective:", "Objective:", "Assessment:", "Plan:")]
    assert titles == ["Subjective", "Objective", "Assessment", "Plan"]
    assert "<" not in result.stdout and "**" not in result.stdout and "{" not in result.stdout


def test_draft_from_stdin(tmp_path):
    result = afternote("draft", "-", "--format", "dap", stdin=KEY_POINTS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Data:\n")
    assert "\nAssessment:\n" in result.stdout and "\nPlan:\n" in result.stdout


def test_draft_json_has_the_note_shape(key_points_file, tmp_path):
    result = afternote("draft", str(key_points_file), "--json", "--format", "birp", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    note = json.loads(result.stdout)
    assert {"id", "format", "sections", "findings", "engine"} <= set(note)
    assert note["format"] == "birp" and note["engine"] == "builtin"
    assert [s["key"] for s in note["sections"]] == SECTION_MAP["birp"]["sections"]
    for section in note["sections"]:
        assert {"key", "title", "text", "sentences"} <= set(section)
        assert isinstance(section["text"], str) and section["text"]
        for sentence in section["sentences"]:
            assert isinstance(sentence["text"], str) and isinstance(sentence["supported"], bool)
            assert sentence["sources"], sentence
            for start, end in sentence["sources"]:
                assert 0 <= start < end <= len(KEY_POINTS)
    for finding in note["findings"]:
        assert {"code", "severity", "message", "section"} <= set(finding)
        assert finding["severity"] in ("error", "warning", "info")


def test_draft_json_sources_point_into_the_key_points(tmp_path):
    result = afternote("draft", "-", "--json", stdin="Client reports poor sleep.\nPlan: sleep diary.", cwd=tmp_path)
    note = json.loads(result.stdout)
    spans = [tuple(span) for s in note["sections"] for sentence in s["sentences"] for span in sentence["sources"]]
    quoted = ["Client reports poor sleep.\nPlan: sleep diary."[a:b] for a, b in spans]
    assert any("poor sleep" in text for text in quoted)
    assert any("sleep diary" in text for text in quoted)


def test_session_option_is_accepted(key_points_file, tmp_path):
    result = afternote("draft", str(key_points_file), "--json", "--session", "duration_minutes=53",
                       "--session", "telehealth=video", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


def test_every_builtin_format_drafts(key_points_file, tmp_path):
    for key, mapped in SECTION_MAP.items():
        result = afternote("draft", str(key_points_file), "--json", "--format", key, cwd=tmp_path)
        assert result.returncode == 0, (key, result.stderr)
        assert [s["key"] for s in json.loads(result.stdout)["sections"]] == mapped["sections"]


def test_summary_in_another_language_drafts_without_a_traceback(tmp_path):
    spanish = "La paciente refiere ansiedad en el trabajo. Niega ideación suicida. Plan: seguimiento en 1 semana."
    result = afternote("draft", "-", "--json", stdin=spanish, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert [s["key"] for s in json.loads(result.stdout)["sections"]] == SECTION_MAP["soap"]["sections"]


# Batches: one JSON case a line in, one JSON note a line out


def write_cases(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_prints_one_note_a_line_with_the_case_id(tmp_path):
    cases = write_cases(tmp_path / "cases.jsonl", [
        json.dumps({"id": "c-1", "summary": KEY_POINTS, "session": {"duration_minutes": 53}}),
        json.dumps({"id": "c-2", "summary": "pt c/o low mood. SI neg. HW: activity log."}),
        json.dumps({"id": 3, "summary": "Client reported better sleep."}),
    ])
    result = afternote("draft", "--jsonl", str(cases), "--format", "girp", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    notes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [n["id"] for n in notes] == ["c-1", "c-2", 3]
    for note in notes:
        assert note["format"] == "girp"
        assert [s["key"] for s in note["sections"]] == SECTION_MAP["girp"]["sections"]
    assert "drafted 3 notes" in result.stderr  # progress and outcome go to stderr, never into the JSONL


def test_jsonl_bad_lines_get_error_lines_and_exit_2_while_the_rest_print(tmp_path):
    cases = write_cases(tmp_path / "cases.jsonl", [
        json.dumps({"id": "good-1", "summary": "Client reported anxiety."}),
        "this is not json",
        json.dumps({"id": "empty", "summary": "   "}),
        json.dumps({"id": "no-summary"}),
        json.dumps({"id": "bad-session", "summary": "Client sad.", "session": {"duration_minutes": "long"}}),
        json.dumps({"id": "list-session", "summary": "Client sad.", "session": [53]}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": "good-2", "summary": "Client reported anxiety."}),
    ])
    result = afternote("draft", "--jsonl", str(cases), "--format", "soap", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 8  # the blank line is skipped
    drafted = [r["id"] for r in rows if "sections" in r]
    errors = {r["line"]: r for r in rows if "error" in r}
    assert drafted == ["good-1", "good-2"]
    assert sorted(errors) == [2, 3, 4, 5, 6, 7]
    assert "not JSON" in errors[2]["error"]
    assert errors[3]["id"] == "empty" and "empty" in errors[3]["error"]
    assert "summary" in errors[4]["error"]
    assert "duration_minutes" in errors[5]["error"]
    assert "session" in errors[6]["error"]
    assert "JSON object" in errors[7]["error"]
    assert "6 cases could not be drafted" in result.stderr


def test_jsonl_case_session_overrides_the_session_option(tmp_path):
    cases = write_cases(tmp_path / "cases.jsonl", [
        json.dumps({"id": "x", "summary": "Client reported anxiety.", "session": {"duration_minutes": 30}}),
    ])
    result = afternote("draft", "--jsonl", str(cases), "--session", "duration_minutes=53", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_jsonl_unknown_format_is_refused_before_any_note(tmp_path):
    cases = write_cases(tmp_path / "cases.jsonl", [json.dumps({"id": "x", "summary": "Client sad."})])
    assert_refused(afternote("draft", "--jsonl", str(cases), "--format", "zzz", cwd=tmp_path),
                   "unknown format 'zzz'")


def test_jsonl_missing_file_is_refused(tmp_path):
    assert_refused(afternote("draft", "--jsonl", str(tmp_path / "none.jsonl"), cwd=tmp_path), "none.jsonl")


# Bad input: exit 2, a message that says what to do, no traceback


@pytest.mark.parametrize("summary", ["", "   \n\t  \n"])
def test_empty_key_points_exit_2_with_a_message(tmp_path, summary):
    assert_refused(afternote("draft", "-", stdin=summary, cwd=tmp_path), "empty")


def test_key_points_over_the_limit_exit_2_and_name_the_limit(tmp_path):
    summary = "Client reported anxiety. " * (MAX_SUMMARY_CHARS // 25 + 10)
    assert_refused(afternote("draft", "-", stdin=summary, cwd=tmp_path), f"{MAX_SUMMARY_CHARS:,}")


def test_key_points_at_the_limit_draft(tmp_path):
    summary = ("Client reported anxiety. " * (MAX_SUMMARY_CHARS // 25))[:MAX_SUMMARY_CHARS]
    assert afternote("draft", "-", stdin=summary, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("summary", [b"Client sad\x00\x01\x02 and tired", b"Client \x1b[31m sad", b"\x07bell"])
def test_control_characters_exit_2(tmp_path, summary):
    assert_refused(afternote("draft", "-", stdin=summary, cwd=tmp_path), "control characters")


def test_binary_file_exit_2(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    result = afternote("draft", str(path), cwd=tmp_path)
    assert_refused(result)
    assert "UTF-8" in result.stderr or "control characters" in result.stderr


def test_non_utf8_file_exit_2_and_names_the_file(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Client reported très anxious".encode("latin-1"))
    assert_refused(afternote("draft", str(path), cwd=tmp_path), "latin1.txt", "UTF-8")


def test_non_utf8_stdin_exit_2(tmp_path):
    assert_refused(afternote("draft", "-", stdin="très".encode("latin-1"), cwd=tmp_path), "UTF-8")


def test_unknown_format_exit_2_and_lists_the_choices(key_points_file, tmp_path):
    assert_refused(afternote("draft", str(key_points_file), "--format", "soapy", cwd=tmp_path),
                   "unknown format 'soapy'", "soap", "dap")


@pytest.mark.parametrize("pair, words", [
    ("duration_minutes=abc", ["duration_minutes"]),
    ("duration_minutes=-5", ["duration_minutes"]),
    ("durationminutes", ["key=value"]),
    ("colour=red", ["colour", "duration_minutes"]),
    ("telehealth=pigeon", ["telehealth"]),
    ("start=10:00", []),
])
def test_bad_session_exit_2_and_names_the_field(key_points_file, tmp_path, pair, words):
    args = ["draft", str(key_points_file), "--session", pair]
    if pair == "start=10:00":
        args += ["--session", "end=09:00"]
        words = ["end must be after start"]
    assert_refused(afternote(*args, cwd=tmp_path), *words)


def test_missing_file_exit_2_and_says_what_to_pass(tmp_path):
    assert_refused(afternote("draft", str(tmp_path / "nope.txt"), cwd=tmp_path), "nope.txt", "stdin")


def test_no_file_and_no_stdin_marker_exit_2(tmp_path):
    assert_refused(afternote("draft", cwd=tmp_path), "-")


def test_unknown_engine_exit_2(key_points_file, tmp_path):
    assert_refused(afternote("draft", str(key_points_file), "--engine", "nonesuch", cwd=tmp_path),
                   "unknown engine 'nonesuch'", "builtin")


# Formats


def test_formats_lists_every_builtin(tmp_path):
    result = afternote("formats", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert sorted(listed) == sorted(SECTION_MAP)


def test_formats_show_soap_names_its_sections(tmp_path):
    result = afternote("formats", "show", "soap", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for title in ("Subjective", "Objective", "Assessment", "Plan"):
        assert f"\n{title}" in result.stdout
    assert "LOINC 61150-9" in result.stdout


def test_formats_show_unknown_exit_2(tmp_path):
    assert_refused(afternote("formats", "show", "zzz", cwd=tmp_path), "unknown format 'zzz'")


PRACTICE_FORMAT = '''key = "brief"
name = "Brief"

[[sections]]
key = "session"
title = "Session"
categories = ["presenting", "context", "observation", "measure", "risk", "intervention", "response",
              "assessment", "goal"]

[[sections]]
key = "next_steps"
title = "Next steps"
categories = ["safety", "plan"]
'''


def test_practice_format_in_the_data_dir_is_listed_and_used(tmp_path, key_points_file):
    (tmp_path / "formats").mkdir()
    (tmp_path / "formats" / "brief.toml").write_text(PRACTICE_FORMAT, encoding="utf-8")
    listed = afternote("formats", data_dir=tmp_path, cwd=tmp_path)
    assert "brief" in listed.stdout.split()
    result = afternote("draft", str(key_points_file), "--format", "brief", data_dir=tmp_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Session:\n") and "\nNext steps:\n" in result.stdout


def test_practice_format_by_path(tmp_path, key_points_file):
    path = tmp_path / "brief.toml"
    path.write_text(PRACTICE_FORMAT, encoding="utf-8")
    result = afternote("draft", str(key_points_file), "--format", str(path), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [s["key"] for s in json.loads(result.stdout)["sections"]] == ["session", "next_steps"]
    shown = afternote("formats", "show", str(path), cwd=tmp_path)
    assert shown.returncode == 0 and "Next steps" in shown.stdout


def test_bad_format_file_exit_2_names_file_line_and_problem(tmp_path, key_points_file):
    path = tmp_path / "brief.toml"
    path.write_text(PRACTICE_FORMAT.replace('"safety", "plan"', '"safety", "plans"'), encoding="utf-8")
    assert_refused(afternote("draft", str(key_points_file), "--format", str(path), cwd=tmp_path),
                   str(path), "line 13", "unknown category 'plans'")


def test_bad_format_file_in_the_data_dir_is_named_by_formats_which_lists_the_rest(tmp_path):
    (tmp_path / "formats").mkdir()
    bad = tmp_path / "formats" / "broken.toml"
    bad.write_text(PRACTICE_FORMAT.replace('key = "next_steps"', 'key = "session"'), encoding="utf-8")
    listed = afternote("formats", data_dir=tmp_path, cwd=tmp_path)
    assert listed.returncode == 0 and "soap" in listed.stdout
    assert "formats/broken.toml" in listed.stderr and "duplicate section" in listed.stderr
