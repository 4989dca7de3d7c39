"""The pages at practice scale: server time per page with 10,000 notes in the practice (target: p95 under 100 ms).

Each page is requested in-process through the whole app (session cookie, CSRF, authorization, decryption, the
audit events, Jinja rendering), as a clinician and as the owner who sees the whole team. The records are
bulk-loaded as `records_scale.py` loads them (10 clinicians, 20 clients each; 98% signed, 1% drafts, 1% sessions
without a note); the notes opened were drafted and signed through the services.

    .venv/bin/python benchmarks/pages_speed.py [--notes 10000] [--clinicians 10] [--runs 60] [--backend sqlite postgresql]
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import re
import tempfile
import time
import warnings
from pathlib import Path

from afternote.config import Settings
from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database
from afternote.workflow import clients, notes

warnings.filterwarnings("ignore", category=DeprecationWarning)
_spec = importlib.util.spec_from_file_location("records_scale", Path(__file__).with_name("records_scale.py"))
records_scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(records_scale)
PASSWORD = "correct horse battery"


def _signed_in(app, username: str):
    from fastapi.testclient import TestClient
    c = TestClient(app, base_url="https://afternote.test", client=("127.0.0.1", 50000))
    c.__enter__()
    r = c.post("/sign-in", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.status_code
    return c, re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)


def run(url: str, n_notes: int, n_clinicians: int, runs: int, data_dir: Path) -> dict[str, tuple[float, float]]:
    from afternote.web import create_app
    db = Database(url, Keyring((new_key(),)))
    db.migrate()
    clinicians, owner, drafts = records_scale.load(db, n_notes, n_clinicians)
    me = clinicians[0]
    client = clients.list_clients(db, me)[0]
    today = dt.date.today()
    fresh = clients.add_appointment(db, me, client.id, today, dt.time(9), minutes=53, service="psychotherapy")
    signed_appt = clients.add_appointment(db, me, client.id, today, dt.time(11), minutes=53, service="psychotherapy")
    signed = notes.create(db, me, signed_appt, records_scale.KEY_POINTS, "soap")
    notes.sign(db, me, signed.id, 1)
    draft = drafts[0]
    app = create_app(Settings(data_dir=data_dir), database=db)
    mine, csrf = _signed_in(app, me.username)
    theirs, _ = _signed_in(app, owner.username)
    version = {"n": notes.show(db, me, draft).version}

    def save():
        r = mine.post(f"/notes/{draft}/sections/plan", data={"text": f"Plan {version['n']}",
                                                             "base_version": str(version["n"]), "csrf_token": csrf},
                      headers={"X-Requested-With": "afternote"})
        version["n"] = r.json()["version"]
        return r

    pages = {
        "Today (clinician)": lambda: mine.get("/"),
        "Today (owner, whole team)": lambda: theirs.get("/"),
        "Clients (owner, all 200)": lambda: theirs.get("/clients"),
        "Clients search": lambda: mine.post("/clients/search", data={"q": "client 1", "csrf_token": csrf}),
        "A client's page": lambda: mine.get(f"/clients/{client.id}"),
        "New note screen": lambda: mine.get(f"/appointments/{fresh}/note"),
        "Draft note": lambda: mine.get(f"/notes/{draft}"),
        "Signed note (verified)": lambda: mine.get(f"/notes/{signed.id}"),
        "Print view": lambda: mine.get(f"/notes/{signed.id}/print"),
        "Settings (owner)": lambda: theirs.get("/settings"),
        "Section autosave (POST)": save,
    }
    results = {}
    for name, call in pages.items():
        assert call().status_code == 200, name  # warm, and check
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        results[name] = (records_scale.p(times, 50), records_scale.p(times, 95))
    mine.__exit__(None, None, None)
    theirs.__exit__(None, None, None)
    db.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--clinicians", type=int, default=10)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--backend", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"machine: {records_scale.machine()}; load average at start {os.getloadavg()[0]:.1f}")
    print(f"{args.notes:,} sessions across {args.clinicians} clinicians; {args.runs} requests per page")
    worst = 0.0
    for backend in args.backend:
        with tempfile.TemporaryDirectory() as tmp, records_scale.bench_database(backend) as url:
            results = run(url, args.notes, args.clinicians, args.runs, Path(tmp) / "data")
        print(f"\n{backend}: page | p50 ms | p95 ms")
        for name, (p50, p95) in results.items():
            print(f"{name:28} | {p50:6.1f} | {p95:6.1f}")
            worst = max(worst, p95)
    print(f"\nworst p95 {worst:.1f} ms (target 100 ms); load average at end {os.getloadavg()[0]:.1f}")
    raise SystemExit(0 if worst < 100 else 1)


if __name__ == "__main__":
    main()
