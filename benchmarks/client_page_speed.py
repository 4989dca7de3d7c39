"""A client with five years of weekly notes: server time of the pages that show them (target: p95 under 100 ms).

One client, 260 weekly sessions over five years, each note drafted from key points that give a PHQ-9 and a GAD-7
total (so 520 measures) and signed, and a treatment plan in two signed versions whose objectives are tracked by
both. Timed in-process through the whole app (session cookie, authorization, decryption, seal checks, audit
events, Jinja rendering): the client's page (its measures charts, the plan card), the plan page (each objective's
measure and trend), the note screen of a new draft (the goal list with proposals and trends) and
`GET /api/v1/notes/{id}/goals`. The records are made through the services, as a clinician makes them.

    .venv/bin/python benchmarks/client_page_speed.py [--notes 260] [--runs 60] [--backend sqlite postgresql]
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

from afternote.config import Settings
from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test helpers: tests/testkit
from testkit.plans import complete_plan  # noqa: E402
from testkit.records import PASSWORD, make_clinic  # noqa: E402
from afternote.workflow import clients, notes, plans  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)
_spec = importlib.util.spec_from_file_location("records_scale", Path(__file__).with_name("records_scale.py"))
records_scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(records_scale)
FIRST = dt.date(2021, 1, 4)


def key_points(week: int) -> str:
    return (f"PHQ-9 {18 - week % 12}, GAD-7 {15 - week % 9}. Pt reports anxiety at work; sleep ~6h. SI/HI neg. "
            "Used CBT thought record. Pt engaged. Plan: thought record daily, f/u 1wk.")


def load(db: Database, count: int):
    from argon2 import PasswordHasher
    from afternote.workflow import users
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # setup only
    clinic = make_clinic(db, "Zoë Дмитриева")
    me = clinic.clinician
    for week in range(count):
        appointment = clients.add_appointment(db, me, clinic.client_id, FIRST + dt.timedelta(weeks=week),
                                              dt.time(10), minutes=53, service="psychotherapy")
        view = notes.create(db, me, appointment, key_points(week), "girp")
        notes.sign(db, me, view.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(view.content)])
    document = complete_plan(FIRST)
    document["problems"][0]["goals"][1]["objectives"].append(
        {"text": "PHQ-9 below 10", "baseline": "PHQ-9 18", "target": "below 10", "target_date": "2022-01-03",
         "measure": "PHQ-9"})
    plan = plans.create(db, me, clinic.client_id, document)
    plans.sign(db, me, plan.id, 1)
    saved = plans.show(db, me, plan.id).document.to_dict()
    saved["problems"][0]["goals"][0]["objectives"][0]["target"] = "below 5"
    plans.save(db, me, plan.id, saved, 1)
    plans.sign(db, me, plan.id, 2)
    today = clients.add_appointment(db, me, clinic.client_id, FIRST + dt.timedelta(weeks=count), dt.time(10),
                                    minutes=53, service="psychotherapy")
    draft = notes.create(db, me, today, key_points(count), "girp")
    return clinic, plan.id, draft.id


def run(url: str, count: int, runs: int, data_dir: Path) -> dict[str, tuple[float, float, float, int]]:
    from fastapi.testclient import TestClient

    from afternote.web import create_app
    db = Database(url, Keyring((new_key(),)))
    db.migrate()
    started = time.perf_counter()
    clinic, plan_id, draft_id = load(db, count)
    print(f"  setup: {count} signed notes, 2 plan versions in {time.perf_counter() - started:.0f} s")
    app = create_app(Settings(data_dir=data_dir), database=db)
    page = TestClient(app, base_url="https://afternote.test", client=("127.0.0.1", 50000))
    page.__enter__()
    assert page.post("/sign-in", data={"username": clinic.clinician.username,
                                       "password": PASSWORD}).status_code == 200
    calls = {
        "A client's page (measures charts, plan card)": lambda: page.get(f"/clients/{clinic.client_id}"),
        "Treatment plan page (objectives' trends)": lambda: page.get(f"/treatment-plans/{plan_id}"),
        "Note screen (goal list, proposals, trends)": lambda: page.get(f"/notes/{draft_id}"),
        "GET /api/v1/notes/{id}/goals": lambda: page.get(f"/api/v1/notes/{draft_id}/goals"),
    }
    results = {}
    for name, call in calls.items():
        response = call()
        assert response.status_code == 200, (name, response.status_code)  # warm, and check
        times, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        # CPU time (this process, the app's threads included) says what the request costs, whatever else runs
        results[name] = (records_scale.p(times, 50), records_scale.p(times, 95), records_scale.p(cpu, 50),
                         len(response.content) // 1000)
    page.__exit__(None, None, None)
    db.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=260)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"machine: {records_scale.machine()}; load average at start {os.getloadavg()[0]:.1f}")
    print(f"one client, {args.notes} weekly signed notes; {args.runs} requests per page")
    worst = 0.0
    for backend in args.backend:
        print(f"\n{backend}:")
        with tempfile.TemporaryDirectory() as tmp, records_scale.bench_database(backend) as url:
            results = run(url, args.notes, args.runs, Path(tmp) / "data")
        print("  page | p50 ms | p95 ms | CPU p50 ms | kB")
        for name, (p50, p95, cpu, size) in results.items():
            print(f"  {name:44} | {p50:6.1f} | {p95:6.1f} | {cpu:6.1f} | {size:4}")
            worst = max(worst, p95)
    print(f"\nworst p95 {worst:.1f} ms (target 100 ms); load average at end {os.getloadavg()[0]:.1f}")
    raise SystemExit(0 if worst < 100 else 1)


if __name__ == "__main__":
    main()
