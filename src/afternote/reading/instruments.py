"""The rating scales afternote knows (data/instruments.toml): their typed names, ranges and published severity bands."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    names: tuple[str, ...]
    capitals_only: tuple[str, ...]
    low: float
    high: float
    step: float = 1
    bands: tuple[Band, ...] = ()
    out_of: int | None = None  # read as this instrument only when typed "out of" this maximum
    higher_is_better: bool = False  # ORS, SRS: the lowest band is the one of concern
    loinc: str | None = None  # the LOINC code of the total score, where the table gives one (FHIR exports)

    @property
    def range_text(self) -> str:
        return f"{score_text(self.low)}-{score_text(self.high)}"

    def band_of(self, value: float) -> Band | None:
        """The severity band a total falls in, or None (no published bands, or not a possible total)."""
        return next((b for b in self.bands if b.low <= value <= b.high), None)

    def problem_with(self, value: float, out_of: int | None = None) -> str | None:
        """Why a typed total cannot be a total of this instrument, or None if it can."""
        if not self.low <= value <= self.high:
            return f"outside {self.range_text}"
        if round(value / self.step, 6) % 1:
            return "not a whole number" if self.step == 1 else f"not in steps of {score_text(self.step)}"
        if out_of is not None and out_of != self.high:
            return f"typed out of {out_of}, but scored out of {score_text(self.high)}"
        return None


def score_text(value: float) -> str:
    """A total as a clinician writes it: "14", "23.4" (never "14.0")."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _instrument(key: str, entry: dict) -> Instrument:
    bands = tuple(Band(b["from"], b["to"], b["label"]) for b in entry.get("bands", ()))
    return Instrument(key, entry["name"], tuple(entry.get("names", ())), tuple(entry.get("capitals_only", ())),
                      entry["low"], entry["high"], entry.get("step", 1), bands, entry.get("out_of"),
                      entry.get("higher_is_better", False), entry.get("loinc"))


@cache
def _table() -> dict:
    with open(Path(__file__).parent / "data" / "instruments.toml", "rb") as handle:
        return tomllib.load(handle)


@cache
def instruments() -> dict[str, Instrument]:
    """Every known instrument by its key ("phq9", "gad7", ...), in the table's order."""
    return {key: _instrument(key, entry) for key, entry in _table()["instruments"].items()}


def instrument(key: str) -> Instrument:
    return instruments()[key]


@cache
def reading_words() -> dict[str, tuple[str, ...]]:
    """The words read around a typed total (fillers, earlier, then...; see the table's [reading])."""
    return {kind: tuple(words) for kind, words in _table()["reading"].items()}
