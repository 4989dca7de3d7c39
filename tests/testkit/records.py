"""Pytest fixtures for code that needs a real records database (tests import them into their conftest.py).

`database_url` is parametrized over SQLite (a file) and PostgreSQL (a fresh database per test session, dropped at
the end; AFTERNOTE_TEST_PG_URL names the server, default the local `test` database). PostgreSQL is not skipped when
unreachable: its tests fail, unless AFTERNOTE_TEST_SQLITE_ONLY=1. Each test gets its own practice, so tests share
the database the way practices share a server.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from afternote.records.crypto import Keyring, new_key
from afternote.records.database import Database

PG_URL = os.environ.get("AFTERNOTE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite"] if os.environ.get("AFTERNOTE_TEST_SQLITE_ONLY") == "1" else ["sqlite", "postgresql"]
PASSWORD = "correct horse battery"


def fresh_pg_database() -> str:
    """Create an empty PostgreSQL database for this session; returns its URL."""
    name = f"afternote_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """argon2id still, with small costs, so creating a user per test stays fast."""
    from argon2 import PasswordHasher

    from afternote.workflow import users
    saved = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    users._hasher = saved


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('records') / 'afternote.db'}"
    else:
        url = fresh_pg_database()
        yield url
        drop_pg_database(url)


@pytest.fixture(scope="session")
def keyring() -> Keyring:
    return Keyring((new_key(),))


@pytest.fixture(scope="session")
def db(database_url, keyring):
    database = Database(database_url, keyring)
    database.migrate()
    yield database
    database.dispose()


@dataclass
class Clinic:
    """A practice with an owner, a supervisor, a licensed clinician, a pre-licensed one, a client and a session."""

    owner: object
    supervisor: object
    clinician: object
    associate: object
    auditor: object
    client_id: str
    appointment_id: str


def make_clinic(db, client_name: str = "Test Client") -> Clinic:
    import datetime as dt

    from afternote.workflow import clients, users
    tag = uuid.uuid4().hex[:8]
    owner = users.create_practice(db, f"Practice {tag}", username=f"owner-{tag}", password=PASSWORD,
                                  display_name="Olive Owner", credentials="PhD")
    supervisor = users.add_user(db, owner, username=f"sup-{tag}", password=PASSWORD, display_name="Sam Super",
                                role="supervisor", credentials="LCSW")
    clinician = users.add_user(db, owner, username=f"clin-{tag}", password=PASSWORD, display_name="Casey Clin",
                               credentials="LMFT")
    associate = users.add_user(db, owner, username=f"assoc-{tag}", password=PASSWORD, display_name="Alex Assoc",
                               credentials="ACSW", supervisor=supervisor.username)
    auditor = users.add_user(db, owner, username=f"aud-{tag}", password=PASSWORD, display_name="Ada Audit",
                             role="auditor")
    client = clients.add_client(db, clinician, client_name, identifier="MRN-1")
    appointment = clients.add_appointment(db, clinician, client.id, dt.date(2026, 1, 5), dt.time(10, 0),
                                          minutes=53, service="psychotherapy")
    return Clinic(owner, supervisor, clinician, associate, auditor, client.id, appointment)


@pytest.fixture
def clinic(db) -> Clinic:
    return make_clinic(db)


KEY_POINTS = ("Pt reports anxiety 7/10 at work since new manager; sleep ~5h. SI/HI neg. "
              "Used CBT thought record. Pt engaged. Plan: thought record daily, f/u 1wk.")


def raw(db, *statements):
    """Run SQL as someone with write access to the database file or server: the triggers dropped first."""
    from afternote.records import triggers
    with db.engine.begin() as connection:
        for sql in triggers.drop_statements(db.dialect):
            connection.execute(text(sql))
        for sql, params in statements:
            connection.execute(text(sql), params)
        for sql in triggers.create_statements(db.dialect):
            connection.execute(text(sql))


@pytest.fixture
def fresh_db(database_url, tmp_path):
    """A database of its own for a test that changes what every record shares (the keys, say)."""
    pg = not database_url.startswith("sqlite")
    url = fresh_pg_database() if pg else f"sqlite:///{tmp_path / 'own.db'}"
    database = Database(url, Keyring((new_key(),)))
    database.migrate()
    yield database
    database.dispose()
    if pg:
        drop_pg_database(url)
