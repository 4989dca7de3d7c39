"""In-process drafting speed: the dev cases repeated to at least 2,000 notes across every format.

    .venv/bin/python benchmarks/draft_speed.py [--notes 2000] [--cases ../shared/eval/dev.jsonl]

Prints p50/p95/p99 milliseconds per note, peak RSS of this process and the tracemalloc peak of the timed loop.
Targets: p95 <= 15 ms per note with the learned reader (issue 9), peak memory < 150 MB. A benchmark prints figures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import afternote
from afternote.reading.risk import read_risks
from afternote.reading.segment import protected_spans
from afternote.drafting.language import expand_shorthand
from afternote.formats import builtin_formats

DEFAULT_CASES = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "dev.jsonl"


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--notes", type=int, default=2000)
    args = parser.parse_args()

    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    formats = sorted(builtin_formats())
    pairs = list(itertools.product(cases, formats))  # every case in every format, then round again
    jobs = list(itertools.islice(itertools.cycle(pairs), max(args.notes, len(pairs))))

    for case, fmt in pairs[: len(formats) * 2]:  # warm caches (compiled patterns, loaded formats)
        afternote.draft(case["summary"], format=fmt, session=case.get("session"))

    timings: list[float] = []
    for case, fmt in jobs:
        expand_shorthand.cache_clear()  # every real note is new: no help from having read this one before
        read_risks.cache_clear()
        protected_spans.cache_clear()
        t0 = time.perf_counter()
        afternote.draft(case["summary"], format=fmt, session=case.get("session"))
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()

    # memory: one more round of every case in every format under tracemalloc (it slows allocation, so untimed)
    gc.collect()
    tracemalloc.start()
    for case, fmt in pairs:
        afternote.draft(case["summary"], format=fmt, session=case.get("session"))
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    cpu = time.process_time()

    print(f"python {platform.python_version()}, {len(cases)} cases x {len(formats)} formats, {len(jobs)} notes")
    print(f"per note (ms): p50 {percentile(timings, .50):.2f}  p95 {percentile(timings, .95):.2f}  "
          f"p99 {percentile(timings, .99):.2f}  max {timings[-1]:.2f}  mean {statistics.fmean(timings):.2f}")
    print(f"throughput: {len(jobs) / (sum(timings) / 1000):.0f} notes/s in-process (one thread); "
          f"process CPU time {cpu:.1f} s")
    print(f"memory: peak RSS {rss:.1f} MB; tracemalloc peak {traced_peak / 1e6:.1f} MB (one note at a time)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work slows the figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
