"""`afternote models`: the local GGUF models the `local` engine can use."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from afternote.backends import registry
from afternote.cli import app, fail
from afternote.config import settings
from afternote.errors import AfternoteError

models_app = typer.Typer(help="Local language models (GGUF files) for --engine local.", invoke_without_command=True,
                         no_args_is_help=False)
app.add_typer(models_app, name="models")


def _size(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.0f} MB"


@models_app.callback()
def models(ctx: typer.Context) -> None:
    """List the added models; the default one is marked with *."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        found, default = registry.list_models(settings().data_dir)
    except AfternoteError as error:
        raise fail(error)
    if not found:
        typer.echo("No local models yet. Add a GGUF file with: afternote models add PATH", err=True)
        return
    for model in found:
        mark = "*" if model.name == default else " "
        missing = "" if Path(model.path).is_file() else "  (file missing)"
        typer.echo(f"{mark} {model.name}  {_size(model.size)}  {model.path}{missing}")


@models_app.command("add")
def add(
    path: Annotated[Path, typer.Argument(help="A .gguf model file.")],
    name: Annotated[Optional[str], typer.Option(help="Name to use with AFTERNOTE_MODEL (default: file name).")] = None,
    default: Annotated[bool, typer.Option("--default", help="Make it the default local model.")] = False,
) -> None:
    """Add a GGUF model file (it stays where it is; only its path is recorded)."""
    try:
        model = registry.add_model(settings().data_dir, path, name=name, make_default=default)
        _, current = registry.list_models(settings().data_dir)
    except AfternoteError as error:
        raise fail(error)
    typer.echo(f"Added {model.name} ({_size(model.size)})" + (" as the default model." if current == model.name
                                                                else ". Use it with AFTERNOTE_MODEL=" + model.name))


@models_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The model's name, as `afternote models` lists it.")]) -> None:
    """Forget a model (the file itself is not deleted)."""
    try:
        registry.remove_model(settings().data_dir, name)
    except AfternoteError as error:
        raise fail(error)
    typer.echo(f"Removed {name}.")
