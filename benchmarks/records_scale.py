"""Records at practice scale: 100,000 notes across 50 clinicians, on SQLite and PostgreSQL.

Measures, through the workflow services (authorization, decryption and the audit event included):
- the backlog of one clinician and of the whole practice (target: under 100 ms);
- a note save (edit of a section: a new encrypted version, optimistic locking; target: p95 under 20 ms).

    .venv/bin/python benchmarks/records_scale.py [--notes 100000] [--clinicians 50] [--backend sqlite postgresql]

The rows are bulk-loaded (encrypted as the services would store them) so the setup takes seconds, not hours.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database
from afternote.records.models import Appointment, Client, Note, NoteVersion, Signature, new_id, utcnow
from afternote.workflow import backlog, notes, users

PG_URL = os.environ.get("AFTERNOTE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KEY_POINTS = ("Pt reports anxiety 7/10 at work since new manager; sleep ~5h. SI/HI neg. Used CBT thought record; "
              "taught box breathing. Pt engaged, anxiety 5/10 at end. Plan: thought record daily, f/u 1wk.")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} CPUs ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}"


def load(db: Database, n_notes: int, n_clinicians: int) -> tuple[list, object, list[str]]:
    """A practice with `n_clinicians`, 20 clients each, and `n_notes` past sessions: 98% signed notes, 1% drafts,
    1% sessions without a note. Returns (clinician actors, owner actor, draft note ids of clinician 0)."""
    from argon2 import PasswordHasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # setup only
    tag = uuid.uuid4().hex[:6]
    owner = users.create_practice(db, "Bench practice", username=f"owner-{tag}", password="correct horse battery",
                                  display_name="Owner", credentials="PhD")
    clinicians = [users.add_user(db, owner, username=f"c{i}-{tag}", password="correct horse battery",
                                 display_name=f"Clinician {i}", credentials="LCSW") for i in range(n_clinicians)]
    k, rng, pid = db.keyring, random.Random(7), owner.practice_id
    content = notes._content_of(__import__("afternote").draft(KEY_POINTS, "soap"))
    content_json = json.dumps(content)
    clients, appts, note_rows, versions, sigs = [], [], [], [], []
    by_clinician = {c.user_id: [] for c in clinicians}
    for c in clinicians:
        for j in range(20):
            cid = new_id()
            clients.append(dict(id=cid, practice_id=pid, clinician_id=c.user_id, created_at=utcnow(),
                                name_enc=k.encrypt(f"Client {j} of {c.username}", "clients", "name_enc", cid),
                                identifier_enc=None))
            by_clinician[c.user_id].append(cid)
    start = dt.datetime(2024, 1, 1, 8)
    drafts_of_first: list[str] = []
    for i in range(n_notes):
        c = clinicians[i % n_clinicians]
        starts = start + dt.timedelta(minutes=37 * i // n_clinicians * 10 % (700 * 24 * 60))
        aid = new_id()
        roll = rng.random()
        kind = "none" if roll < 0.01 else "draft" if roll < 0.02 else "signed"
        client_id = rng.choice(by_clinician[c.user_id])
        appts.append(dict(id=aid, practice_id=pid, client_id=client_id, clinician_id=c.user_id,
                          date=starts.date(), starts_at=starts, ends_at=starts + dt.timedelta(minutes=53),
                          minutes=53, service="psychotherapy", modality=None, telehealth=None, attendees_enc=None,
                          open=kind != "signed", created_at=utcnow()))
        if kind == "none":
            continue
        nid, vid = new_id(), new_id()
        note_rows.append(dict(id=nid, practice_id=pid, appointment_id=aid, client_id=client_id,
                              clinician_id=c.user_id, key_points_enc=k.encrypt(KEY_POINTS, "notes",
                                                                               "key_points_enc", nid),
                              format="soap", engine="builtin", status="draft" if kind == "draft" else "signed",
                              current_version=1, awaiting_cosign_by=None, created_at=utcnow(),
                              updated_at=utcnow(), signed_at=None if kind == "draft" else utcnow()))
        versions.append(dict(id=vid, practice_id=pid, note_id=nid, number=1, format="soap", engine="builtin",
                             reason="draft", author_id=c.user_id, created_at=utcnow(),
                             content_enc=k.encrypt(content_json, "note_versions", "content_enc", vid)))
        if kind == "signed":
            sigs.append(dict(id=new_id(), practice_id=pid, note_id=nid, version=1, kind="sign",
                             signer_id=c.user_id, signer_name=c.display_name, credentials="LCSW",
                             signed_at=utcnow(), content_sha256="0" * 64, seal="0" * 72))
        elif c is clinicians[0]:
            drafts_of_first.append(nid)
    with db.session(write=True) as session:
        for model, rows in ((Client, clients), (Appointment, appts), (Note, note_rows), (NoteVersion, versions),
                            (Signature, sigs)):
            for chunk in range(0, len(rows), 5000):
                session.execute(insert(model), rows[chunk:chunk + 5000])
    with db.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return clinicians, owner, drafts_of_first


@contextmanager
def bench_database(backend: str) -> Iterator[str]:
    """The URL of an empty database for one run (a SQLite file, or a new PostgreSQL database at PG_URL), removed
    afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"afternote_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def run(url: str, n_notes: int, n_clinicians: int) -> dict:
    db = Database(url, Keyring((new_key(),)))
    db.migrate()
    t0 = time.perf_counter()
    clinicians, owner, drafts = load(db, n_notes, n_clinicians)
    setup = time.perf_counter() - t0
    me = clinicians[0]
    mine = backlog.backlog(db, me)
    practice = backlog.backlog(db, owner, whole_practice=True)
    one = timed(lambda: backlog.backlog(db, me), 50)
    whole = timed(lambda: backlog.backlog(db, owner, whole_practice=True), 30)
    note_id = drafts[0]
    section = "subjective"
    state = {"version": 1}

    def save():
        state["version"] = notes.edit_section(db, me, note_id, section, f"Edit {state['version']}", state["version"])
    saves = timed(save, 300)
    db.dispose()
    return {"setup_s": setup, "items_one": len(mine), "items_practice": len(practice),
            "one_p50": p(one, 50), "one_p95": p(one, 95), "practice_p50": p(whole, 50),
            "practice_p95": p(whole, 95), "save_p50": p(saves, 50), "save_p95": p(saves, 95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--clinicians", type=int, default=50)
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}")
    print(f"{args.notes:,} sessions across {args.clinicians} clinicians (98% signed, 1% drafts, 1% without a note)")
    for backend in args.backend:
        with bench_database(backend) as url:
            r = run(url, args.notes, args.clinicians)
        print(f"{backend:10} setup {r['setup_s']:.1f} s | backlog one clinician ({r['items_one']} items) "
              f"p50 {r['one_p50']:.1f} ms p95 {r['one_p95']:.1f} ms | practice ({r['items_practice']} items) "
              f"p50 {r['practice_p50']:.1f} ms p95 {r['practice_p95']:.1f} ms | "
              f"note save p50 {r['save_p50']:.1f} ms p95 {r['save_p95']:.1f} ms | load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
