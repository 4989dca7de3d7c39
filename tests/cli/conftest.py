"""`run(*args, stdin=None, code=0)`: the afternote command in a fresh data directory (SQLite), checked for its
exit code."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from afternote.cli import _register, app
from afternote.config import settings


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERNOTE_DATA_DIR", str(tmp_path / "data"))
    for name in ("AFTERNOTE_DATABASE_URL", "AFTERNOTE_KEY", "AFTERNOTE_KEY_FILE", "AFTERNOTE_USER", "AFTERNOTE_TIME_ZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AFTERNOTE_NEW_PASSWORD", "correct horse battery")
    settings.cache_clear()
    _register()
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None, code: int = 0):
        result = runner.invoke(app, list(args), input=stdin)
        assert result.exit_code == code, (args, result.output, result.exception)
        return result
    yield invoke
    settings.cache_clear()
