"""Alembic environment: run by Database.migrate() with the engine passed in (no alembic.ini needed).

The triggers (triggers.py) belong to this afternote, not to a revision: every run drops them first, so a SQLite table
rebuild (batch mode) neither loses them nor trips over one that names the table, and creates them again at the end
while any revision is applied.

On SQLite, changing a table's constraints means recreating it (batch mode), and dropping a table others refer to
fails while foreign keys are enforced; so, as SQLite's own procedure for altering tables says, enforcement is off
during the migration (outside its transaction, where the pragma takes effect) and every reference is checked with
`PRAGMA foreign_key_check` before it commits.
"""
from alembic import context
from sqlalchemy import inspect, text

from afternote.records import triggers
from afternote.records.models import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            tables = set(inspect(connection).get_table_names())
            for statement in triggers.drop_statements(connection.dialect.name, tables):
                connection.execute(text(statement))
            context.run_migrations()
            if context.get_context().get_current_revision() is not None:
                tables = set(inspect(connection).get_table_names())  # as the revisions left them
                for statement in triggers.create_statements(connection.dialect.name, tables):
                    connection.execute(text(statement))
            if sqlite and connection.execute(text("PRAGMA foreign_key_check")).first() is not None:
                raise RuntimeError("A migration left a reference to a missing row; nothing was changed.")
        connection.commit()
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
