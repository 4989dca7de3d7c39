"""Batch throughput of the real command: `afternote draft --jsonl CASES --format F` on one core.

    .venv/bin/python benchmarks/batch_throughput.py [--notes 2000] [--format soap] [--cases ../shared/eval/dev.jsonl]

Writes the dev cases repeated to at least --notes lines (fresh ids) to a temporary JSONL file, runs the console
script pinned to CPU 0 with `taskset -c 0` when available, and prints notes per second (wall clock, including
start-up) and the child's peak RSS. Targets (issue 2): >= 200 notes/s on one core, peak memory < 150 MB.
A benchmark prints figures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CASES = ROOT / ".." / "shared" / "eval" / "dev.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--format", default="soap")
    args = parser.parse_args()

    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    command = [str(Path(sys.executable).parent / "afternote"), "draft", "--jsonl", "CASES", "--format", args.format]
    pinned = shutil.which("taskset") is not None
    if pinned:
        command = ["taskset", "-c", "0", *command]

    with tempfile.TemporaryDirectory() as tmp:
        cases_path = Path(tmp) / "cases.jsonl"
        with cases_path.open("w", encoding="utf-8") as out:
            for number, case in enumerate(itertools.islice(itertools.cycle(cases), args.notes)):
                out.write(json.dumps({"id": f"{case['id']}-{number}", "summary": case["summary"],
                                      "session": case.get("session")}) + "\n")
        command[command.index("CASES")] = str(cases_path)
        env = {**os.environ, "AFTERNOTE_DATA_DIR": tmp}
        started = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - started
    child = resource.getrusage(resource.RUSAGE_CHILDREN)

    notes = [line for line in proc.stdout.splitlines() if line.startswith("{") and '"sections"' in line]
    print(f"command: {' '.join(command[:3]) if pinned else command[0]} ... draft --jsonl <{args.notes} cases> "
          f"--format {args.format}" + ("" if pinned else "  (taskset not found: not pinned)"))
    print(f"exit {proc.returncode}; {len(notes)} notes in {wall:.2f} s wall, {child.ru_utime + child.ru_stime:.2f} s CPU")
    print(f"throughput: {len(notes) / wall:.0f} notes/s (wall, start-up included); "
          f"{len(notes) / (child.ru_utime + child.ru_stime):.0f} notes/s of CPU")
    # ru_maxrss is in KiB on Linux (bytes on macOS); taskset execs the command, so this is afternote's own peak
    rss = child.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(f"memory: child peak RSS {rss:.1f} MB")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work slows the figures)")
    if proc.returncode:
        print(proc.stderr[-2000:], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
