"""Train the reader from the corpus, compare the candidates on the held-out authors, write the shipped model.

    pip install -e '.[train]'
    python -m afternote.reading.train                # compare, choose, write src/afternote/reading/data/reader.npz
    python -m afternote.reading.train --report FILE  # also write the held-out report (markdown)

Deterministic: the same corpus gives the same file, byte for byte (the solver runs on one BLAS thread: the order of
a multithreaded sum changes the last bits, and those grow over a thousand iterations). Only the corpus's training part is trained on;
the held-out part (other authors) is only measured. Needs scikit-learn (the `train` extra), not at run time.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from afternote.labels import ACTORS, CATEGORIES, TIMES
from afternote.reading.corpus import Case, GoldClause, corpus_hash, load
from afternote.reading.cues import rule_categories
from afternote.reading.features import BUCKETS, clause_features, feature_indices
from afternote.reading.model import MODEL_PATH, Head, ReaderModel
from afternote.reading.reader import places, read_statements, sentence_risks
from afternote.reading.segment import segment
from afternote.reading.statements import Statement

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
LABELS = {"category": CATEGORIES, "actor": ACTORS, "time": TIMES}
C_GRID = (0.5, 2.0, 8.0)
# the category head may add complement naive Bayes's log-weights (smoothing alpha) times a weight to the logistic
# regression's: still one linear head over the same buckets; (alpha, weight) by cross-validation, weight 0 is "none"
NB_ALPHAS = (0.1, 0.5)
NB_WEIGHTS = (0.0, 0.05, 0.1, 0.2)
FEATURE_VERSION = 2


@dataclass(frozen=True)
class Example:
    features: tuple[str, ...]
    gold: GoldClause
    author: str


def gold_for(statement: Statement, gold: Sequence[GoldClause]) -> GoldClause | None:
    """The gold clause that shares the most characters with a segmented statement."""
    best, most = None, 0
    for clause in gold:
        shared = min(statement.end, clause.end) - max(statement.start, clause.start)
        if shared > most:
            best, most = clause, shared
    return best


def gold_value(clause: GoldClause, head: str) -> str:
    return {"category": clause.category, "actor": clause.actor_kind, "time": clause.time}[head]


def examples(cases: Sequence[Case], with_rules: bool) -> list[Example]:
    """The segmented statements of each case, labelled by the gold clause they overlap most: the model learns
    from what the segmenter will hand it at run time."""
    out = []
    for case in cases:
        statements = segment(case.summary)
        risks = sentence_risks(case.summary, statements)
        for statement, place, risk in zip(statements, places(statements), risks):
            gold = gold_for(statement, case.clauses)
            if gold is not None:
                out.append(Example(tuple(clause_features(statement.text, place, with_rules, risk)), gold, case.author))
    return out


def _matrix(rows: Sequence[Example]):
    from scipy.sparse import csr_matrix
    indices = [feature_indices(e.features) for e in rows]
    data = np.ones(sum(len(i) for i in indices), dtype=np.float64)
    indptr = np.cumsum([0] + [len(i) for i in indices])
    return csr_matrix((data, np.concatenate(indices).astype(np.int64), indptr), shape=(len(rows), BUCKETS))


def fit_head(matrix, labels: Sequence[str], names: Sequence[str], c: float) -> Head:
    """One head: multinomial logistic regression over the buckets the training rows use (the rest stay zero)."""
    from sklearn.linear_model import LogisticRegression
    used = np.unique(matrix.indices)
    present = [n for n in names if n in set(labels)]
    model = LogisticRegression(C=c, max_iter=1000, tol=1e-4)
    model.fit(matrix[:, used], labels)
    classes = list(model.classes_)
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # a binary model keeps one row; spread it over the two labels
        coef, intercept = np.vstack([-coef, coef]) / 2, np.array([-intercept[0], intercept[0]]) / 2
    order = [classes.index(n) for n in present]
    weights = np.zeros((BUCKETS, len(present)), dtype=np.float32)
    weights[used] = coef[order].T
    return Head(tuple(present), weights, intercept[order].astype(np.float32))


def complement_nb(matrix, labels: Sequence[str], names: Sequence[str], alpha: float) -> np.ndarray:
    """Complement naive Bayes's log-weight of every bucket for each label (BUCKETS x labels, in `fit_head`'s label
    order), centred per bucket: a bucket the training rows never use weighs nothing."""
    from sklearn.naive_bayes import ComplementNB
    model = ComplementNB(alpha=alpha).fit(matrix, labels)
    classes = list(model.classes_)
    weights = model.feature_log_prob_[[classes.index(n) for n in names if n in set(labels)]].T
    weights = weights - weights.mean(axis=1, keepdims=True)
    weights[np.setdiff1d(np.arange(BUCKETS), np.unique(matrix.indices))] = 0.0
    return weights.astype(np.float32)


def with_nb(head: Head, nb: np.ndarray, weight: float) -> Head:
    return Head(head.labels, head.weights + np.float32(weight) * nb, head.bias) if weight else head


def train(rows: Sequence[Example], c: float, meta: dict, nb: tuple[float, float] = (0.0, 0.0)) -> ReaderModel:
    matrix = _matrix(rows)
    heads = {head: fit_head(matrix, [gold_value(e.gold, head) for e in rows], names, c)
             for head, names in LABELS.items()}
    alpha, weight = nb
    if weight:
        categories = [e.gold.category for e in rows]
        heads["category"] = with_nb(heads["category"], complement_nb(matrix, categories, CATEGORIES, alpha), weight)
    # round-trip through float16, as the shipped file stores it, so what is measured is what ships
    heads = {name: Head(h.labels, h.weights.astype(np.float16).astype(np.float32), h.bias) for name, h in heads.items()}
    return ReaderModel(heads, meta)


def _accuracy(model: ReaderModel, rows: Sequence[Example], head: str) -> float:
    predicted = model.predict([e.features for e in rows])
    return sum(p[head].label == gold_value(e.gold, head) for p, e in zip(predicted, rows)) / max(len(rows), 1)


def choose_c(rows: Sequence[Example]) -> tuple[float, dict[float, float]]:
    """C by cross-validation over folds of whole training authors, on the category head."""
    authors = sorted({e.author for e in rows})
    folds = [authors[i::3] for i in range(3)]  # three folds of whole authors
    scores = {}
    for c in C_GRID:
        correct = total = 0
        for held_authors in folds:
            fold = [e for e in rows if e.author not in held_authors]
            held = [e for e in rows if e.author in held_authors]
            matrix = _matrix(fold)
            head = fit_head(matrix, [e.gold.category for e in fold], CATEGORIES, c)
            model = ReaderModel({"category": head}, {})
            correct += _accuracy(model, held, "category") * len(held)
            total += len(held)
        scores[c] = correct / total
    return max(scores, key=lambda c: (scores[c], -c)), scores


def choose_nb(rows: Sequence[Example], c: float) -> tuple[tuple[float, float], dict[tuple[float, float], float]]:
    """The naive Bayes blend (alpha, weight) by the same folds of whole training authors, on the category head."""
    authors = sorted({e.author for e in rows})
    correct: Counter = Counter()
    for held_authors in (authors[i::3] for i in range(3)):
        fold = [e for e in rows if e.author not in held_authors]
        held = [e for e in rows if e.author in held_authors]
        matrix, labels = _matrix(fold), [e.gold.category for e in fold]
        head = fit_head(matrix, labels, CATEGORIES, c)
        for alpha in NB_ALPHAS:
            nb = complement_nb(matrix, labels, CATEGORIES, alpha)
            for weight in NB_WEIGHTS:
                model = ReaderModel({"category": with_nb(head, nb, weight)}, {})
                correct[(alpha, weight)] += _accuracy(model, held, "category") * len(held)
    scores = {key: value / len(rows) for key, value in correct.items()}
    return max(scores, key=lambda key: (scores[key], -key[1], key[0])), scores


# ---- measuring the reader as it runs (segmenter, model and guard together) on held-out cases ----

def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " .,;:!?":
        end -= 1
    return start, end


def boundary_scores(cases: Sequence[Case]) -> dict[str, float]:
    """Clause-boundary precision, recall and F1: a segmented clause counts when its span matches a gold span
    (trailing punctuation aside)."""
    found = gold = hits = 0
    for case in cases:
        mine = {_trim_span(case.summary, s.start, s.end) for s in segment(case.summary)}
        theirs = {_trim_span(case.summary, c.start, c.end) for c in case.clauses}
        found, gold, hits = found + len(mine), gold + len(theirs), hits + len(mine & theirs)
    precision, recall = hits / max(found, 1), hits / max(gold, 1)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / max(precision + recall, 1e-9)}


def reading_scores(cases: Sequence[Case], model: ReaderModel) -> dict:
    """Per-field accuracy of the whole reader, the category confusion matrix, and the risk reader's figures."""
    fields = Counter()
    total = 0
    confusion: Counter = Counter()
    rules_correct = 0
    risk = Counter()
    for case in cases:
        statements = read_statements(case.summary, model)
        rules = rule_categories(segment(case.summary))
        for statement, rule in zip(statements, rules):
            gold = gold_for(statement, case.clauses)
            if gold is None:
                continue
            total += 1
            fields["category"] += statement.category == gold.category
            fields["actor"] += (statement.actor or "none") == gold.actor_kind
            fields["time"] += statement.time == gold.time
            confusion[(gold.category, statement.category)] += 1
            rules_correct += rule == gold.category
            if gold.category == "risk":
                risk["risk clauses"] += 1
                risk["risk clauses read as risk or safety"] += statement.category in ("risk", "safety")
        for clause in case.clauses:
            mine = [r for s in statements if s.start < clause.end and clause.start < s.end for r in s.risks]
            for kind, polarity, experiencer in clause.risk:
                risk["mentions"] += 1
                same = [r for r in mine if r.kind == kind]
                if same:
                    risk["kind found"] += 1
                    risk["polarity right"] += any(r.polarity == polarity for r in same)
                    risk["experiencer right"] += any(r.experiencer == experiencer for r in same)
                    risk["endorsed read as denied"] += polarity != "denied" and all(r.polarity == "denied" for r in same)
            gold_kinds = {k for k, _, _ in clause.risk}
            risk["mentions read"] += len(mine)
            risk["mentions read with no such kind in gold"] += sum(r.kind not in gold_kinds for r in mine)
    return {"total": total, "fields": {k: v / max(total, 1) for k, v in fields.items()},
            "rules_category": rules_correct / max(total, 1), "confusion": confusion, "risk": dict(risk)}


def _macro_f1(confusion: Counter) -> float:
    f1s = []
    for category in CATEGORIES:
        tp = confusion[(category, category)]
        fp = sum(v for (g, p), v in confusion.items() if p == category and g != category)
        fn = sum(v for (g, p), v in confusion.items() if g == category and p != category)
        if tp + fp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / max(len(f1s), 1)


def report(candidates: dict[str, dict], chosen: str, c_scores: dict, boundaries: dict, counts: dict) -> str:
    lines = ["## The reader on the corpus's held-out authors", "",
             f"Trained on {counts['train_cases']} summaries ({counts['train_rows']} statements) by authors "
             f"{counts['train_authors']}; measured on {counts['heldout_cases']} summaries ({counts['heldout_rows']} "
             f"statements) by authors {counts['heldout_authors']}, never trained on. Regularization C by "
             f"three-fold cross-validation over whole training authors: "
             + ", ".join(f"C={c:g} {s:.1%}" for c, s in c_scores.items()) + ". Complement naive Bayes blended "
             f"into the category head, by the same folds: {counts['nb']}.", "",
             "| candidate | category | category macro-F1 | actor | time |", "| --- | --- | --- | --- | --- |"]
    first = next(iter(candidates.values()))
    lines.append(f"| the cue table alone (the rules before this reader) | {first['rules_category']:.1%} | | | |")
    for name, scores in candidates.items():
        f = scores["fields"]
        mark = " (chosen)" if name == chosen else ""
        lines.append(f"| {name}{mark} | {f['category']:.1%} | {_macro_f1(scores['confusion']):.3f} | "
                     f"{f['actor']:.1%} | {f['time']:.1%} |")
    best = candidates[chosen]
    r = best["risk"]
    lines += ["", f"Clause boundaries against the gold clauses: precision {boundaries['precision']:.1%}, recall "
              f"{boundaries['recall']:.1%}, F1 {boundaries['f1']:.1%}.", "",
              "Risk reader (deterministic, the same for every candidate), per gold risk mention: "
              f"kind found {r.get('kind found', 0)}/{r.get('mentions', 0)}; of those, polarity right "
              f"{r.get('polarity right', 0)}, experiencer right {r.get('experiencer right', 0)}; a mention that was "
              f"not a denial read as denied: {r.get('endorsed read as denied', 0)}. Mentions read where the gold "
              f"clause has no mention of that kind: {r.get('mentions read with no such kind in gold', 0)} of "
              f"{r.get('mentions read', 0)}. Gold risk clauses read as risk or safety: "
              f"{r.get('risk clauses read as risk or safety', 0)}/{r.get('risk clauses', 0)}.", "",
              "Category confusion of the chosen reader (rows: gold, columns: read):", ""]
    short = [c[:5] for c in CATEGORIES]
    lines.append("| gold \\ read | " + " | ".join(short) + " |")
    lines.append("| --- " * (len(CATEGORIES) + 1) + "|")
    for gold in CATEGORIES:
        lines.append(f"| {gold} | " + " | ".join(str(best["confusion"][(gold, p)] or "") for p in CATEGORIES) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--report", type=Path, help="write the held-out report (markdown) here")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits  # comes with scikit-learn
    with threadpool_limits(limits=1):
        return _train_and_report(args)


def _train_and_report(args: argparse.Namespace) -> int:
    began = time.perf_counter()
    train_cases, heldout = load(args.corpus, "train"), load(args.corpus, "heldout")
    if not train_cases:
        print(f"no training cases under {args.corpus}/train", file=sys.stderr)
        return 2
    candidates, fitted = {}, {}
    for name, with_rules in (("word and character n-grams", False), ("n-grams + cue table + risk reader", True)):
        rows = examples(train_cases, with_rules)
        best_c, c_scores = choose_c(rows)
        best_nb, nb_scores = choose_nb(rows, best_c)
        model = train(rows, best_c, {}, best_nb)
        candidates[name] = reading_scores(heldout, _with_rules_model(model, with_rules))
        fitted[name] = (model, rows, best_c, with_rules, c_scores, best_nb, nb_scores)
    chosen = max(candidates, key=lambda n: candidates[n]["fields"]["category"])
    model, rows, best_c, with_rules, c_scores, best_nb, nb_scores = fitted[chosen]
    if not with_rules:  # the reader computes the rule features; ship the candidate that was trained with them
        print("note: the candidate without rule features won; the reader's features keep the rules on",
              file=sys.stderr)
        model, rows, best_c, _, c_scores, best_nb, nb_scores = fitted["n-grams + cue table + risk reader"]
    meta = {"corpus_sha256": corpus_hash(args.corpus), "feature_version": FEATURE_VERSION, "C": best_c,
            "nb_alpha": best_nb[0], "nb_weight": best_nb[1], "candidate": chosen, "train_statements": len(rows)}
    ReaderModel(model.heads, meta).save(args.out)
    counts = {"train_cases": len(train_cases), "train_rows": len(rows),
              "train_authors": ", ".join(sorted({c.author for c in train_cases})),
              "heldout_cases": len(heldout), "heldout_rows": candidates[chosen]["total"],
              "heldout_authors": ", ".join(sorted({c.author for c in heldout})),
              "nb": ", ".join(f"alpha {a:g} weight {w:g} {v:.1%}" for (a, w), v in nb_scores.items())
              + f" (chosen: alpha {best_nb[0]:g}, weight {best_nb[1]:g})"}
    text = report(candidates, chosen, c_scores, boundary_scores(heldout), counts)
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - began:.0f} s",
          file=sys.stderr)
    return 0


def _with_rules_model(model: ReaderModel, with_rules: bool) -> ReaderModel:
    """A model whose predictions use the candidate's own features (with or without the rules)."""
    if with_rules:
        return model
    return _NoRules(model.heads, model.meta)


class _NoRules(ReaderModel):
    def predict(self, features):
        stripped = [[f for f in fs if not f.startswith(("cue:", "cuetop:", "risk:"))] for fs in features]
        return super().predict(stripped)


if __name__ == "__main__":
    raise SystemExit(main())
