"""Alembic environment: run by Database.migrate() with the engine passed in (no alembic.ini needed).

The triggers (triggers.py) belong to this afternote, not to a revision: every run drops them first, so a SQLite table
rebuild (batch mode) neither loses them nor trips over one that names the table, and creates them again at the end
while any revision is applied.
"""
from alembic import context
from sqlalchemy import text

from afternote.records import triggers
from afternote.records.models import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        for statement in triggers.drop_statements(connection.dialect.name):
            connection.execute(text(statement))
        context.run_migrations()
        if context.get_context().get_current_revision() is not None:
            for statement in triggers.create_statements(connection.dialect.name):
                connection.execute(text(statement))
    connection.commit()
