"""One settings object: environment variables AFTERNOTE_*, defaults that work on one computer."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AFTERNOTE_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("afternote")),
                           description="Where the database, the key file and the practice's formats live.")
    engine: str = Field(default="builtin", description="Default drafting engine.")
    database_url: str | None = Field(default=None, description=(
        "SQLAlchemy URL of the records database (postgresql+psycopg://... for a practice server); "
        "default: SQLite file afternote.db in the data directory."))
    note_deadline_hours: int = Field(default=72, ge=1, description="Hours after a session by which its note is due.")
    key_file: Path | None = Field(default=None, description="Key file for encryption at rest; default: data_dir/afternote.key.")
    key: str | None = Field(default=None, repr=False, description=(
        "Encryption key(s) for servers, base64, comma-separated, current first; used instead of the key file."))
    user: str | None = Field(default=None, description=(
        "The user the CLI acts as on one computer (default: the only user); on a server the CLI asks for a password."))

    @property
    def formats_dir(self) -> Path:
        """The practice's own format files (*.toml)."""
        return self.data_dir / "formats"

    @property
    def records_url(self) -> str:
        """The records database: AFTERNOTE_DATABASE_URL, else SQLite in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'afternote.db'}"

    @property
    def key_path(self) -> Path:
        return self.key_file or self.data_dir / "afternote.key"


@cache
def settings() -> Settings:
    return Settings()
