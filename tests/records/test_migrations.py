"""A database that is not at this afternote's migration head says so and is left untouched; migrations bring
databases with records in them forward, with every trigger in place."""
import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from afternote.records import triggers
from afternote.records.database import Database, alembic_config, head_revision
from afternote.records.errors import DatabaseNotMigrated
from afternote.records.models import ApiToken, utcnow
from testkit.records import drop_pg_database, fresh_pg_database
from afternote.workflow import clients, users


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


def installed_triggers(db) -> set[str]:
    sql = ("SELECT name FROM sqlite_master WHERE type = 'trigger'" if db.dialect == "sqlite"
           else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    with db.engine.connect() as connection:
        return set(connection.execute(text(sql)).scalars())


def expected_triggers(db) -> set[str]:
    """Every trigger of the tables the database has at its revision."""
    with db.engine.connect() as connection:
        return set(triggers.names(db.dialect, set(inspect(connection).get_table_names())))


def test_every_trigger_is_in_place_after_migrating_up_and_down(empty_url, keyring):
    # SQLite rebuilds a table to alter it (batch mode), which drops its triggers: every run recreates them
    db = Database(empty_url, keyring)
    db.migrate()
    assert installed_triggers(db) == set(triggers.names(db.dialect))
    command.downgrade(alembic_config(db.engine), "0005")
    assert db.revision() == "0005" and installed_triggers(db) == expected_triggers(db)
    db.migrate()
    assert db.revision() == head_revision() and installed_triggers(db) == set(triggers.names(db.dialect))


# 0007: old names normalized where they can be, old tokens given the default lifetime; on SQLite the users table
# is recreated (its unique constraint changes) while other tables refer to it
def test_upgrade_normalizes_old_usernames_and_gives_old_tokens_an_expiry(empty_url, keyring):
    db = Database(empty_url, keyring)
    command.upgrade(alembic_config(db.engine), "0005")
    hashed = users.hash_password("correct horse battery")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO practices (id, name, created_at) VALUES ('p1', 'One', :at)"),
                           {"at": utcnow()})
        connection.execute(text(
            "INSERT INTO users (id, practice_id, username, display_name, role, credentials, password_hash, active, "
            "must_change_password, created_at) VALUES ('u1', 'p1', :name, 'Dana', 'owner', '', :hash, :yes, :no, "
            ":at)"), {"name": "ｄａｎａ", "hash": hashed, "yes": True, "no": False, "at": utcnow()})
        connection.execute(text(
            "INSERT INTO api_tokens (id, practice_id, user_id, name, token_sha256, created_at) "
            "VALUES ('t1', 'p1', 'u1', 'old script', :sha, :at)"), {"sha": "0" * 64, "at": utcnow()})
    db.migrate()
    db.check()
    assert users.login(db, "dana", "correct horse battery", source="test").user_id == "u1"
    with db.session() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.id == "t1"))
    assert token.name == "old script"
    assert token.expires_at - utcnow() > dt.timedelta(days=89)
    db.dispose()


# 0012: the measures table comes and goes under notes already written; the notes stay as they were, and their rows
# come back when an owner has the earlier notes read (the migration has no key to read them with)
def test_measures_migrate_down_and_up_with_notes_in_place(empty_url, keyring):
    from testkit.records import make_clinic
    from afternote.workflow import measures, notes
    db = Database(empty_url, keyring)
    db.migrate()
    clinic = make_clinic(db)
    from afternote.workflow import clients
    earlier = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 1, 2), dt.time(9),
                                      minutes=53)
    signed = notes.create(db, clinic.clinician, earlier, "PHQ-9 18. Used CBT. Plan: f/u 1wk.")
    notes.sign(db, clinic.clinician, signed.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(signed.content)],
               cpt="")  # not billed: nothing sealed that the schema before 0014 cannot hold
    draft = notes.create(db, clinic.clinician, clinic.appointment_id, "PHQ-9 14. Used CBT. Plan: f/u 1wk.")
    assert [p.score for p in measures.points(db, clinic.clinician, clinic.client_id, "phq9")] == [18, 14]
    command.downgrade(alembic_config(db.engine), "0010")
    with db.engine.connect() as connection:
        assert "measures" not in inspect(connection).get_table_names()
    assert installed_triggers(db) == expected_triggers(db)
    db.migrate()
    db.check()
    assert measures.points(db, clinic.clinician, clinic.client_id, "phq9") == []
    assert notes.show(db, clinic.clinician, draft.id).key_points.startswith("PHQ-9 14.")
    assert measures.read_earlier_notes(db, clinic.owner) == 2
    notes.save_key_points(db, clinic.clinician, draft.id, "PHQ-9 15. Used CBT. Plan: f/u 1wk.", 1)
    assert [p.score for p in measures.points(db, clinic.clinician, clinic.client_id, "phq9")] == [18, 15]
    assert notes.verify(db, clinic.clinician, signed.id).ok
    assert installed_triggers(db) == set(triggers.names(db.dialect))


# 0013: treatment plans (two append-only tables and a practice setting) come and go under a database with notes
def test_treatment_plans_migrate_down_and_up_with_notes_in_place(empty_url, keyring):
    from afternote.workflow import notes, plans
    from testkit.plans import complete_plan
    from testkit.records import KEY_POINTS, make_clinic
    db = Database(empty_url, keyring)
    db.migrate()
    clinic = make_clinic(db)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)],
               cpt="")  # not billed: nothing sealed that the schema before 0014 cannot hold
    plan = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, plan.id, 1)

    command.downgrade(alembic_config(db.engine), "0010")
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        practice_columns = {c["name"] for c in inspect(connection).get_columns("practices")}
    assert not {"treatment_plans", "treatment_plan_versions", "plan_signatures"} & tables
    assert "plan_review_days" not in practice_columns
    assert installed_triggers(db) == expected_triggers(db)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT status FROM notes WHERE id = :n"), {"n": note.id}).scalar() == "signed"

    db.migrate()
    assert db.revision() == head_revision() and installed_triggers(db) == set(triggers.names(db.dialect))
    assert notes.verify(db, clinic.clinician, note.id).ok
    assert notes.show(db, clinic.clinician, note.id).content == note.content
    again = plans.create(db, clinic.clinician, clinic.client_id, complete_plan())
    plans.sign(db, clinic.clinician, again.id, 1)
    assert plans.verify(db, clinic.clinician, again.id) == []
    db.dispose()


# 0016 (after 0015): two-factor (three user columns, a practice and a session flag, the recovery codes) comes and goes under an
# enrolled user; on SQLite the users table is rebuilt while other tables refer to it
def test_two_factor_migrates_down_and_up_with_an_enrolled_user(empty_url, keyring):
    from afternote.workflow import notes, sign_in, two_factor
    from testkit.records import KEY_POINTS, PASSWORD, make_clinic
    from testkit.two_factor import enrol
    db = Database(empty_url, keyring)
    db.migrate()
    clinic = make_clinic(db)
    note = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    notes.sign(db, clinic.clinician, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)])
    enrol(db, clinic.clinician)
    two_factor.set_required(db, clinic.owner, True)
    assert sign_in.start(db, clinic.clinician.username, PASSWORD, source="test").pending

    command.downgrade(alembic_config(db.engine), "0015")
    with db.engine.connect() as connection:
        found = inspect(connection)
        assert "recovery_codes" not in found.get_table_names()
        assert not {c["name"] for c in found.get_columns("users")} & {
            "two_factor_secret_enc", "two_factor_on_at", "two_factor_last_step"}
        assert "require_two_factor" not in {c["name"] for c in found.get_columns("practices")}
        assert "second_factor_pending" not in {c["name"] for c in found.get_columns("sign_in_sessions")}
    assert installed_triggers(db) == expected_triggers(db)

    db.migrate()
    assert db.revision() == head_revision() and installed_triggers(db) == set(triggers.names(db.dialect))
    signed = sign_in.start(db, clinic.clinician.username, PASSWORD, source="test")
    assert not signed.pending and not signed.actor.must_enrol_two_factor  # both came back off
    assert notes.verify(db, clinic.clinician, note.id).ok
    enrol(db, clinic.clinician)
    assert sign_in.start(db, clinic.clinician.username, PASSWORD, source="test").pending
    db.dispose()
# 0015: session times written before it were the server's wall-clock times; they become UTC, read in the server's
# zone (AFTERNOTE_TIME_ZONE here), each session keeping the zone it was typed in, so signed notes verify before,
# after and again after going back down, and an hour the clocks skipped keeps its wall-clock time
def test_time_zone_migrates_up_and_down_with_signed_notes_in_place(empty_url, keyring, monkeypatch):
    from afternote.config import settings
    from afternote.workflow import clients, notes, practice
    from testkit.records import KEY_POINTS, make_clinic
    db = Database(empty_url, keyring)
    monkeypatch.setenv("AFTERNOTE_TIME_ZONE", "UTC")  # typed in UTC, the stored times are the typed ones
    settings.cache_clear()
    db.migrate()
    clinic = make_clinic(db)
    typed = {"afternoon": (dt.date(2026, 3, 8), dt.time(14, 0)),  # EDT on the spring-forward day
             "skipped": (dt.date(2026, 3, 8), dt.time(2, 30)),  # no such time in New York
             "winter": (dt.date(2026, 1, 5), dt.time(10, 0))}
    ids = {name: clients.add_appointment(db, clinic.clinician, clinic.client_id, day, start, minutes=45)
           for name, (day, start) in typed.items()}
    signed = {}
    for name in ("afternoon", "skipped"):
        note = notes.create(db, clinic.clinician, ids[name], KEY_POINTS)
        notes.sign(db, clinic.clinician, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)],
                   cpt="")  # not billed: nothing sealed that the schema before 0014 cannot hold
        signed[name] = note.id
    draft = notes.create(db, clinic.clinician, ids["winter"], KEY_POINTS)
    # down to 0013: the rows as afternote before 0015 wrote them, the typed wall-clock times without a zone
    command.downgrade(alembic_config(db.engine), "0013")
    assert {a: s for a, s in _session_times(db).items() if a in ids.values()} == {
        ids["afternoon"]: dt.datetime(2026, 3, 8, 14, 0), ids["skipped"]: dt.datetime(2026, 3, 8, 2, 30),
        ids["winter"]: dt.datetime(2026, 1, 5, 10, 0)}

    monkeypatch.setenv("AFTERNOTE_TIME_ZONE", "America/New_York")
    settings.cache_clear()
    try:
        db.migrate()
        assert db.revision() == head_revision() and installed_triggers(db) == set(triggers.names(db.dialect))
        stored = _session_times(db)
        assert stored[ids["afternoon"]] == dt.datetime(2026, 3, 8, 18, 0)  # 14:00 EDT
        assert stored[ids["winter"]] == dt.datetime(2026, 1, 5, 15, 0)  # 10:00 EST
        assert stored[ids["skipped"]] == dt.datetime(2026, 3, 8, 7, 30)  # at EST, the offset before the change
        assert practice.time_zone_of(db, clinic.owner) == "America/New_York"
        for note_id in signed.values():
            assert notes.verify(db, clinic.clinician, note_id).ok, note_id
        assert notes.show(db, clinic.clinician, draft.id).key_points == KEY_POINTS
        practice.set_time_zone(db, clinic.owner, "Europe/Berlin")
        assert all(notes.verify(db, clinic.clinician, n).ok for n in signed.values())

        command.downgrade(alembic_config(db.engine), "0013")
        back = _session_times(db)
        assert (back[ids["afternoon"]], back[ids["skipped"]], back[ids["winter"]]) == (
            dt.datetime(2026, 3, 8, 14, 0), dt.datetime(2026, 3, 8, 2, 30), dt.datetime(2026, 1, 5, 10, 0))
        with db.engine.connect() as connection:
            assert "time_zone" not in {c["name"] for c in inspect(connection).get_columns("practices")}
        assert installed_triggers(db) == expected_triggers(db)
        db.migrate()
        assert all(notes.verify(db, clinic.clinician, n).ok for n in signed.values())
    finally:
        monkeypatch.delenv("AFTERNOTE_TIME_ZONE")
        settings.cache_clear()
        db.dispose()


def _session_times(db) -> dict[str, dt.datetime]:
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, starts_at FROM appointments")).all()
    return {row[0]: row[1] if isinstance(row[1], dt.datetime) else dt.datetime.fromisoformat(row[1]) for row in rows}


# 0014: the chart (three client columns, two tables, two signature columns) comes and goes under a database with
# notes; a downgrade that would strip what signatures sealed is refused before 0014 undoes anything
def test_the_chart_migrates_down_and_up_with_notes_in_place(empty_url, keyring):
    from afternote.workflow import chart, diagnoses, notes
    from testkit.records import KEY_POINTS, make_clinic
    db = Database(empty_url, keyring)
    db.migrate()
    clinic = make_clinic(db)
    earlier = clients.add_appointment(db, clinic.clinician, clinic.client_id, dt.date(2026, 1, 2), dt.time(9),
                                      minutes=53)
    plain = notes.create(db, clinic.clinician, earlier, KEY_POINTS)
    notes.sign(db, clinic.clinician, plain.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(plain.content)],
               cpt="")
    draft = notes.create(db, clinic.clinician, clinic.appointment_id, KEY_POINTS)
    chart.update_details(db, clinic.clinician, clinic.client_id, pronouns="she/her")
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F41.1", primary=True)

    command.downgrade(alembic_config(db.engine), "0013")
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        client_columns = {c["name"] for c in inspect(connection).get_columns("clients")}
        signature_columns = {c["name"] for c in inspect(connection).get_columns("signatures")}
        assert connection.execute(text("SELECT status FROM notes WHERE id = :n"), {"n": plain.id}).scalar() == "signed"
    assert not {"diagnoses", "insurance"} & tables
    assert "pronouns_enc" not in client_columns and "cpt_enc" not in signature_columns
    assert installed_triggers(db) == expected_triggers(db)

    db.migrate()
    assert db.revision() == head_revision() and installed_triggers(db) == set(triggers.names(db.dialect))
    assert notes.verify(db, clinic.clinician, plain.id).ok
    assert chart.show_chart(db, clinic.clinician, clinic.client_id).details == chart.Details()
    diagnoses.add(db, clinic.clinician, clinic.client_id, "F41.1", primary=True)
    signed = notes.sign(db, clinic.clinician, draft.id, 1,
                        acknowledged=[f["code"] for f in notes.open_warnings(draft.content)])
    assert signed.cpt == "90837" and signed.diagnoses[0]["code"] == "F41.1"
    assert notes.verify(db, clinic.clinician, draft.id).ok

    with pytest.raises(RuntimeError, match="sealed diagnoses or a CPT code"):
        command.downgrade(alembic_config(db.engine), "0013")
    # PostgreSQL rolled the whole run back; SQLite's DDL is not transactional, so it stopped at 0014, intact
    assert db.revision() == ("0014" if db.dialect == "sqlite" else head_revision())
    with db.engine.connect() as connection:
        assert {"diagnoses", "insurance"} <= set(inspect(connection).get_table_names())
    db.migrate()
    assert db.revision() == head_revision() and installed_triggers(db) == set(triggers.names(db.dialect))
    assert notes.verify(db, clinic.clinician, draft.id).ok
    db.dispose()


# 0017: supervisors' returns of notes (an append-only table) come and go under a database with a returned note
def test_note_returns_migrate_down_and_up_with_a_returned_note_in_place(empty_url, keyring):
    from afternote.workflow import clients, notes, supervision
    from testkit.records import KEY_POINTS, make_clinic
    db = Database(empty_url, keyring)
    db.migrate()
    clinic = make_clinic(db)
    client = clients.add_client(db, clinic.associate, "Supervised Client")
    appointment = clients.add_appointment(db, clinic.associate, client.id, dt.date(2026, 1, 6), dt.time(9),
                                          minutes=45)
    note = notes.create(db, clinic.associate, appointment, KEY_POINTS)
    notes.sign(db, clinic.associate, note.id, 1, acknowledged=[f["code"] for f in notes.open_warnings(note.content)])
    supervision.return_note(db, clinic.supervisor, note.id, "Add the client's response.")

    command.downgrade(alembic_config(db.engine), "0016")
    with db.engine.connect() as connection:
        assert "note_returns" not in set(inspect(connection).get_table_names())
    assert installed_triggers(db) == expected_triggers(db)
    assert notes.verify(db, clinic.owner, note.id).ok  # the note never depended on its return

    db.migrate()
    assert db.revision() == head_revision() and installed_triggers(db) == set(triggers.names(db.dialect))
    assert supervision.returns(db, clinic.supervisor, note.id) == []  # the downgrade dropped them
    supervision.return_note(db, clinic.supervisor, note.id, "Add the client's response.")
    notes.co_sign(db, clinic.supervisor, note.id)
    assert notes.verify(db, clinic.owner, note.id).ok
    db.dispose()
