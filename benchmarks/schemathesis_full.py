"""The full schemathesis run: at least 1,000 generated requests against a running server, signed in.

    .venv/bin/python benchmarks/schemathesis_full.py [--backend postgresql|sqlite] [--max-examples 50] [--workers 4]

A fresh database (PostgreSQL from AFTERNOTE_TEST_PG_URL, or a SQLite file), one practice signed in as its owner
with an API token, `afternote serve` on a free loopback port, then schemathesis with the checks `not_a_server_error`
and `response_schema_conformance` over every operation (all phases: examples, coverage, fuzzing, stateful).
The bounded version runs in the test suite (tests/web/test_api_schemathesis.py).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test helpers: tests/testkit
from testkit.records import drop_pg_database, fresh_pg_database, make_clinic
from testkit.server import run_schemathesis, running_server, server_env
from afternote.workflow import tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = fresh_pg_database() if args.backend == "postgresql" else f"sqlite:///{work / 'afternote.db'}"
        workers = args.workers if args.backend == "postgresql" else 1
        try:
            keyring = Keyring((new_key(),))
            db = Database(url, keyring)
            db.migrate()
            clinic = make_clinic(db)
            secret = tokens.create(db, clinic.owner, "schemathesis")[1]
            db.dispose()
            started = time.perf_counter()
            with running_server(server_env(url, keyring, work), workers=workers, log=work / "server.log") as base:
                code, cases, output = run_schemathesis(base, secret, work, max_examples=args.max_examples,
                                                       timeout=1800)
            elapsed = time.perf_counter() - started
        finally:
            if args.backend == "postgresql":
                drop_pg_database(url)
    print(output[output.find("SUMMARY") - 40:] if "SUMMARY" in output else output[-5000:])
    print(f"{args.backend}, {workers} worker(s): {cases} test cases in {elapsed:.0f} s; exit code {code}")
    return 0 if code == 0 and cases >= 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
