"""The ICD-10-CM table: built in a child process (the code set's 170 MB never enter this one), found by code with
or without its dot and by words, mental and behavioural codes first; only billable codes."""
from __future__ import annotations

import subprocess
import sys

import pytest

from afternote import icd10
from afternote.errors import InputError


def test_the_server_starts_without_the_code_set():
    # a fresh interpreter: the app is made, and neither the package nor the table is loaded
    script = ("import sys\nfrom afternote.config import Settings\nfrom afternote.web import create_app\n"
              "import tempfile\ncreate_app(Settings(data_dir=tempfile.mkdtemp()))\n"
              "from afternote import icd10\n"
              "assert 'simple_icd_10_cm' not in sys.modules and icd10._table is None\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_a_search_never_imports_the_code_set_here():
    assert icd10.search("generalized anxiety")[0] == icd10.Code("F41.1", "Generalized anxiety disorder")
    assert "simple_icd_10_cm" not in sys.modules


@pytest.mark.parametrize("typed", ["F43.1", "f431", "F43.1 "])
def test_a_code_finds_the_billable_codes_below_it(typed):
    assert [c.code for c in icd10.search(typed, 5)] == ["F43.10", "F43.11", "F43.12"]


def test_words_find_mental_health_codes_first_and_the_general_term_before_its_variants():
    found = icd10.search("adjustment disorder", 3)
    assert [c.code for c in found] == ["F43.20", "F43.22", "F43.21"]
    assert all(c.code[0] in icd10.FIRST for c in icd10.search("anxiety", 10))
    assert icd10.search("xyzzyq") == [] and icd10.search("   ") == []


def test_lookup_takes_any_case_and_dots_and_refuses_a_category():
    assert icd10.lookup("z630").code == "Z63.0"
    with pytest.raises(InputError, match="not a billable"):
        icd10.lookup("F32")
    with pytest.raises(InputError, match="at most 100 characters"):
        icd10.search("x" * 101)


def test_the_table_holds_only_billable_codes_one_a_line():
    table = icd10.table()
    assert table.find("F32") is None and table.find("F32.A").description == "Depression, unspecified"
    assert 70_000 < table.text.count("\n") < 80_000


def test_the_first_search_builds_the_table_in_a_child_and_caches_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(icd10, "_table", None)  # as in a fresh process
    assert icd10.search("F41.1")[0].code == "F41.1"
    cached = tmp_path / "afternote" / f"icd10cm-{icd10.package_version()}.tsv"
    assert cached.read_text(encoding="utf-8").startswith("F")  # F codes first
    assert "simple_icd_10_cm" not in sys.modules
