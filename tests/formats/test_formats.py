"""Formats are data: the built-ins match the project's section map; a practice adds its own; a bad file says why."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import afternote
from afternote.labels import CATEGORIES
from afternote.errors import FormatError
from afternote.formats import available_formats, builtin_formats, get_format, load_format, practice_formats

SHARED = Path(__file__).parents[2] / ".." / "shared"
SECTION_MAP = json.loads((SHARED / "eval" / "sections.json").read_text(encoding="utf-8"))["formats"]

KEY_POINTS = ("Client reports increased anxiety at work; denies SI/HI. Appeared tense. Used CBT: cognitive "
              "restructuring. Client engaged. Plan: thought record daily, next session in 1 week.")

PRACTICE_FORMAT = '''# Our practice's short format
key = "brief"
name = "Brief"
description = "Two sections: what happened, what is next."

[[sections]]
key = "session"
title = "Session"
guidance = "What was reported, observed and done."
categories = ["presenting", "context", "observation", "measure", "risk", "intervention", "response",
              "assessment", "goal"]
empty = "Nothing was documented about the session."

[[sections]]
key = "next_steps"
title = "Next steps"
guidance = "Safety and plan."
categories = ["safety", "plan"]
'''


def test_every_format_of_the_section_map_is_built_in():
    assert sorted(builtin_formats()) == sorted(SECTION_MAP)


@pytest.mark.parametrize("key", sorted(SECTION_MAP))
def test_builtin_format_has_exactly_the_mapped_sections_in_order(key):
    assert get_format(key).keys == SECTION_MAP[key]["sections"]


@pytest.mark.parametrize("key", sorted(SECTION_MAP))
def test_each_category_sits_in_its_default_section(key):
    fmt = get_format(key)
    for category, placement in SECTION_MAP[key]["placement"].items():
        assert fmt.section_for(category).key == placement[0], (key, category)


@pytest.mark.parametrize("key", sorted(SECTION_MAP))
def test_builtin_sections_have_titles_guidance_and_an_empty_text(key):
    for section in get_format(key).sections:
        assert section.title and section.guidance and section.empty


def test_format_keys_are_case_insensitive():
    assert get_format("SOAP").key == "soap"


def test_unknown_format_lists_the_choices():
    with pytest.raises(FormatError, match=r"unknown format 'soapy'.*dap.*soap"):
        get_format("soapy")


def test_missing_format_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(FormatError, match=re.escape(str(missing))):
        get_format(str(missing))


# A practice's own format


def test_practice_format_in_the_data_dir_is_listed_and_drafts(tmp_path):
    formats_dir = tmp_path / "formats"
    formats_dir.mkdir()
    (formats_dir / "brief.toml").write_text(PRACTICE_FORMAT, encoding="utf-8")

    assert "brief" in available_formats(formats_dir)
    assert "soap" in available_formats(formats_dir)
    note = afternote.draft(KEY_POINTS, format="brief", formats_dir=formats_dir)
    assert [s.key for s in note.sections] == ["session", "next_steps"]
    assert note.section("next_steps").title == "Next steps"


def test_practice_format_by_path(tmp_path):
    path = tmp_path / "brief.toml"
    path.write_text(PRACTICE_FORMAT, encoding="utf-8")

    fmt = get_format(str(path))
    assert fmt.key == "brief" and fmt.keys == ["session", "next_steps"]
    note = afternote.draft(KEY_POINTS, format=str(path))
    assert note.format == "brief"


def test_practice_format_keeps_its_empty_text_and_defaults_a_missing_one(tmp_path):
    path = tmp_path / "brief.toml"
    path.write_text(PRACTICE_FORMAT, encoding="utf-8")
    fmt = load_format(path)
    assert fmt.sections[0].empty == "Nothing was documented about the session."
    assert fmt.sections[1].empty  # generated, never blank


def test_practice_format_may_replace_a_builtin(tmp_path):
    formats_dir = tmp_path / "formats"
    formats_dir.mkdir()
    (formats_dir / "soap.toml").write_text(PRACTICE_FORMAT.replace('key = "brief"', 'key = "soap"'),
                                            encoding="utf-8")
    assert get_format("soap", formats_dir).keys == ["session", "next_steps"]
    assert get_format("soap").keys == SECTION_MAP["soap"]["sections"]  # the built-in is untouched


# Bad format files: the error names the file, the line or key, and the problem


def _bad(tmp_path: Path, text: str) -> str:
    """The FormatError message for a format file holding `text`."""
    path = tmp_path / "ours.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        get_format(str(path))
    message = str(caught.value)
    assert str(path) in message
    return message


def test_invalid_toml_names_the_line(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('name = "Brief"', 'name = "Brief'))
    assert "not valid TOML" in message and "line 3" in message


def test_unknown_category_names_it_and_its_line(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('"safety", "plan"', '"safety", "plans"'))
    assert "unknown category 'plans'" in message and "line 18" in message
    assert "plan" in message.split("known categories are")[1]


def test_duplicate_section_points_at_the_second_one(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('key = "next_steps"', 'key = "session"'))
    assert "duplicate section 'session'" in message and "line 15" in message


def test_category_no_section_holds_is_named(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('"safety", "plan"', '"safety"'))
    assert "no section holds the category plan" in message


def test_several_categories_no_section_holds_are_all_named(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('"safety", "plan"', '"response"')
                   .replace('"intervention", "response",', '"intervention",'))
    assert "categories safety, plan" in message


def test_category_held_by_two_sections_is_refused(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('"safety", "plan"', '"safety", "plan", "risk"'))
    assert "category 'risk' is held by both 'session' and 'next_steps'" in message and "line 18" in message


@pytest.mark.parametrize("field", ["key", "name"])
def test_missing_format_key_or_name_is_named(tmp_path, field):
    text = "\n".join(line for line in PRACTICE_FORMAT.splitlines() if not line.startswith(f"{field} = "))
    assert f"'{field}' is missing" in _bad(tmp_path, text)


def test_section_without_categories_is_named(tmp_path):
    text = PRACTICE_FORMAT.replace('categories = ["safety", "plan"]', "categories = []")
    message = _bad(tmp_path, text)
    assert "section 'next_steps' holds no categories" in message and "line 18" in message


def test_section_with_no_categories_line_is_named(tmp_path):
    text = PRACTICE_FORMAT.replace('categories = ["safety", "plan"]\n', "")
    assert "section 'next_steps' holds no categories" in _bad(tmp_path, text)


def test_section_without_key_is_named_by_position(tmp_path):
    text = PRACTICE_FORMAT.replace('key = "next_steps"\n', "")
    message = _bad(tmp_path, text)
    assert "section 2 has no 'key'" in message and "line 14" in message


def test_format_without_sections_is_refused(tmp_path):
    assert "no [[sections]]" in _bad(tmp_path, 'key = "x"\nname = "X"\n')


def test_categories_written_as_text_not_a_list(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('["safety", "plan"]', '"safety, plan"'))
    assert "categories must be a list" in message


def test_title_must_be_text(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('title = "Next steps"', "title = 3"))
    assert "'title' must be text" in message and "line 16" in message


def test_unknown_section_field_is_named(tmp_path):
    message = _bad(tmp_path, PRACTICE_FORMAT.replace('title = "Next steps"', 'title = "Next steps"\ncolour = "red"'))
    assert "unknown field(s) ['colour']" in message and "line 17" in message


def test_a_bad_format_file_in_the_data_dir_is_named_and_the_others_still_work(tmp_path):
    formats_dir = tmp_path / "formats"
    formats_dir.mkdir()
    (formats_dir / "broken.toml").write_text(PRACTICE_FORMAT.replace('"safety", "plan"', '"safety", "plans"'),
                                             encoding="utf-8")
    (formats_dir / "brief.toml").write_text(PRACTICE_FORMAT, encoding="utf-8")
    formats, problems = practice_formats(formats_dir)
    assert list(formats) == ["brief"] and formats["brief"].source == "practice"
    assert len(problems) == 1 and problems[0].startswith("formats/broken.toml, line ") and "unknown category 'plans'" in problems[0]
    assert str(tmp_path) not in problems[0]  # named by its place in the data directory, not the server's path
    assert {"soap", "dap", "brief"} <= set(available_formats(formats_dir))
    assert afternote.draft(KEY_POINTS, format="soap", formats_dir=formats_dir).format == "soap"
    with pytest.raises(FormatError, match="could not be read: formats/broken.toml"):
        get_format("broken", formats_dir)


def test_format_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(PRACTICE_FORMAT.replace("Our", "Notre \xe9").encode("latin-1"))
    with pytest.raises(FormatError, match=re.escape(str(path))):
        get_format(str(path))


def test_every_category_is_known_to_the_section_map():
    assert set(CATEGORIES) == set(SECTION_MAP["soap"]["placement"])
