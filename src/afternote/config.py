"""One settings object: environment variables AFTERNOTE_*, defaults that work on one computer."""
from __future__ import annotations

import ipaddress
from functools import cache
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
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
    session_idle_minutes: int = Field(default=15, ge=1, le=720, description=(
        "Minutes without activity after which a web session is signed out (a practice may set its own)."))
    time_zone: str | None = Field(default=None, description=(
        "IANA time zone (America/New_York) of practices that have chosen none, and the zone migration 0015 reads "
        "earlier session times in; default: this computer's zone, else UTC."))
    trusted_proxies: str = Field(default="", description=(
        "Addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) of reverse proxies in front of the "
        "server: only from these is X-Forwarded-For believed, for the sign-in limits and the audit trail."))
    max_password_checks: int = Field(default=4, ge=1, le=64, description=(
        "Password checks run at once per server process (each takes about 64 MiB); more sign-ins are told to try "
        "again in a moment."))
    token_days: int = Field(default=90, ge=1, le=3650, description=(
        "Days a new API token works unless it says otherwise."))
    session_max_hours: int = Field(default=12, ge=1, le=24 * 30, description=(
        "Hours after signing in at which a web session ends however active it was (the absolute lifetime)."))
    max_body_bytes: int = Field(default=1_000_000, ge=10_000, description=(
        "Largest request body the server accepts, in bytes; larger ones are refused (413) before they are read."))
    key_file: Path | None = Field(default=None, description="Key file for encryption at rest; default: data_dir/afternote.key.")
    key: str | None = Field(default=None, repr=False, description=(
        "Encryption key(s) for servers, base64, comma-separated, current first; used instead of the key file."))
    user: str | None = Field(default=None, description=(
        "The user the CLI acts as on one computer (default: the only user); on a server the CLI asks for a password."))
    # language-model engines (docs/engines.md)
    model: str | None = Field(default=None, description=(
        "Local engine: a model name from `afternote models`, or the path of a .gguf file; default: the default model."))
    model_context: int = Field(default=4096, ge=512, description="Local engine: context size in tokens.")
    llm_timeout: float = Field(default=180.0, gt=0, description=(
        "Seconds a language model may take for one note before the built-in draft is shown instead."))
    llm_max_tokens: int = Field(default=2048, ge=64, description="Most tokens a language model may write for one note.")
    openai_base_url: str = Field(default="http://127.0.0.1:11434/v1", description=(
        "OpenAI engine: the server's base URL (Ollama, llama.cpp server, vLLM, LM Studio)."))
    openai_model: str | None = Field(default=None, description="OpenAI engine: the model name the server knows.")
    openai_api_key: str | None = Field(default=None, repr=False, description="OpenAI engine: API key, if the server needs one.")
    openai_baa: bool = Field(default=False, description=(
        "Set true only if the practice has a business associate agreement with the provider at a non-local URL."))

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"'{item}' in trusted_proxies is not an address or network (10.0.0.5, "
                                 "10.0.0.0/8, ::1)") from None
        return value

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value and value.strip():
            from afternote.times import checked
            return checked(value)
        return None

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in self.trusted_proxies.split(",") if part.strip())

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

    @property
    def fresh(self) -> bool:
        """Nothing set up here yet: no key, no key file, no database named and no SQLite file."""
        return (not self.key and not self.key_path.exists() and self.database_url is None
                and not (self.data_dir / "afternote.db").exists())


@cache
def settings() -> Settings:
    return Settings()
