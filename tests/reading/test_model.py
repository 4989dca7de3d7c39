"""The trained reader: shipped, trained on this corpus, reproducible, loaded lazily, without torch."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from afternote.reading import model as reader_model
from afternote.reading.corpus import corpus_hash, load
from afternote.reading.train import examples, train

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_the_shipped_model_was_trained_on_the_corpus_as_it_is():
    meta = reader_model.shipped_model().meta
    assert meta["corpus_sha256"] == corpus_hash(CORPUS), (
        "corpus/ changed since the model was trained: run `python -m afternote.reading.train`")


def test_the_shipped_model_is_small():
    assert reader_model.MODEL_PATH.stat().st_size < 20_000_000


def test_training_twice_gives_identical_predictions():
    cases = load(CORPUS, "train")[::12]
    rows = examples(cases, with_rules=True)
    first, second = train(rows, 1.0, {}), train(rows, 1.0, {})
    for name in first.heads:
        assert np.array_equal(first.heads[name].weights, second.heads[name].weights)
    held = examples(load(CORPUS, "heldout")[:10], with_rules=True)
    features = [e.features for e in held]
    assert [p["category"].scores for p in first.predict(features)] == \
        [p["category"].scores for p in second.predict(features)]


def test_a_saved_model_loads_back_the_same(tmp_path):
    rows = examples(load(CORPUS, "train")[::30], with_rules=True)
    trained = train(rows, 1.0, {"corpus_sha256": "x"})
    trained.save(tmp_path / "reader.npz")
    loaded = reader_model.load(tmp_path / "reader.npz")
    features = [e.features for e in rows[:20]]
    assert [p["actor"].label for p in loaded.predict(features)] == [p["actor"].label for p in trained.predict(features)]
    assert loaded.meta["corpus_sha256"] == "x"


def test_a_missing_model_file_says_how_to_restore_it(tmp_path):
    with pytest.raises(reader_model.ModelMissing, match="reading.train"):
        reader_model.load(tmp_path / "absent.npz")


def test_the_model_loads_on_first_use_and_needs_no_torch():
    code = ("import sys, afternote\n"
            "from afternote.reading import model\n"
            "print(model.shipped_model.cache_info().currsize)\n"
            "afternote.draft('pt c/o low mood. f/u 1 wk', format='soap')\n"
            "print(model.shipped_model.cache_info().currsize, 'torch' in sys.modules, 'sklearn' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "1", "False", "False"]


def test_training_in_two_processes_writes_the_same_file(tmp_path):
    """One command, reproducible: two fresh processes (their own BLAS threads) train byte-identical files."""
    import subprocess
    import sys
    for split, authors, count in (("train", "ABC", 6), ("heldout", "G", 4)):
        (tmp_path / "corpus" / split).mkdir(parents=True)
        for author in authors:
            lines = (CORPUS / split / f"{author}.jsonl").read_text(encoding="utf-8").splitlines()[:count]
            (tmp_path / "corpus" / split / f"{author}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.npz"
        subprocess.run([sys.executable, "-m", "afternote.reading.train", "--corpus", str(tmp_path / "corpus"),
                        "--out", str(out)], check=True, capture_output=True, timeout=600)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_naive_bayes_blend_is_one_linear_head_over_the_same_buckets():
    rows = examples(load(CORPUS, "train")[::30], with_rules=True)
    plain, blended = train(rows, 1.0, {}), train(rows, 1.0, {}, nb=(0.1, 0.1))
    unused = ~np.any(plain.heads["category"].weights != 0, axis=1)
    assert unused.any() and not np.any(blended.heads["category"].weights[unused])  # no row, no weight
    assert not np.array_equal(plain.heads["category"].weights, blended.heads["category"].weights)
    assert np.array_equal(plain.heads["actor"].weights, blended.heads["actor"].weights)  # only the category head
    assert train(rows, 1.0, {}, nb=(0.1, 0.0)).heads["category"].labels == plain.heads["category"].labels
