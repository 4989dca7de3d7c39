"""The Python API as a script or another program uses it: draft(), Note.to_dict(), Note.to_text()."""
from __future__ import annotations

import json
import re

import pytest

import afternote
from afternote import FormatError, InputError, Note, Session

KEY_POINTS = ("Client (32F) reports increased anxiety at work after new manager; sleeping ~5h/night; denies SI/HI.\n"
              "Appeared tense, fidgeting, affect congruent.\n"
              "Used CBT: identified automatic thoughts ('I will be fired'), cognitive restructuring.\n"
              "Client engaged, rated anxiety 7/10 at start, 5/10 at end.\n"
              "Plan: thought record daily, next session in 1 week.\n")


def test_draft_defaults_to_soap_with_the_builtin_engine():
    note = afternote.draft(KEY_POINTS)
    assert isinstance(note, Note)
    assert note.format == "soap" and note.engine == "builtin"
    assert [s.key for s in note.sections] == ["subjective", "objective", "assessment", "plan"]


def test_draft_takes_a_format_key():
    note = afternote.draft(KEY_POINTS, format="pie")
    assert [s.key for s in note.sections] == ["problem", "intervention", "evaluation"]


def test_draft_takes_a_format_object():
    fmt = afternote.get_format("darp")
    assert afternote.draft(KEY_POINTS, format=fmt).format == "darp"


@pytest.mark.parametrize("session", [{"duration_minutes": 53}, Session(duration_minutes=53), None])
def test_draft_takes_a_session_as_dict_or_object(session):
    assert afternote.draft(KEY_POINTS, session=session).sections


def test_draft_is_deterministic():
    assert afternote.draft(KEY_POINTS).to_dict() == afternote.draft(KEY_POINTS).to_dict()


def test_draft_keeps_the_quote_verbatim():
    assert "I will be fired" in afternote.draft(KEY_POINTS).to_text()


def test_empty_key_points_raise_input_error():
    with pytest.raises(InputError, match="empty"):
        afternote.draft("  \n ")


def test_key_points_as_bytes_that_are_not_utf8_raise_input_error():
    with pytest.raises(InputError, match="UTF-8"):
        afternote.draft(b"\xff\xfe anxious")


def test_key_points_that_are_not_text_raise_input_error():
    with pytest.raises(InputError):
        afternote.draft(None)


def test_unknown_format_raises_format_error():
    with pytest.raises(FormatError, match="unknown format"):
        afternote.draft(KEY_POINTS, format="nope")


def test_bad_session_raises_input_error_naming_the_field():
    with pytest.raises(InputError, match="duration_minutes"):
        afternote.draft(KEY_POINTS, session={"duration_minutes": "an hour"})


def test_errors_do_not_carry_the_key_points():
    with pytest.raises(InputError) as caught:
        afternote.draft("Client Jane Doe reports \x00 panic", format="soap")
    assert "Jane" not in str(caught.value)


def test_to_dict_is_the_note_json():
    note = afternote.draft(KEY_POINTS, session={"duration_minutes": 53})
    data = json.loads(json.dumps(note.to_dict()))  # plain JSON types only
    assert {"id", "format", "sections", "findings", "engine"} <= set(data)
    assert [s["key"] for s in data["sections"]] == [s.key for s in note.sections]
    for section, original in zip(data["sections"], note.sections):
        assert section["title"] == original.title and section["text"] == original.text
        for sentence in section["sentences"]:
            assert set(sentence) >= {"text", "sources", "supported"}
            assert all(isinstance(span, list) and len(span) == 2 for span in sentence["sources"])
    for finding in data["findings"]:
        assert set(finding) >= {"code", "severity", "message", "section"}


def test_to_dict_sources_quote_the_key_points():
    note = afternote.draft(KEY_POINTS)
    cited = [KEY_POINTS[a:b] for s in note.to_dict()["sections"] for sentence in s["sentences"]
             for a, b in sentence["sources"]]
    assert any("thought record" in text for text in cited)


def test_to_text_is_plain_with_section_titles_in_order():
    note = afternote.draft(KEY_POINTS, format="birp")
    text = note.to_text()
    titles = [line[:-1] for line in text.splitlines() if line.endswith(":") and line[:-1] in
              {s.title for s in note.sections}]
    assert titles == [s.title for s in note.sections]
    for section in note.sections:
        assert section.text in text
    assert not re.search(r"[*#<>`]|\[\w+\]\(|^\s*[-*] ", text, re.M)  # no markdown, no HTML


def test_to_text_says_when_a_section_is_empty():
    note = afternote.draft("Client reported anxiety at work.", format="soap")
    objective = note.section("objective")
    assert objective.is_empty and objective.text
    assert objective.text in note.to_text()
