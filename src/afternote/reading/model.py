"""The trained reader: linear models over hashed clause features, one head per field (category, actor, time).

The file ships in the package (data/reader.npz, written by `python -m afternote.reading.train`) and is loaded on
first use; it needs numpy only: no torch, no download.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from afternote.errors import AfternoteError
from afternote.reading.features import BUCKETS, feature_indices

MODEL_PATH = Path(__file__).parent / "data" / "reader.npz"
HEADS = ("category", "actor", "time")


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    scores: dict[str, float]  # every label's probability


@dataclass(frozen=True)
class Head:
    labels: tuple[str, ...]
    weights: np.ndarray   # BUCKETS x len(labels), float16 as shipped
    bias: np.ndarray

    def predict(self, rows: Sequence[Sequence[int]]) -> list[Prediction]:
        return _predict_all({"head": self}, self.weights, rows)["head"]


def _predict_all(heads: dict[str, Head], weights: np.ndarray,
                 rows: Sequence[Sequence[int]]) -> dict[str, list[Prediction]]:
    """Every head's predictions in one pass: the rows' weights (`weights`, the heads' side by side) are gathered and
    summed once, then each head takes its columns."""
    if not rows:
        return {name: [] for name in heads}
    flat = np.fromiter((i for row in rows for i in row), dtype=np.int64)
    starts = np.cumsum([0] + [len(row) for row in rows[:-1]])
    sums = (np.add.reduceat(weights[flat], starts, axis=0, dtype=np.float32) if len(flat)
            else np.zeros((len(rows), weights.shape[1]), dtype=np.float32))
    sums[np.array([len(row) == 0 for row in rows])] = 0.0  # reduceat repeats a row for an empty slice
    out, column = {}, 0
    for name, head in heads.items():
        logits = sums[:, column:column + len(head.labels)] + head.bias
        column += len(head.labels)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        best = probs.argmax(axis=1)
        out[name] = [Prediction(head.labels[b], row[b], dict(zip(head.labels, row)))
                     for b, row in zip(best.tolist(), probs.tolist())]
    return out


@dataclass(frozen=True)
class ReaderModel:
    heads: dict[str, Head]
    meta: dict

    def predict(self, features: Sequence[Sequence[str]]) -> list[dict[str, Prediction]]:
        """Each clause's prediction for every head, from its feature strings."""
        rows = [feature_indices(f) for f in features]
        by_head = _predict_all(self.heads, self._side_by_side, rows)
        return [{name: by_head[name][i] for name in self.heads} for i in range(len(rows))]

    @cached_property
    def _side_by_side(self) -> np.ndarray:
        """The heads' weight matrices as one, joined on first use and kept for the model's life."""
        return np.hstack([head.weights for head in self.heads.values()])

    def save(self, path: Path) -> None:
        arrays = {}
        for name, head in self.heads.items():
            arrays[f"{name}_weights"] = head.weights.astype(np.float16)
            arrays[f"{name}_bias"] = head.bias.astype(np.float32)
        meta = {**self.meta, "labels": {name: list(head.labels) for name, head in self.heads.items()}}
        with open(path, "wb") as handle:
            np.savez_compressed(handle, meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8),
                                **arrays)


class ModelMissing(AfternoteError):
    """The reader's trained file is not there (a broken install, or a checkout that was never trained)."""


def load(path: Path = MODEL_PATH) -> ReaderModel:
    if not path.exists():
        raise ModelMissing(f"The reader's model file {path.name} is missing from the afternote package. Reinstall "
                           "afternote, or in a checkout run `python -m afternote.reading.train`.")
    with np.load(path) as data:
        meta = json.loads(bytes(data["meta"]).decode())
        heads = {}
        for name, labels in meta.pop("labels").items():
            weights = data[f"{name}_weights"]  # float16, summed in float32
            if weights.shape != (BUCKETS, len(labels)):
                raise ModelMissing(f"The reader's model file does not fit this version of afternote ({weights.shape}); "
                                   "run `python -m afternote.reading.train`.")
            heads[name] = Head(tuple(labels), weights, data[f"{name}_bias"].astype(np.float32))
    return ReaderModel(heads, meta)


@cache
def shipped_model() -> ReaderModel:
    """The model that ships with the package, loaded once, on first use."""
    return load()
