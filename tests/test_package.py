"""What ships: the installed package holds no test helpers (they live in tests/testkit)."""
from pathlib import Path

import afternote

PACKAGE = Path(afternote.__file__).parent


def test_no_shipped_module_imports_pytest_or_the_test_helpers():
    offenders = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                 if any(word in path.read_text(encoding="utf-8") for word in ("import pytest", "testkit"))]
    assert offenders == []
