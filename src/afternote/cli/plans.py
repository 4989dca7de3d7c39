"""`afternote plans`: a client's treatment plans: list, new and save (the plan as a JSON file, as the API takes it),
show, sign, verify. Each command is a few lines around one call to workflow/plans.py."""
from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from afternote.cli import app
from afternote.cli.records import _session, actionable, when
from afternote.errors import InputError
from afternote.plans import goal_line
from afternote.workflow import plans

plans_app = typer.Typer(help="Treatment plans: list a client's, new, show, save, sign, verify.", no_args_is_help=True)
app.add_typer(plans_app, name="plans")

Source = Annotated[str, typer.Argument(help="A JSON file with the plan (start_date, problems, agreement, "
                                            "agreement_date), or - for stdin.")]


def _document(source: str) -> dict:
    try:
        text = sys.stdin.read() if source == "-" else open(source, encoding="utf-8").read()
        return json.loads(text)
    except OSError as error:
        raise InputError(f"Cannot read {source}: {error.strerror}. Give a JSON file with the plan.") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{source} is not JSON (line {error.lineno}). `afternote plans show PLAN --json` prints "
                         "the shape.") from None


def _text(view: plans.PlanView) -> str:
    doc = view.document
    lines = [f"Treatment plan {view.id}: version {view.version} ({view.status})"
             + (", active" if view.active else "") + (f", review due {view.review_due}" if view.review_due else ""),
             f"Start date: {doc.start_date or 'not given'}; the client's agreement: "
             f"{doc.agreement or 'not yet'}{' on ' + str(doc.agreement_date) if doc.agreement_date else ''}"]
    for i, problem in enumerate(doc.problems, 1):
        lines.append(f"Problem {i}: {problem.text}")
        for goal in problem.goals:
            lines.append(f"  Goal {goal.id}: {goal_line(goal)}")
            for o in goal.objectives:
                lines.append(f"    Objective {o.id}: {o.text} (baseline {o.baseline or '-'}, target "
                             f"{o.target or '-'} by {o.target_date or '-'}, measure {o.measure or '-'})")
        for v in problem.interventions:
            lines.append(f"  Intervention: {v.modality}, {v.frequency or '-'}, {v.duration or '-'}")
    if view.status == "draft" and view.missing:
        lines.append("To sign, fill in: " + "; ".join(view.missing))
    return "\n".join(lines)


@plans_app.command("list")
@actionable
def plans_list(client: Annotated[str, typer.Argument(help="A client id (`afternote clients` lists them).")]):
    """List a client's treatment plans, newest first."""
    db, actor = _session()
    for view in plans.list_plans(db, actor, client):
        typer.echo(f"{view.id}  v{view.current_version:<3} {view.status:6}" + ("  active" if view.active else ""))


@plans_app.command("new")
@actionable
def plans_new(client: str, source: Source) -> None:
    """A new treatment plan for one of your clients, from a JSON file; prints its id."""
    db, actor = _session()
    view = plans.create(db, actor, client, _document(source))
    typer.echo(f"{view.id} (version 1)\n\n{_text(view)}")


@plans_app.command("show")
@actionable
def plans_show(plan: str, version: Annotated[Optional[int], typer.Option()] = None,
               as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show a plan (its current version, or `--version`), with what signing still needs."""
    db, actor = _session()
    view = plans.show(db, actor, plan, version)
    typer.echo(json.dumps(view.document.to_dict(), ensure_ascii=False, indent=2) if as_json else _text(view))


@plans_app.command("save")
@actionable
def plans_save(plan: str, source: Source,
               version: Annotated[int, typer.Option(help="The version you edited (as shown).")]) -> None:
    """Save the plan from a JSON file as a new version (refused if someone saved since `--version`)."""
    db, actor = _session()
    typer.echo(f"Saved version {plans.save(db, actor, plan, _document(source), version)}.")


@plans_app.command("sign")
@actionable
def plans_sign(plan: str, version: Annotated[int, typer.Option(help="The version you read and sign.")]) -> None:
    """Sign a complete plan version (refused, listing what is missing, while incomplete)."""
    db, actor = _session()
    sig = plans.sign(db, actor, plan, version)
    typer.echo(f"Signed version {sig.version} by {sig.signer}, {sig.credentials} at {when(db, actor)(sig.signed_at)}; "
               f"sha256 {sig.content_sha256}.")


@plans_app.command("verify")
@actionable
def plans_verify(plan: str) -> None:
    """Recompute every signature's hash and seal of a plan."""
    db, actor = _session()
    found = plans.verify(db, actor, plan)
    if not found:
        typer.echo(f"Plan {plan}: every signed version matches its seal.")
        return
    for problem in found:
        typer.echo(f"Plan {plan}: {problem}", err=True)
    raise typer.Exit(1)
