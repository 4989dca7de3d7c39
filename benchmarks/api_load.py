"""The API under load: 50 clinicians drafting, editing and signing for 60 s against PostgreSQL, 4 workers.

    .venv/bin/python benchmarks/api_load.py [--users 50] [--seconds 60] [--workers 4]

A fresh PostgreSQL database (AFTERNOTE_TEST_PG_URL names the server, as for the tests), one practice with a
clinician (API token, one client) per user, `afternote serve` on a free loopback port, and locust headless
(users start at 10 a second)
(benchmarks/api_locustfile.py) on loopback. Stops by itself; prints per-request figures and checks the targets:
zero errors, p99 under 250 ms for drafts and edits. Everything is dropped at the end.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test helpers: tests/testkit
from testkit.records import PASSWORD, drop_pg_database, fresh_pg_database
from testkit.server import running_server, server_env
from afternote.workflow import clients, tokens, users

HERE = Path(__file__).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    url, keyring = fresh_pg_database(), Keyring((new_key(),))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            db = Database(url, keyring)
            db.migrate()
            owner = users.create_practice(db, "Load Practice", username="load-owner", password=PASSWORD,
                                          display_name="Owner")
            people = []
            for n in range(args.users):
                clinician = users.add_user(db, owner, username=f"load-clin-{n}", password=PASSWORD,
                                           display_name=f"Clinician {n}", credentials="LMFT")
                client = clients.add_client(db, clinician, f"Client {n}")
                people.append({"token": tokens.create(db, clinician, "load")[1], "client_id": client.id})
            db.dispose()
            (work / "users.json").write_text(json.dumps(people))
            with running_server(server_env(url, keyring, work), workers=args.workers, log=work / "server.log") as base:
                subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", str(HERE / "api_locustfile.py"),
                                "--headless", "--users", str(args.users), "--spawn-rate", "10",
                                "--run-time", f"{args.seconds}s", "--host", base, "--csv", str(work / "load"),
                                "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
                               env={**os.environ, "AFTERNOTE_LOAD_USERS": str(work / "users.json")}, check=False)
            rows = list(csv.DictReader(open(work / "load_stats.csv")))
    finally:
        drop_pg_database(url)
    print(f"\nMachine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'request':12} {'count':>7} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'req/s':>7}")
    ok = True
    for row in rows:
        print(f"{row['Name']:12} {row['Request Count']:>7} {row['Failure Count']:>7} {row['50%']:>7} "
              f"{row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f} "
              f"{float(row['Requests/s']):>7.1f}")
        ok &= int(row["Failure Count"]) == 0
        if row["Name"] in ("draft", "edit"):
            ok &= float(row["99%"]) < 250
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
