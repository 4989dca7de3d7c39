"""The `afternote` command. Each group of commands lives in its own module and is added here."""
from __future__ import annotations

import sys

import typer

from afternote.errors import AfternoteError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="afternote: from a therapist's key points to a structured, verified progress note.")


def fail(error: AfternoteError) -> "typer.Exit":
    """Print an actionable error (never a traceback, never health data) and exit with its code."""
    typer.echo(f"afternote: {error}", err=True)
    return typer.Exit(error.exit_code)


# Commands that need neither the database nor a model load only their own module: drafting starts in a blink.
_LIGHT_COMMANDS = {"draft", "formats"}


def _register(argv: list[str] | None = None) -> None:
    from afternote.cli import draft, formats  # noqa: F401  (each module adds its commands to `app`)
    command = next((arg for arg in (argv or [])[1:] if not arg.startswith("-")), None)
    if command in _LIGHT_COMMANDS:
        return
    from afternote.cli import records  # noqa: F401  (init, user, clients, notes, backlog, audit, backup)
    from afternote.cli import plans  # noqa: F401  (plans)
    from afternote.cli import exports  # noqa: F401  (notes export, clients export)
    from afternote.cli import measures  # noqa: F401  (clients measures)
    from afternote.cli import chart  # noqa: F401  (clients chart, details, diagnose, diagnosis, insurance, icd10)
    from afternote.cli import models  # noqa: F401  (models, models add)
    from afternote.cli import serve  # noqa: F401  (serve)


def main() -> None:
    _register(sys.argv)
    try:
        app()
    except AfternoteError as error:  # a command that let one escape still gets a clean message
        typer.echo(f"afternote: {error}", err=True)
        sys.exit(error.exit_code)
