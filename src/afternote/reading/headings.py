"""Headings the clinician typed ("Plan:", "HW -") and the category each announces (data/headings.toml)."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


@cache
def _labels() -> dict[str, str]:
    with open(Path(__file__).parent / "data" / "headings.toml", "rb") as handle:
        return {k.lower(): v for k, v in tomllib.load(handle)["labels"].items()}


def heading_category(label: str) -> str | None:
    """The category a typed heading announces; "" for a known heading with no single category; None if unknown."""
    return _labels().get(" ".join(label.lower().split()))
