"""The annotated corpus the reader learns from (corpus/, docs/annotation.md): load, validate, fill in spans.

    python -m afternote.reading.corpus check corpus/       # validate every file; exit 1 on any problem
    python -m afternote.reading.corpus fix FILE [FILE...]   # short-form clauses to the full form, spans filled in
    python -m afternote.reading.corpus stats corpus/        # counts per split, author, label
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from afternote.labels import ACTORS, CATEGORIES, EXPERIENCERS, POLARITIES, RISK_KINDS, TIMES

SPLITS = ("train", "heldout")
STYLES = ("bullets", "paragraph", "shorthand", "mixed", "dictated", "template", "capitals", "non-native")
MODALITIES = ("individual", "couples", "family", "group")


@dataclass(frozen=True)
class GoldClause:
    start: int
    end: int
    text: str
    category: str
    actor: str          # client | clinician | both | none | other:ROLE
    time: str
    risk: tuple[tuple[str, str, str], ...]

    @property
    def actor_kind(self) -> str:
        return self.actor.split(":", 1)[0]


@dataclass(frozen=True)
class Case:
    id: str
    author: str
    split: str
    style: str
    modality: str
    summary: str
    clauses: tuple[GoldClause, ...]


def _full_clause(raw, summary: str, search_from: int) -> dict:
    """A clause in the full form, its span found in the summary at or after `search_from`."""
    if isinstance(raw, list):
        text, category, actor, time, *rest = raw
        raw = {"text": text, "category": category, "actor": actor, "time": time, "risk": rest[0] if rest else []}
    raw = dict(raw)
    text = raw["text"]
    span = raw.get("span")
    if not (span and summary[span[0]:span[1]] == text):
        at = summary.find(text, search_from)
        if at < 0:
            raise ValueError(f"clause text not found in the summary after offset {search_from}: {text!r}")
        span = [at, at + len(text)]
    return {"span": span, "text": text, "category": raw["category"], "actor": raw["actor"], "time": raw["time"],
            "risk": [list(r) for r in raw.get("risk") or []]}


def fix_record(record: dict) -> dict:
    summary = record["summary"]
    clauses, cursor = [], 0
    for raw in record["clauses"]:
        clause = _full_clause(raw, summary, cursor)
        clauses.append(clause)
        cursor = clause["span"][1]
    return {**record, "clauses": clauses}


def record_problems(record: dict) -> list[str]:
    """What is wrong with one corpus record (an empty list when it is sound)."""
    problems = []
    for key in ("id", "author", "style", "modality", "summary", "clauses"):
        if key not in record:
            problems.append(f"missing '{key}'")
    if problems:
        return problems
    if record["style"] not in STYLES:
        problems.append(f"style {record['style']!r} is not one of {STYLES}")
    if record["modality"] not in MODALITIES:
        problems.append(f"modality {record['modality']!r} is not one of {MODALITIES}")
    summary, last_end = record["summary"], 0
    for number, clause in enumerate(record["clauses"], 1):
        where = f"clause {number} ({clause.get('text', '')[:30]!r})" if isinstance(clause, dict) else f"clause {number}"
        if not isinstance(clause, dict) or "span" not in clause:
            problems.append(f"{where}: short form; run `python -m afternote.reading.corpus fix` first")
            continue
        start, end = clause["span"]
        if summary[start:end] != clause["text"]:
            problems.append(f"{where}: span {start}-{end} does not hold its text")
        if start < last_end:
            problems.append(f"{where}: overlaps or precedes the clause before it")
        if clause["text"] != clause["text"].strip() or not clause["text"]:
            problems.append(f"{where}: leading or trailing spaces, or empty")
        last_end = end
        if clause["category"] not in CATEGORIES:
            problems.append(f"{where}: category {clause['category']!r} unknown")
        kind, _, role = clause["actor"].partition(":")
        if kind not in ACTORS or (kind == "other") != bool(role.strip()):
            problems.append(f"{where}: actor {clause['actor']!r} (client, clinician, both, none, other:ROLE)")
        if clause["time"] not in TIMES:
            problems.append(f"{where}: time {clause['time']!r} unknown")
        for risk in clause["risk"]:
            if len(risk) != 3 or risk[0] not in RISK_KINDS or risk[1] not in POLARITIES or risk[2] not in EXPERIENCERS:
                problems.append(f"{where}: risk {risk!r} is not [kind, polarity, experiencer]")
    return problems


def _files(root: Path) -> list[Path]:
    return sorted(root.glob("*/*.jsonl")) if root.is_dir() else [root]


def load(root: Path | str, split: str | None = None) -> list[Case]:
    """Every case of the corpus (or of one split), in a stable order."""
    cases = []
    for path in _files(Path(root)):
        part = path.parent.name
        if split and part != split:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            clauses = tuple(GoldClause(c["span"][0], c["span"][1], c["text"], c["category"], c["actor"], c["time"],
                                       tuple(tuple(r) for r in c["risk"])) for c in record["clauses"])
            cases.append(Case(record["id"], record["author"], part, record["style"], record["modality"],
                              record["summary"], clauses))
    return cases


def corpus_hash(root: Path | str) -> str:
    """SHA-256 over the training split's files: the shipped model records it, so a changed corpus is noticed."""
    digest = hashlib.sha256()
    for path in _files(Path(root)):
        if path.parent.name == "train":
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _check(root: Path) -> int:
    bad, ids = 0, Counter()
    for path in _files(root):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{number}: not JSON ({exc})")
                bad += 1
                continue
            ids[record.get("id")] += 1
            for problem in record_problems(record):
                print(f"{path}:{number}: {record.get('id')}: {problem}")
                bad += 1
    for case_id, count in ids.items():
        if count > 1:
            print(f"id {case_id} appears {count} times")
            bad += 1
    print(f"{bad} problems" if bad else "ok")
    return 1 if bad else 0


def _fix(paths: list[Path]) -> int:
    failed = 0
    for path in paths:
        out = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(json.dumps(fix_record(json.loads(line)), ensure_ascii=False))
            except (ValueError, KeyError, json.JSONDecodeError) as exc:
                print(f"{path}:{number}: {exc}")
                failed += 1
                out.append(line)
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{failed} records could not be fixed" if failed else "fixed")
    return 1 if failed else 0


def _stats(root: Path) -> int:
    cases = load(root)
    for split in SPLITS:
        part = [c for c in cases if c.split == split]
        clauses = [cl for c in part for cl in c.clauses]
        print(f"{split}: {len(part)} summaries, {len(clauses)} clauses, authors {sorted({c.author for c in part})}, "
              f"with risk content {sum(any(cl.category in ('risk', 'safety') for cl in c.clauses) for c in part)}")
    every = [cl for c in cases for cl in c.clauses]
    for name, values in (("category", [c.category for c in every]), ("actor", [c.actor_kind for c in every]),
                         ("time", [c.time for c in every]), ("style", [c.style for c in cases]),
                         ("modality", [c.modality for c in cases]),
                         ("polarity", [r[1] for c in every for r in c.risk])):
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in Counter(values).most_common()))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) >= 2 and args[0] == "check":
        return _check(Path(args[1]))
    if len(args) >= 2 and args[0] == "fix":
        return _fix([Path(a) for a in args[1:]])
    if len(args) >= 2 and args[0] == "stats":
        return _stats(Path(args[1]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
