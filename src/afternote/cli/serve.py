"""`afternote serve`: the practice server (JSON API, and the pages), on uvicorn."""
from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Optional

import typer

from afternote.cli import app, fail
from afternote.config import settings
from afternote.errors import AfternoteError


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(host: Annotated[str, typer.Option(help="Address to listen on; a server's own address (or 0.0.0.0) "
                                                 "to serve the practice's network.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
          workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (more than 1 needs "
                                                                     "PostgreSQL).")] = 1,
          tls_cert: Annotated[Optional[Path], typer.Option(help="TLS certificate (PEM).")] = None,
          tls_key: Annotated[Optional[Path], typer.Option(help="TLS private key (PEM).")] = None) -> None:
    """Serve afternote over HTTP on this computer (default) or, with --host, to the practice's network."""
    import uvicorn

    from afternote.records.database import open_database
    current = settings()
    first_run = current.fresh  # a database with records (or a named one) is never a first run
    if first_run and not is_loopback(host):
        typer.echo("afternote: this data directory is not set up. Run `afternote init` first: setting up over the "
                   "web is offered only to a browser on this computer.", err=True)
        raise typer.Exit(2)
    if first_run:  # nothing here yet: the first visit from this computer creates the practice and the first user
        dialect = "sqlite"
        typer.echo(f"afternote: first run. Open http://{host}:{port}/ in your browser to create the practice and "
                   "your user.", err=True)
    else:
        try:
            db = open_database(current)  # refuse to start on a database that is missing or not migrated
        except AfternoteError as error:
            raise fail(error)
        dialect = db.dialect
        db.dispose()
    if workers > 1 and dialect == "sqlite":
        typer.echo("afternote: several workers need PostgreSQL (AFTERNOTE_DATABASE_URL=postgresql+psycopg://...); "
                   "SQLite on one computer is served by one worker.", err=True)
        raise typer.Exit(2)
    if (tls_cert is None) != (tls_key is None):
        typer.echo("afternote: give both --tls-cert and --tls-key, or neither.", err=True)
        raise typer.Exit(2)
    if not is_loopback(host) and tls_cert is None:
        typer.echo(f"WARNING: listening on {host} without TLS: passwords, session cookies and health data would "
                   "cross the network unencrypted, and browsers will not send the secure session cookie. Give "
                   "--tls-cert and --tls-key, or keep 127.0.0.1 behind a reverse proxy that terminates TLS.",
                   err=True)
    scheme = "https" if tls_cert else "http"
    typer.echo(f"afternote: serving on {scheme}://{host}:{port} with {workers} worker(s); Ctrl-C stops.", err=True)
    uvicorn.run("afternote.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                ssl_certfile=str(tls_cert) if tls_cert else None, ssl_keyfile=str(tls_key) if tls_key else None,
                server_header=False, proxy_headers=False, log_level="info")
