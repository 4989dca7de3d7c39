"""`afternote formats`: list the note formats, or show one."""
from __future__ import annotations

from typing import Annotated

import typer

from afternote.cli import app, fail
from afternote.config import settings
from afternote.errors import AfternoteError
from afternote.formats import builtin_formats, get_format, practice_formats

formats_app = typer.Typer(help="List the note formats, or show one.", invoke_without_command=True)
app.add_typer(formats_app, name="formats")


@formats_app.callback()
def list_formats(ctx: typer.Context) -> None:
    """List the built-in formats and the practice's own."""
    if ctx.invoked_subcommand:
        return
    own, problems = practice_formats(settings().formats_dir)
    for fmt in {**builtin_formats(), **own}.values():
        sections = " · ".join(s.title for s in fmt.sections)
        typer.echo(f"{fmt.key:10} {fmt.name:10} {sections}")
    for problem in problems:  # a bad file is named; the other formats are listed and usable
        typer.echo(f"afternote: {problem}", err=True)


@formats_app.command("show")
def show_format(name: Annotated[str, typer.Argument(help="A format key (soap) or a .toml file.")]) -> None:
    """Show a format's sections, what each holds, and its guidance."""
    try:
        fmt = get_format(name, settings().formats_dir)
    except AfternoteError as error:
        raise fail(error)
    typer.echo(f"{fmt.name} ({fmt.key}): {fmt.description}\n")
    for section in fmt.sections:
        loinc = f"  [LOINC {section.loinc}]" if section.loinc else ""
        typer.echo(f"{section.title}{loinc}\n  holds: {', '.join(section.categories)}\n  {section.guidance}\n"
                   f"  when empty: {section.empty}\n")
