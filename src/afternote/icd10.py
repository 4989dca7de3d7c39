"""ICD-10-CM: the billable codes and their descriptions, from the `simple-icd-10-cm` package, searchable by code or
words.

Importing that package parses the whole code set (about 170 MB and 1.6 s), so this process never imports it: the
first search runs `python -m afternote.icd10 FILE` once, which writes the billable codes as compact lines
("F32.1<tab>Major depressive disorder, single episode, moderate") to a cache file named by the package's version,
and this process keeps only those lines (about 10 MB). Mental and behavioural codes (F) and the factors of health
status (Z) come first, so a search by words finds what a therapist codes before the rest of medicine.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import platformdirs

from afternote.errors import AfternoteError, InputError

FIRST = ("F", "Z")  # the chapters searched first
MAX_RESULTS = 50
_lock = threading.Lock()
_table: "Table | None" = None
CODE = re.compile(r"^[A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{0,4})?$")


class CodeSetMissing(AfternoteError):
    """The ICD-10-CM code set could not be read: the package is missing or broken."""


@dataclass(frozen=True)
class Code:
    code: str  # with its dot: "F32.1"
    description: str


class Table:
    """The billable codes as one text (a line each) and its lower-case twin with the same offsets."""

    def __init__(self, text: str) -> None:
        self.text = "\n" + text.strip("\n") + "\n"
        self.lower = self.text.lower()
        if len(self.lower) != len(self.text):  # a letter whose lower case is longer: offsets would drift
            raise ValueError("The ICD-10-CM table has text this search cannot index.")

    def _line(self, at: int) -> tuple[int, Code]:
        start = self.text.rfind("\n", 0, at) + 1
        end = self.text.find("\n", at)
        code, _, description = self.text[start:end].partition("\t")
        return start, Code(code, description)

    def find(self, code: str) -> Code | None:
        at = self.text.find("\n" + code + "\t")
        return None if at < 0 else self._line(at + 1)[1]

    def search(self, query: str, limit: int) -> list[Code]:
        words = [w for w in re.split(r"[\s,;]+", query.lower().strip()) if w]
        if not words:
            return []
        if len(words) == 1 and CODE.match(words[0]):
            found = self._codes_starting(with_dot(words[0]), limit)
            if found:
                return found
        anchor = max(words, key=len)  # the longest word has the fewest places to check
        seen: set[int] = set()
        out: list[Code] = []
        at = self.lower.find(anchor)
        while at >= 0 and len(out) < limit * 20:  # enough to rank: the plain terms before their many variants
            start, found = self._line(at)
            if start not in seen:
                seen.add(start)
                line = self.lower[start:self.lower.find("\n", start)]
                if all(w in line for w in words):
                    out.append(found)
            at = self.lower.find(anchor, self.lower.find("\n", at))
        return sorted(out, key=lambda c: _rank(c, words))[:limit]

    def _codes_starting(self, prefix: str, limit: int) -> list[Code]:
        out: list[Code] = []
        at = self.lower.find("\n" + prefix)
        while at >= 0 and len(out) < limit:
            out.append(self._line(at + 1)[1])
            at = self.lower.find("\n" + prefix, at + 1)
        return sorted(out, key=lambda c: c.code)


def _rank(code: Code, words: list[str]) -> tuple:
    """F and Z first; then a description that starts with a word searched for; then the shorter (the general
    term before its qualified variants)."""
    return (code.code[0] not in FIRST, not code.description.lower().startswith(tuple(words)),
            len(code.description), code.code)


def with_dot(code: str) -> str:
    """'f321' -> 'f32.1' (the dot after the category's three characters), as the code set writes codes."""
    code = code.strip().replace(".", "")
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def package_version() -> str:
    try:
        return metadata.version("simple-icd-10-cm")
    except metadata.PackageNotFoundError:
        raise CodeSetMissing("The ICD-10-CM code set (the simple-icd-10-cm package) is not installed. Install "
                             "afternote again (`pip install -e .`) to add it.") from None


def cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("afternote")) / f"icd10cm-{package_version()}.tsv"


def _build(path: Path) -> None:
    """Write the table in a child process, so the package's memory goes when it ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    try:
        subprocess.run([sys.executable, "-m", "afternote.icd10", str(partial)], check=True, timeout=300,
                       capture_output=True)
    except subprocess.SubprocessError:
        partial.unlink(missing_ok=True)
        raise CodeSetMissing("The ICD-10-CM code set could not be read (the simple-icd-10-cm package). Install "
                             "afternote again (`pip install -e .`), then search again.") from None
    partial.replace(path)  # atomic: another process never reads half a table


def table() -> Table:
    """The table, built on first use and cached on disk for the next process (in the temporary directory when
    the user's cache directory cannot be written)."""
    global _table
    with _lock:
        if _table is None:
            path = cache_path()
            if not path.exists():
                try:
                    _build(path)
                except OSError:
                    path = Path(tempfile.gettempdir()) / path.name
                    if not path.exists():
                        _build(path)
            _table = Table(path.read_text(encoding="utf-8"))
        return _table


def search(query: str, limit: int = 20) -> list[Code]:
    """Billable codes whose code starts with `query` (with or without its dot), or whose description holds every
    word of it; F and Z codes first."""
    if len(query) > 100:
        raise InputError("Search ICD-10-CM with a code or a few words (at most 100 characters).")
    return table().search(query, max(1, min(limit, MAX_RESULTS)))


def lookup(code: str) -> Code:
    """The billable code `code` (dot optional, any case) with its description; else InputError saying what to do."""
    clean = with_dot(code).upper()
    found = table().find(clean) if CODE.match(clean) else None
    if found is None:
        # the code typed is not repeated: for a client it is health data, and messages travel
        raise InputError("The code given is not a billable ICD-10-CM code (a category such as F32 is not billable: "
                         "pick one below it). Search by code or words (for example `afternote clients icd10 "
                         "depression`) and pick a code from the list.")
    return found


def _write_table(out: Path) -> None:
    import simple_icd_10_cm as cm  # only ever in the child process (see the module's docstring)
    lines: dict[str, list[str]] = {"first": [], "rest": []}
    for code in cm.get_all_codes(with_dots=True):
        if cm.is_category_or_subcategory(code) and cm.is_leaf(code):
            description = " ".join(cm.get_description(code).split())
            lines["first" if code[0] in FIRST else "rest"].append(f"{code}\t{description}")
    out.write_text("\n".join(lines["first"] + lines["rest"]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write_table(Path(sys.argv[1]))
