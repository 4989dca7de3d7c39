"""A database that is not at this afternote's migration head says so and is left untouched."""
import pytest
from sqlalchemy import inspect, text

from afternote.records.database import Database, head_revision
from afternote.records.errors import DatabaseNotMigrated
from afternote.records.testing import drop_pg_database, fresh_pg_database


@pytest.fixture
def empty_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        url = fresh_pg_database()
        yield url
        drop_pg_database(url)


def test_missing_database_says_to_run_init(empty_url, keyring):
    db = Database(empty_url, keyring)
    with pytest.raises(DatabaseNotMigrated, match="afternote init"):
        db.check()
    with db.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    db.dispose()


def test_database_from_a_newer_afternote_is_left_untouched(empty_url, keyring):
    db = Database(empty_url, keyring)
    db.migrate()
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(DatabaseNotMigrated, match="newer than this afternote"):
        db.check()
    assert db.revision() == "0000"
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head_revision()})
    db.check()
    db.dispose()


def test_session_database_is_at_head_with_wal_and_foreign_keys(db):
    db.check()
    if db.dialect == "sqlite":
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_database_behind_a_newer_afternote_says_run_migrate(db, monkeypatch):
    from afternote.records import database
    monkeypatch.setattr(database, "head_revision", lambda: "0099")
    with pytest.raises(DatabaseNotMigrated, match="afternote migrate") as error:
        db.check()
    assert "Nothing was changed" in str(error.value)
