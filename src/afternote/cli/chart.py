"""`afternote clients chart|details|diagnoses|diagnose|diagnosis|insurance|icd10`: a client's chart from the
command line. Each command is a few lines around one call to workflow/chart.py, diagnoses.py or insurance.py
(which audit); ICD-10-CM codes are searched in icd10.py."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from afternote import icd10
from afternote.cli.records import _session, actionable, clients_app
from afternote.errors import InputError
from afternote.workflow import chart, diagnoses, insurance

Day = Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD.")]


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _print_chart(shown: chart.Chart) -> None:
    d = shown.details
    contact = d.emergency_contact
    typer.echo(f"Pronouns: {d.pronouns or '-'}\nReferral source: {d.referral_source or '-'}\nEmergency contact: "
               + (", ".join(filter(None, (contact.name, contact.relationship, contact.phone))) if contact else "-"))
    typer.echo("Diagnoses:" + ("" if shown.diagnoses else " none"))
    today = dt.date.today()
    for x in shown.diagnoses:
        dates = f"{x.starts_on or '?'} to {x.ends_on or 'now'}"
        typer.echo(f"  {x.id}  {x.label}  {dates}{'' if x.active_on(today) else ' (ended)'}")
    i = shown.insurance
    if i is None:
        typer.echo("Insurance: none")
        return
    typer.echo(f"Insurance: {i.payer or '-'}, member id {i.member_id or '-'}")
    if i.authorized_sessions is not None or i.authorized_to is not None:
        typer.echo(f"  Authorization {i.authorization or '-'}: {i.authorized_sessions or '-'} sessions, "
                   f"{i.authorized_from or '?'} to {i.authorized_to or '?'}; {i.sessions_used} used")
    if i.warning:
        typer.echo(f"  Warning: {i.warning}")


@clients_app.command("chart")
@actionable
def clients_chart(client: str) -> None:
    """Show a client's chart: pronouns, referral source, emergency contact, diagnoses, insurance."""
    db, actor = _session()
    _print_chart(chart.show_chart(db, actor, client))


@clients_app.command("details")
@actionable
def clients_details(client: str, pronouns: Annotated[Optional[str], typer.Option(help="'' clears them.")] = None,
                    referral_source: Annotated[Optional[str], typer.Option(help="Who referred the client.")] = None,
                    contact_name: Annotated[Optional[str], typer.Option(
                        help="The emergency contact's name ('' clears the contact).")] = None,
                    contact_relationship: Annotated[Optional[str], typer.Option()] = None,
                    contact_phone: Annotated[Optional[str], typer.Option()] = None) -> None:
    """Set a client's pronouns, referral source or emergency contact (what you leave out stays). Audited."""
    db, actor = _session()
    contact = chart.KEEP
    if any(v is not None for v in (contact_name, contact_relationship, contact_phone)):
        contact = chart.emergency_contact(contact_name, contact_relationship, contact_phone)
    chart.update_details(db, actor, client, pronouns=chart.KEEP if pronouns is None else pronouns,
                         referral_source=chart.KEEP if referral_source is None else referral_source,
                         emergency_contact=contact)
    typer.echo(f"Client {client}: chart updated.")


@clients_app.command("diagnose")
@actionable
def clients_diagnose(client: str, code: Annotated[str, typer.Argument(help="A billable ICD-10-CM code (F41.1).")],
                     primary: Annotated[bool, typer.Option("--primary", help="The primary diagnosis.")] = False,
                     start: Day = None, end: Day = None) -> None:
    """Add a diagnosis to a client's chart; prints its id. Find codes with `afternote clients icd10 WORDS`."""
    db, actor = _session()
    added = diagnoses.add(db, actor, client, code, primary=primary, starts_on=_day(start), ends_on=_day(end))
    typer.echo(f"{added.id}  {added.label}")


@clients_app.command("diagnosis")
@actionable
def clients_diagnosis(diagnosis: Annotated[str, typer.Argument(help="The diagnosis id (`clients chart` lists them).")],
                      primary: Annotated[Optional[bool], typer.Option("--primary/--secondary")] = None,
                      start: Day = None, end: Day = None,
                      remove: Annotated[bool, typer.Option("--remove", help="Delete one entered by mistake.")] = False
                      ) -> None:
    """Change a diagnosis: primary or not, its start, its end (an end date ends it); or --remove it."""
    db, actor = _session()
    if remove:
        diagnoses.remove(db, actor, diagnosis)
        typer.echo(f"Diagnosis {diagnosis} removed.")
        return
    keep = diagnoses.KEEP
    changed = diagnoses.update_diagnosis(db, actor, diagnosis, primary=keep if primary is None else primary,
                                         starts_on=_day(start) if start else keep,
                                         ends_on=_day(end) if end else keep)
    typer.echo(f"{changed.id}  {changed.label}  {changed.starts_on or '?'} to {changed.ends_on or 'now'}")


@clients_app.command("insurance")
@actionable
def clients_insurance(client: str, payer: Annotated[Optional[str], typer.Option()] = None,
                      member_id: Annotated[Optional[str], typer.Option()] = None,
                      authorization: Annotated[Optional[str], typer.Option(help="The authorization's number.")] = None,
                      sessions: Annotated[Optional[int], typer.Option(help="Sessions authorized.")] = None,
                      start: Day = None, end: Day = None) -> None:
    """Set a client's insurance and authorization (what you leave out stays; '' clears a text). Audited."""
    db, actor = _session()
    now = chart.show_chart(db, actor, client).insurance or insurance.InsuranceView()
    given = {"payer": payer, "member_id": member_id, "authorization": authorization, "authorized_sessions": sessions,
             "authorized_from": _day(start), "authorized_to": _day(end)}
    value = insurance.InsuranceView(*(getattr(now, f) if given[f] is None else given[f] for f in insurance.FIELDS))
    saved = insurance.save(db, actor, client, value)
    typer.echo(f"Client {client}: insurance saved." + (f" Warning: {saved.warning}" if saved.warning else ""))


@clients_app.command("icd10")
@actionable
def clients_icd10(words: Annotated[list[str], typer.Argument(help="A code (F41) or words (generalized anxiety).")],
                  limit: Annotated[int, typer.Option(min=1, max=icd10.MAX_RESULTS)] = 20) -> None:
    """Search the billable ICD-10-CM codes by code or words."""
    found = icd10.search(" ".join(words), limit)
    if not found:
        raise InputError("No billable ICD-10-CM code matches. Try fewer or other words, or the code's first "
                         "characters (F43).")
    for code in found:
        typer.echo(f"{code.code:8} {code.description}")
