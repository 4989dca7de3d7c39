"""The records database: SQLite on one computer (WAL, foreign keys, full sync), PostgreSQL on a practice server.

`Database.open()` refuses a database that is missing or not at this afternote's migration head, saying what to run;
only `migrate()` (behind `afternote init` and `afternote migrate`) changes the schema.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from afternote.records.crypto import RESTORE_KEY, Keyring
from afternote.records.errors import DatabaseError, DatabaseNotMigrated, KeyProblem, RecordTampered
from afternote.records.models import ENCRYPTED

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()  # type: ignore[arg-type]


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged save survives power loss, not just a crash
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # Writers take the write lock up front, so two editors queue instead of failing half-way.
        mode = connection.get_execution_options().get("afternote_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode else "BEGIN")


class Database:
    """One records database and the keyring that encrypts its health data."""

    def __init__(self, url: str, keyring: Keyring | None, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.keyring = keyring
        kwargs: dict = {"echo": echo, "hide_parameters": True}  # no values in error messages or logs
        if self.url.get_backend_name() == "sqlite":
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine = create_engine(self.url, **kwargs)
        except ModuleNotFoundError:
            raise DatabaseError("PostgreSQL needs the psycopg driver: pip install 'afternote[postgres]'.") from None
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
        self._writer = self.engine.execution_options(afternote_write=True)
        self._key_checked = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.url.database) if self.dialect == "sqlite" and self.url.database else None

    def describe(self) -> str:
        """Where the database is, without a password."""
        return self.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        with Session(self._writer if write else self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # --- schema -------------------------------------------------------------------------------------------------
    def revision(self) -> str | None:
        try:
            with self.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        except OperationalError as exc:
            raise DatabaseError(f"Cannot open the records database at {self.describe()}: "
                                f"{type(exc.orig).__name__}. Check AFTERNOTE_DATABASE_URL or the data directory "
                                "and that the server is running.") from None

    def holds_records(self) -> bool:
        """Anything is stored here already (an SQLite file with tables, a PostgreSQL database with any table), so
        this is not a first run and no new key may be made for it. Creates nothing."""
        if self.sqlite_path is not None and not (self.sqlite_path.exists() and self.sqlite_path.stat().st_size):
            return False
        try:
            with self.engine.connect() as connection:
                return bool(inspect(connection).get_table_names())
        except OperationalError as exc:
            raise DatabaseError(f"Cannot open the records database at {self.describe()}: "
                                f"{type(exc.orig).__name__}. Check AFTERNOTE_DATABASE_URL or the data directory "
                                "and that the server is running.") from None

    def check_key(self) -> None:
        """Raise KeyProblem unless the keyring opens the stored records: one encrypted value of each kind is
        decrypted (a wrong key fails on the first). Checked once per Database; a database with no encrypted
        values yet passes."""
        if self.keyring is None or self._key_checked:
            return
        with self.engine.connect() as connection:
            for model, columns in ENCRYPTED.items():
                for column in columns:
                    stored = getattr(model, column)
                    try:
                        row = connection.execute(select(model.id, stored).where(stored.is_not(None))
                                                 .limit(1)).first()
                    except (OperationalError, ProgrammingError):  # no schema yet: `check` says what to run
                        return
                    if row is None:
                        continue
                    try:
                        self.keyring.decrypt(row[1], model.__tablename__, column, row[0])
                    except RecordTampered:  # under this key but altered: `verify` reports it, the key is right
                        pass
                    except KeyProblem:
                        raise KeyProblem(f"The encryption key does not open the records at {self.describe()}: "
                                         f"they were written under another key. {RESTORE_KEY} Nothing was "
                                         "changed.") from None
                    break
        self._key_checked = True

    def check(self) -> None:
        """Raise DatabaseNotMigrated unless the schema is exactly at this afternote's head, and KeyProblem unless
        the keyring (if any) opens the records."""
        current, head = self.revision(), head_revision()
        if current == head:
            self.check_key()
            return
        if current is None:
            with self.engine.connect() as connection:
                empty = not inspect(connection).get_table_names()
            if empty:
                raise DatabaseNotMigrated(f"No afternote records at {self.describe()}. Run `afternote init` to "
                                          "create them.")
            raise DatabaseNotMigrated(f"The database at {self.describe()} has tables but no afternote migration "
                                      "record; it was not created by afternote and was left untouched.")
        script = ScriptDirectory.from_config(alembic_config(self.engine))
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseNotMigrated(f"The database at {self.describe()} is at revision {current}, newer than "
                                      f"this afternote ({head}). Upgrade afternote; the database was left "
                                      "untouched.") from None
        raise DatabaseNotMigrated(f"The database at {self.describe()} is at revision {current}; this afternote "
                                  f"needs {head}. Back it up (`afternote backup`), then run `afternote migrate`. "
                                  "Nothing was changed.")

    def migrate(self) -> tuple[str | None, str]:
        """Bring the schema to head; returns (before, after)."""
        before = self.revision()
        command.upgrade(alembic_config(self.engine), "head")
        return before, head_revision()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings=None, *, check: bool = True, keyring: Keyring | None = None) -> Database:
    """The records database named by the settings, checked to be at head (unless `check=False`)."""
    from afternote.config import settings as current_settings
    from afternote.records.crypto import keyring_from

    s = settings or current_settings()
    db = Database(s.records_url, keyring if keyring is not None else keyring_from(s))
    if check:
        db.check()
    return db
