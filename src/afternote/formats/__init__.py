"""Note formats as data: SOAP, DAP, BIRP and the rest ship as TOML files; a practice adds its own the same way."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from afternote.labels import CATEGORIES
from afternote.errors import FormatError

BUILTIN_DIR = Path(__file__).parent / "builtin"


@dataclass(frozen=True)
class Section:
    """One section of a format: which content categories it holds and what to say when it has none."""

    key: str
    title: str
    guidance: str
    categories: tuple[str, ...]
    empty: str
    loinc: str | None = None
    required: bool = True
    # Categories this section also takes when the clinician typed them under its heading ("Plan: crisis line
    # given" stays in the plan), so a list the clinician wrote together is not torn apart.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    key: str
    name: str
    sections: tuple[Section, ...]
    description: str = ""
    source: str = field(default="builtin", compare=False)

    def section_for(self, category: str) -> Section:
        """The section that holds a content category (every category has exactly one)."""
        for section in self.sections:
            if category in section.categories:
                return section
        raise KeyError(category)

    def section_of(self, category: str, heading: str | None = None) -> Section:
        """Where a statement goes: the section holding its category, unless the clinician typed it under the
        heading of a section that also takes that category."""
        if heading and heading != category:
            for section in self.sections:
                if heading in section.categories and category in section.also:
                    return section
        return self.section_for(category)

    def place(self, statement) -> Section:
        """The section for a read statement (anything with `category` and `heading`)."""
        return self.section_of(statement.category, statement.heading)

    @property
    def keys(self) -> list[str]:
        return [section.key for section in self.sections]


def _line_of(text: str, needle: str, after: int = 0) -> int | None:
    """The number of the first line after line `after` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if number > after and needle in line:
            return number
    return None


def _section_lines(text: str) -> list[int]:
    """The line of each `[[sections]]` header, so an error points into the section it is about."""
    return [number for number, line in enumerate(text.splitlines(), 1) if line.strip().startswith("[[sections]]")]


def parse_format(text: str, origin: str) -> Format:
    """A Format from TOML text; FormatError names `origin`, the line or key, and what is wrong."""
    headers = _section_lines(text)

    def fail(problem: str, needle: str | None = None, section: int = 0) -> FormatError:
        # section (1-based) narrows the search to that section's lines; without a needle, point at its header
        after = headers[section - 1] - 1 if 0 < section <= len(headers) else 0
        line = _line_of(text, needle, after) if needle else (after + 1 if section and after else None)
        where = f"{origin}, line {line}" if line else origin
        return FormatError(f"{where}: {problem}")

    def text_field(raw: dict, name: str, index: int, label: str) -> str | None:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise fail(f"{label}: '{name}' must be text in quotes, not {type(value).__name__}.", f"{name} ", index)
        return value

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"{origin}: not valid TOML ({exc}). Fix the file and try again.") from None
    for required in ("key", "name"):
        if not isinstance(data.get(required), str) or not data[required].strip():
            raise fail(f"'{required}' is missing; add {required} = \"...\" at the top of the file.")
    key = data["key"].strip().lower()
    if not key.replace("-", "").replace("_", "").isalnum():
        raise fail(f"key '{key}' must be letters, digits, '-' or '_'.", "key")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise fail("no [[sections]] are defined; a format needs at least one section.")
    sections: list[Section] = []
    seen: set[str] = set()
    held: dict[str, str] = {}
    for index, raw in enumerate(raw_sections, 1):
        if not isinstance(raw, dict):
            raise fail(f"section {index} is not a table; write it as [[sections]].")
        label = f"section {index}"
        raw_key = text_field(raw, "key", index, label) or ""
        section_key = raw_key.strip().lower()
        if not section_key:
            raise fail(f"section {index} has no 'key'; add key = \"...\" under its [[sections]].", None, index)
        label = f"section '{section_key}'"
        if section_key in seen:
            raise fail(f"duplicate section '{section_key}'; each section key must be used once.",
                       f'"{raw_key}"', index)
        seen.add(section_key)
        unknown = set(raw) - {"key", "title", "guidance", "categories", "empty", "loinc", "required", "also"}
        if unknown:
            raise fail(f"{label} has unknown field(s) {sorted(unknown)}.", sorted(unknown)[0], index)
        categories = raw.get("categories", [])
        if not isinstance(categories, list):
            raise fail(f"{label}: categories must be a list such as categories = [\"presenting\"].",
                       "categories", index)
        if not categories:
            raise fail(f"{label} holds no categories; list some in categories = [...].",
                       "categories" if "categories" in raw else None, index)
        for category in categories:
            if category not in CATEGORIES:
                raise fail(f"{label}: unknown category '{category}'; "
                           f"known categories are {', '.join(CATEGORIES)}.", f'"{category}"' if isinstance(
                               category, str) else "categories", index)
            if category in held:
                raise fail(f"category '{category}' is held by both '{held[category]}' and '{section_key}'; "
                           "a category belongs to one section.", f'"{category}"', index)
            held[category] = section_key
        for name in ("title", "guidance", "empty", "loinc"):
            text_field(raw, name, index, label)
        required = raw.get("required", True)
        if not isinstance(required, bool):
            raise fail(f"{label}: 'required' must be true or false.", "required", index)
        title = raw.get("title") or section_key.replace("_", " ").title()
        sections.append(Section(
            key=section_key, title=title, guidance=raw.get("guidance", ""),
            categories=tuple(categories), loinc=raw.get("loinc"), required=required,
            also=tuple(c for c in raw.get("also", []) if c in CATEGORIES),
            empty=raw.get("empty") or f"No {title.lower()} content was documented.",
        ))
    missing = [c for c in CATEGORIES if c not in held]
    if missing:
        raise fail(f"no section holds the categor{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}; "
                   "add each to one section's categories so no key point is lost.")
    return Format(key=key, name=data["name"], description=str(data.get("description", "")),
                  sections=tuple(sections), source=origin)


def load_format(path: Path, origin: str | None = None) -> Format:
    """A Format from a TOML file; errors name it as `origin` (default: its path)."""
    origin = origin or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"{origin}: cannot read the format file ({exc.__class__.__name__}).") from None
    return parse_format(text, origin)


@cache
def builtin_formats() -> dict[str, Format]:
    return {fmt.key: replace(fmt, source="builtin")
            for fmt in (load_format(p) for p in sorted(BUILTIN_DIR.glob("*.toml")))}


def practice_formats(extra_dir: Path | None) -> tuple[dict[str, Format], list[str]]:
    """The practice's own formats from `extra_dir`, and what is wrong with each file that is not one (named
    `formats/<file>`, never by its path on the server): one bad file leaves every other format usable."""
    formats: dict[str, Format] = {}
    problems: list[str] = []
    if extra_dir and extra_dir.is_dir():
        for path in sorted(extra_dir.glob("*.toml")):
            try:
                fmt = load_format(path, f"formats/{path.name}")
            except FormatError as error:
                problems.append(str(error))
                continue
            formats[fmt.key] = replace(fmt, source="practice")
    return formats, problems


def available_formats(extra_dir: Path | None = None) -> dict[str, Format]:
    """Built-in formats, then the practice's own from `extra_dir` (a practice format may replace a built-in);
    a bad practice file is left out (`practice_formats` says what is wrong with it)."""
    return {**builtin_formats(), **practice_formats(extra_dir)[0]}


def get_format(name: "str | Format", extra_dir: Path | None = None) -> Format:
    """A format by key ("soap") or by path to a TOML file; FormatError lists the choices for an unknown key."""
    if isinstance(name, Format):
        return name
    if name.endswith(".toml") or "/" in name:
        path = Path(name)
        if not path.is_file():
            raise FormatError(f"format file {name} does not exist.")
        return load_format(path)
    formats, problems = practice_formats(extra_dir)
    formats = {**builtin_formats(), **formats}
    fmt = formats.get(name.strip().lower())
    if fmt is None:
        unread = f" (a practice format file could not be read: {problems[0]})" if problems else ""
        raise FormatError(f"unknown format '{name}'{unread}. Choose one of: {', '.join(formats)}, "
                          "or pass the path of a format file (.toml).")
    return fmt
