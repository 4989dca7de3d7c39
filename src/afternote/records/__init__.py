"""The clinical record: SQLAlchemy models, the database (SQLite or PostgreSQL), migrations, encryption at rest."""
from afternote.records.crypto import Keyring
from afternote.records.database import Database, open_database
from afternote.records.errors import DatabaseError, DatabaseNotMigrated, KeyProblem, RecordTampered

__all__ = ["Database", "open_database", "Keyring", "DatabaseError", "DatabaseNotMigrated", "KeyProblem",
           "RecordTampered"]
