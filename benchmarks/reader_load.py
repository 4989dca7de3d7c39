"""The learned reader's cost: loading the shipped model, reading one summary, and what it adds to an install.

    .venv/bin/python benchmarks/reader_load.py [--runs 7]

Model load is timed in fresh processes (the first `afternote.draft` of a process pays it once). Install size added:
the model file plus numpy (the one dependency the reader brought). Prints figures; asserts nothing.
Targets (issue 9): load <= 300 ms, install size added <= 60 MB, model file <= 20 MB.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

LOAD = ("import time; import afternote.reading.model as m; t = time.perf_counter(); m.load(); "
        "print((time.perf_counter() - t) * 1000)")
NUMPY = "import time; t = time.perf_counter(); import numpy; print((time.perf_counter() - t) * 1000)"
FIRST_READ = ("import time, afternote.reading.reader as r; t = time.perf_counter(); "
              "r.read_statements('pt c/o low mood, poor sleep. SI/HI neg. I taught PMR. f/u 1wk'); "
              "print((time.perf_counter() - t) * 1000)")


def _ms(code: str) -> float:
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    import numpy

    from afternote.reading.model import MODEL_PATH
    loads = sorted(_ms(LOAD) for _ in range(args.runs))
    numpys = sorted(_ms(NUMPY) for _ in range(args.runs))
    firsts = sorted(_ms(FIRST_READ) for _ in range(args.runs))
    numpy_dir = Path(numpy.__file__).parent
    libs = numpy_dir.parent / "numpy.libs"
    numpy_mb = (_size(numpy_dir) + (_size(libs) if libs.exists() else 0)) / 1e6
    model_mb = MODEL_PATH.stat().st_size / 1e6
    print(f"model file load (fresh process, {args.runs} runs): median {statistics.median(loads):.0f} ms, "
          f"max {loads[-1]:.0f} ms; importing numpy: median {statistics.median(numpys):.0f} ms")
    print(f"first read of a summary, model load included: median {statistics.median(firsts):.0f} ms")
    print(f"install size added: model {model_mb:.1f} MB + numpy {numpy_mb:.1f} MB = {model_mb + numpy_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
