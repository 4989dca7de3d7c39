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

    @property
    def formats_dir(self) -> Path:
        """The practice's own format files (*.toml)."""
        return self.data_dir / "formats"


@cache
def settings() -> Settings:
    return Settings()
