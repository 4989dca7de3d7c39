"""The records commands for one clinician on one computer (and for the owner of a practice server):
init, migrate, user add, clients, appointments, notes, backlog, audit, backup, restore, rotate-key.

Each command is a few lines around one call to the workflow services; errors become one actionable line.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from afternote import times
from afternote.cli import app, fail
from afternote.config import settings
from afternote.errors import AfternoteError, InputError
from afternote.records.database import Database, open_database
from afternote.workflow import (audit, backlog as backlog_service, backups, clients as client_service, keys, notes,
                                passwords, practice as practice_service, setup, supervision, two_factor, users, versions)
from afternote.workflow.actor import Actor

user_app = typer.Typer(help="Manage the practice's users.", no_args_is_help=True)
clients_app = typer.Typer(help="List clients, or add one.", invoke_without_command=True)
appointments_app = typer.Typer(help="Add a session with a client.", no_args_is_help=True)
notes_app = typer.Typer(help="Notes: with no command, list them; or new, show, edit, versions, restore, sign, cosign, "
                        "return, returns, addend, verify, export.", invoke_without_command=True)
app.add_typer(user_app, name="user")
two_factor_app = typer.Typer(help="Two-factor sign-in: reset a user's (a lost phone), require it of everyone.",
                             no_args_is_help=True)
user_app.add_typer(two_factor_app, name="two-factor")
app.add_typer(clients_app, name="clients")
app.add_typer(appointments_app, name="appointments")
app.add_typer(notes_app, name="notes")
practice_app = typer.Typer(help="The practice's settings: its time zone, the letterhead of its exports.",
                            no_args_is_help=True)
app.add_typer(practice_app, name="practice")
BirthDate = Annotated[Optional[dt.datetime], typer.Option("--birth-date", formats=["%Y-%m-%d"],
                                                          help="Date of birth, YYYY-MM-DD.")]


def actionable(command):
    """Turn an AfternoteError into one line on stderr and exit code 2 (no traceback, no health data)."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except AfternoteError as error:
            raise fail(error)
    return wrapper


def _db() -> Database:
    return open_database()


def _actor(db: Database) -> Actor:
    """Who the CLI acts as: on one computer (SQLite, protected by the OS account and the key file) the user named
    by AFTERNOTE_USER or the only user; on a server every command signs in with a password."""
    name = settings().user
    if db.dialect != "sqlite":
        name = name or typer.prompt("Username")
        password = os.environ.get("AFTERNOTE_PASSWORD") or typer.prompt("Password", hide_input=True)
        actor = users.login(db, name, password, source="cli")
        if actor.two_factor:  # the password alone signs nobody in
            two_factor.check_sign_in_code(db, actor, typer.prompt("Code from your authenticator app"),
                                          address="cli")
        return actor
    if name:
        return users.get_actor(db, name)
    only = users.only_username(db)
    if only is None:
        raise InputError("Several users share this database: set AFTERNOTE_USER to your username.")
    return users.get_actor(db, only)


def _session():
    db = _db()
    return db, _actor(db)


def when(db: Database, actor: Actor):
    """The formatter of this command's times: each in the practice's zone (times.when)."""
    zone = practice_service.time_zone_of(db, actor)
    return lambda moment, pattern=times.WHEN: times.when(moment, zone, pattern)


def _new_password(password: str | None) -> str:
    return password or os.environ.get("AFTERNOTE_NEW_PASSWORD") or typer.prompt(
        "Password (12 characters or more, not easy to guess)", hide_input=True, confirmation_prompt=True)


# --- setting up ---------------------------------------------------------------------------------------------------
@app.command("init")
@actionable
def init(practice: Annotated[str, typer.Option(help="The practice's name.")] = "My practice",
         username: Annotated[str, typer.Option(help="Your username.")] = os.environ.get("USER", "me"),
         name: Annotated[Optional[str], typer.Option(help="Your name as it appears on signatures.")] = None,
         credentials: Annotated[str, typer.Option(help="Your credentials, e.g. LCSW, PhD.")] = "",
         time_zone: Annotated[Optional[str], typer.Option(
             help="The practice's IANA time zone, e.g. America/New_York (default: this computer's).")] = None,
         password: Annotated[Optional[str], typer.Option(hidden=True)] = None) -> None:
    """Create the data directory, the encryption key (0600), the database, and the first user (an owner)."""
    if time_zone is not None:
        time_zone = times.checked(time_zone)  # before anything is made
    s = settings()
    db, messages = setup.prepare(s)
    for message in messages:
        typer.echo(message)
    if setup.has_users(db):
        typer.echo("The database already has users; nothing else to do. Add people with `afternote user add`.")
        return
    owner = users.create_practice(db, practice, username=username, password=_new_password(password),
                                  display_name=name or username, credentials=credentials, time_zone=time_zone)
    typer.echo(f"Practice '{practice}' created; you are '{owner.username}' (owner). Time zone: "
               f"{practice_service.time_zone_of(db, owner)} (`afternote practice time-zone` changes it).")


@app.command("migrate")
@actionable
def migrate() -> None:
    """Bring the database to this afternote's schema (back it up first with `afternote backup`)."""
    db = Database(settings().records_url, None)
    before, after = db.migrate()
    typer.echo(f"Database at schema {after}" + (f" (was {before})." if before != after else " (already)."))


@user_app.command("add")
@actionable
def user_add(username: str, name: Annotated[str, typer.Option(help="Name as shown on signatures.")],
             role: Annotated[str, typer.Option(help="clinician, supervisor, owner or auditor.")] = "clinician",
             credentials: Annotated[str, typer.Option()] = "",
             supervisor: Annotated[Optional[str], typer.Option(help="Supervisor's username (pre-licensed).")] = None,
             password: Annotated[Optional[str], typer.Option(hidden=True)] = None) -> None:
    """Add a user to the practice (owners only)."""
    db, actor = _session()
    added = users.add_user(db, actor, username=username, password=_new_password(password), display_name=name,
                           role=role, credentials=credentials, supervisor=supervisor)
    typer.echo(f"Added {added.username} ({added.role}).")


@user_app.command("passwd")
@actionable
def user_passwd(current: Annotated[Optional[str], typer.Option(hidden=True)] = None,
                new: Annotated[Optional[str], typer.Option(hidden=True)] = None) -> None:
    """Change your own password (the current one first)."""
    db, actor = _session()
    current = current or os.environ.get("AFTERNOTE_PASSWORD") or typer.prompt("Current password", hide_input=True)
    passwords.change_password(db, actor, current, _new_password(new), source="cli")
    typer.echo("Your password was changed; your sign-ins elsewhere were signed out.")


def _user_named(db: Database, actor: Actor, username: str) -> users.UserView:
    """The practice's user of that name (the owner's view), or InputError saying where the names are listed."""
    target = next((u for u in users.list_users(db, actor) if u.username == username), None)
    if target is None:
        raise InputError(f"No user '{username}' in this practice. Check the username (Settings lists the users).")
    return target


@user_app.command("reset-password")
@actionable
def user_reset_password(username: str) -> None:
    """Give a user a one-time password, which they must change at their next sign-in (owners only)."""
    db, actor = _session()
    one_time = passwords.reset_password(db, actor, _user_named(db, actor, username).id)
    typer.echo(f"One-time password for {username}: {one_time}\nGive it to them in person; they must choose their "
               "own when they sign in. It is not shown again.")


@two_factor_app.command("reset")
@actionable
def two_factor_reset(username: str) -> None:
    """Turn a user's two-factor sign-in off (owners only): their recovery codes and sign-ins end; they enrol again."""
    db, actor = _session()
    two_factor.reset(db, actor, _user_named(db, actor, username).id)
    typer.echo(f"Two-factor sign-in of {username} is off; their sign-ins ended. They sign in with their password "
               "and turn it on again (Settings, Two-factor sign-in).")


@two_factor_app.command("require")
@actionable
def two_factor_require(off: Annotated[bool, typer.Option("--off", help="Make it optional again.")] = False) -> None:
    """Require two-factor sign-in of everyone in the practice (owners only); `--off` makes it optional."""
    db, actor = _session()
    two_factor.set_required(db, actor, not off)
    typer.echo("Two-factor sign-in is optional." if off else
               "Two-factor sign-in is required: users without it turn it on after their next sign-in.")


@user_app.command("licence")
@actionable
def user_licence(number: Annotated[str, typer.Argument(help="Your licence number ('' clears it).")]) -> None:
    """Set your licence number, printed with your signature on exported notes."""
    db, actor = _session()
    practice_service.update_profile(db, actor, display_name=actor.display_name, credentials=actor.credentials,
                                    licence_number=number)
    typer.echo("Licence number saved." if number.strip() else "Licence number cleared.")


@practice_app.command("time-zone")
@actionable
def practice_time_zone(name: Annotated[Optional[str], typer.Argument(
                           help="An IANA zone such as America/New_York (owners); without it, the current one.")] = None,
                       list_zones: Annotated[bool, typer.Option("--list", help="Every zone name known here.")] = False
                       ) -> None:
    """Show the practice's time zone, or set it (owners): every time is shown in it and session times are typed
    in it; stored times keep their moment."""
    if list_zones:
        typer.echo("\n".join(sorted(times.available())))
        return
    db, actor = _session()
    if name is not None:
        practice_service.set_time_zone(db, actor, name)
    typer.echo(f"Time zone: {practice_service.time_zone_of(db, actor)}")


@practice_app.command("letterhead")
@actionable
def practice_letterhead(name: Annotated[Optional[str], typer.Option(help="The practice's name.")] = None,
                        address: Annotated[Optional[str], typer.Option()] = None,
                        phone: Annotated[Optional[str], typer.Option()] = None,
                        npi: Annotated[Optional[str], typer.Option(help="The practice's 10-digit NPI.")] = None,
                        paste_headings: Annotated[Optional[str], typer.Option(
                            help="EHR paste headings: plain, capitals or markdown.")] = None) -> None:
    """Show the letterhead of the practice's exports, or change it (owners; what you leave out stays)."""
    db, actor = _session()
    now = practice_service.letterhead_of(db, actor)
    if any(v is not None for v in (name, address, phone, npi, paste_headings)):
        practice_service.update_letterhead(
            db, actor, name=now.name if name is None else name, address=now.address if address is None else address,
            phone=now.phone if phone is None else phone, npi=now.npi if npi is None else npi,
            paste_headings=now.paste_headings if paste_headings is None else paste_headings)
        now = practice_service.letterhead_of(db, actor)
    typer.echo(f"{now.name}\n{now.address or '(no address)'}\n{now.phone or '(no phone)'}\n"
               f"NPI {now.npi or '(none)'}\nEHR paste headings: {now.paste_headings}")


# --- clients and sessions -----------------------------------------------------------------------------------------
@clients_app.callback()
@actionable
def clients(ctx: typer.Context) -> None:
    """List your clients (owners and auditors: the practice's)."""
    if ctx.invoked_subcommand:
        return
    db, actor = _session()
    for client in client_service.list_clients(db, actor):
        typer.echo(f"{client.id}  {client.name}" + (f"  ({client.identifier})" if client.identifier else ""))


@clients_app.command("add")
@actionable
def clients_add(name: str, identifier: Annotated[Optional[str], typer.Option(help="e.g. a record number.")] = None,
                clinician: Annotated[Optional[str], typer.Option(help="Username (owners only).")] = None,
                birth_date: BirthDate = None) -> None:
    """Add a client (yours, or an owner's for another clinician); prints the client id."""
    db, actor = _session()
    typer.echo(client_service.add_client(db, actor, name, identifier, clinician,
                                         birth_date.date() if birth_date else None).id)


@clients_app.command("edit")
@actionable
def clients_edit(client: str, name: Annotated[Optional[str], typer.Option(help="The corrected name.")] = None,
                 identifier: Annotated[Optional[str], typer.Option(help="Record number ('' clears it).")] = None,
                 birth_date: BirthDate = None) -> None:
    """Correct a client's name, record number or date of birth (what you leave out stays as it is). Audited."""
    db, actor = _session()
    keep = client_service.KEEP
    client_service.update_client(db, actor, client, name or keep, keep if identifier is None else (identifier or None),
                                 birth_date.date() if birth_date else keep)
    typer.echo(f"Client {client} updated.")


@appointments_app.command("add")
@actionable
def appointments_add(client: str, date: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"])],
                     start: Annotated[str, typer.Option(help="HH:MM")],
                     minutes: Annotated[Optional[int], typer.Option()] = None,
                     end: Annotated[Optional[str], typer.Option(help="HH:MM")] = None,
                     service: Annotated[Optional[str], typer.Option()] = None,
                     modality: Annotated[Optional[str], typer.Option()] = None,
                     telehealth: Annotated[Optional[str], typer.Option(help="video or audio")] = None) -> None:
    """Record a session with a client, its date and times as the practice's clock shows them (its time zone:
    `afternote practice time-zone`); prints the appointment id."""
    db, actor = _session()
    try:
        start_time = dt.time.fromisoformat(start)
        end_time = dt.time.fromisoformat(end) if end else None
    except ValueError:
        raise InputError("--start and --end take a time such as 14:30.") from None
    typer.echo(client_service.add_appointment(db, actor, client, date.date(), start_time, end_time, minutes,
                                              service, modality, telehealth))


# --- notes --------------------------------------------------------------------------------------------------------
@notes_app.callback()
@actionable
def notes_list(ctx: typer.Context, status: Annotated[Optional[str], typer.Option()] = None) -> None:
    """List notes, newest session first."""
    if ctx.invoked_subcommand:
        return
    db, actor = _session()
    shown = when(db, actor)
    for n in notes.list_notes(db, actor, status=status):
        typer.echo(f"{n.id}  {shown(n.starts_at)}  {n.status:8} v{n.version:<3} {n.format:6} {n.client_name}")


@notes_app.command("new")
@actionable
def notes_new(appointment: str, source: Annotated[str, typer.Argument(help="File with the key points, or -.")] = "-",
              format: Annotated[str, typer.Option("--format", "-f")] = "soap",
              engine: Annotated[Optional[str], typer.Option()] = None) -> None:
    """Draft the note of a session from your key points; prints the note id and the draft."""
    from afternote.cli.draft import read_summary
    db, actor = _session()
    view = notes.create(db, actor, appointment, read_summary(source), format, engine or settings().engine,
                        formats_dir=settings().formats_dir)
    typer.echo(f"{view.id} (version {view.version})\n")
    typer.echo(view.to_text())


@notes_app.command("show")
@actionable
def notes_show(note: str, version: Annotated[Optional[int], typer.Option()] = None,
               as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show a note (its current version, or `--version`): status, sections, signatures and addenda."""
    db, actor = _session()
    view = notes.show(db, actor, note, version)
    if as_json:
        typer.echo(json.dumps({"id": view.id, "status": view.status, "version": view.version,
                               "format": view.format, "content": view.content,
                               "signatures": [s.__dict__ for s in view.signatures],
                               "addenda": [a.__dict__ for a in view.addenda]}, default=str, ensure_ascii=False))
        return
    typer.echo(f"Note {view.id}: {view.status}, version {view.version}, {view.format}\n")
    typer.echo(view.to_text())


@notes_app.command("edit")
@actionable
def notes_edit(note: str, section: str, text: str,
               version: Annotated[int, typer.Option(help="The version you edited (as shown).")]) -> None:
    """Save a section's new text as a new version (refused if someone saved since `--version`)."""
    db, actor = _session()
    saved = notes.edit_section(db, actor, note, section, text, version, settings().formats_dir)
    typer.echo(f"Saved version {saved}.")


@notes_app.command("versions")
@actionable
def notes_versions(note: str, diff: Annotated[bool, typer.Option("--diff", help="Show each change.")] = False) -> None:
    """Every saved version of a note: number, when, who, why, and the sections it changed."""
    db, actor = _session()
    shown = when(db, actor)
    for v in versions.history(db, actor, note):
        changed = ", ".join(c.title for c in v.changes) or "no text changed"
        restored = f" (version {v.restored_from} again)" if v.restored_from else ""
        typer.echo(f"v{v.number:<3} {shown(v.saved_at)}  {v.author:20} {v.reason}{restored}: {changed}")
        for change in v.changes if diff else ():
            typer.echo(f"      {change.title}:\n" + "\n".join(f"        {line}" for line in change.diff))


@notes_app.command("restore")
@actionable
def notes_restore(note: str, number: Annotated[int, typer.Argument(help="The earlier version to restore.")],
                  version: Annotated[int, typer.Option(help="The current version, as shown (a stale one is "
                                                             "refused).")]) -> None:
    """Save an earlier version of a draft again as a new version (nothing is rewritten; signed notes: addenda)."""
    db, actor = _session()
    typer.echo(f"Restored version {number} as version {notes.restore(db, actor, note, number, version, settings().formats_dir)}.")


@notes_app.command("sign")
@actionable
def notes_sign(note: str, version: Annotated[int, typer.Option(help="The version you read and sign.")],
               acknowledge: Annotated[Optional[list[str]], typer.Option(
                   help="The code of an open warning you have read and accept (repeat for each).")] = None,
               late_reason: Annotated[Optional[str], typer.Option(
                   help="Why the note is signed after the practice's deadline (optional).")] = None,
               cpt: Annotated[Optional[str], typer.Option(
                   help="The CPT code you confirm, with modifiers (90837-95); default: the suggested code; '' "
                        "when the session is not billed.")] = None) -> None:
    """Sign a note: it becomes read-only; corrections are then addenda. Open warnings must be acknowledged. The
    CPT code and the client's active diagnoses are sealed with the signature."""
    db, actor = _session()
    try:
        sig = notes.sign(db, actor, note, version, acknowledged=acknowledge or [], late_reason=late_reason,
                         cpt=notes.SUGGESTED if cpt is None else cpt)
    except notes.WarningsOpen as open_warnings:
        codes = " ".join(f"--acknowledge {f['code']}" for f in open_warnings.findings)
        raise InputError(f"{open_warnings} Nothing was signed. Fix them, or sign again with {codes}.") from None
    typer.echo(f"Signed by {sig.signer}, {sig.credentials} at {when(db, actor)(sig.signed_at)}; "
               f"sha256 {sig.content_sha256}." + (" Signed after the practice's deadline: marked late." if sig.late
                                                 else ""))
    typer.echo(f"CPT {sig.cpt or 'none (not billed)'}; diagnoses: "
               + ("; ".join(f"{d['code']} {d['description']}" for d in sig.diagnoses) or "none on the chart"))


@notes_app.command("cosign")
@actionable
def notes_cosign(note: str) -> None:
    """Co-sign a signed note of a clinician you supervise."""
    db, actor = _session()
    sig = notes.co_sign(db, actor, note)
    typer.echo(f"Co-signed by {sig.signer}, {sig.credentials}.")


@notes_app.command("return")
@actionable
def notes_return(note: str, comment: Annotated[str, typer.Argument(
        help="What the author should correct or add ('-' reads it from stdin).")]) -> None:
    """Return a signed note awaiting your co-signature to its author with a comment; they answer with an addendum,
    then you co-sign."""
    db, actor = _session()
    returned = supervision.return_note(db, actor, note, typer.get_text_stream("stdin").read() if comment == "-"
                                       else comment)
    typer.echo(f"Returned to its author by {returned.supervisor} at {when(db, actor)(returned.returned_at)}; "
               "the note stays signed until they add an addendum and you co-sign.")


@notes_app.command("returns")
@actionable
def notes_returns(note: str) -> None:
    """A note's returns by the supervisor, with their comments and whether each is answered."""
    db, actor = _session()
    shown, at = supervision.returns(db, actor, note), when(db, actor)
    for r in shown:
        state = ("open: answer it with `afternote notes addend`" if r.open else
                 f"answered {at(r.answered_at)}" if r.answered_at else "co-signed since")
        typer.echo(f"{at(r.returned_at)}  {r.supervisor}  ({state})\n  {r.comment}")
    if not shown:
        typer.echo("Not returned.")


@notes_app.command("addend")
@actionable
def notes_addend(note: str, text: str,
                 reason: Annotated[str, typer.Option(help="e.g. late entry, correction")]) -> None:
    """Add a dated, signed addendum to a signed note, with its reason; the note stays as signed."""
    db, actor = _session()
    add = notes.addend(db, actor, note, text, reason)
    typer.echo(f"Addendum {add.id} added.")


@notes_app.command("verify")
@actionable
def notes_verify(note: str) -> None:
    """Recompute the hash and seal of a signed note; exit 1 if it was changed."""
    db, actor = _session()
    result = notes.verify(db, actor, note)
    if result.ok:
        typer.echo(f"Note {note}: intact.")
        return
    for problem in result.problems:
        typer.echo(f"Note {note}: {problem}", err=True)
    raise typer.Exit(1)


# --- oversight ----------------------------------------------------------------------------------------------------
@app.command("backlog")
@actionable
def backlog(clinician: Annotated[Optional[str], typer.Option(help="A clinician's username.")] = None,
            practice: Annotated[bool, typer.Option("--practice", help="The whole practice.")] = False) -> None:
    """Sessions without a note, unsigned drafts, notes awaiting co-signature, plans due for review; oldest first."""
    db, actor = _session()
    items = backlog_service.backlog(db, actor, clinician=clinician, whole_practice=practice)
    shown = when(db, actor)
    for i in items:
        flag = "OVERDUE" if i.overdue else f"due {shown(i.due_at)}"
        typer.echo(f"{shown(i.starts_at)}  {i.kind:22} {flag:22} {i.client_name}  "
                   f"{i.note_id or i.plan_id or i.appointment_id}")
    if not items:
        typer.echo("Nothing outstanding.")


@app.command("audit")
@actionable
def audit_list(action: Annotated[Optional[str], typer.Option()] = None,
               user: Annotated[Optional[str], typer.Option(help="Username.")] = None,
               record: Annotated[Optional[str], typer.Option(help="Record id.")] = None,
               limit: Annotated[int, typer.Option()] = 100) -> None:
    """The audit trail, newest first (owners and auditors)."""
    db, actor = _session()
    shown = when(db, actor)
    for e in audit.events(db, actor, action=action, username=user, record_id=record, limit=limit):
        typer.echo(f"{shown(e.at, '%Y-%m-%d %H:%M:%S')}  {e.username or '-':16} {e.action:16} "
                   f"{e.record_type or '-':12} "
                   f"{e.record_id or '-':32}  {e.source}  {e.outcome}")


# --- backup, restore, keys ----------------------------------------------------------------------------------------
@app.command("backup")
@actionable
def backup(destination: Path) -> None:
    """A consistent copy while in use (SQLite online backup; pg_dump for PostgreSQL). The copy stays encrypted:
    keep the key file apart from it."""
    db, actor = _session()
    backups.backup(db, actor, destination)
    typer.echo(f"Backed up to {destination}. Keep the key file apart from it; both are needed to restore.")


@app.command("restore")
@actionable
def restore(source: Path, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False) -> None:
    """Replace the records with a backup (SQLite: the current database is kept beside it first)."""
    if not source.is_file():
        raise InputError(f"{source} is not a file.")
    db = backups.records_to_restore(settings())
    if not yes:
        typer.confirm(f"Replace the records at {db.describe()} with {source}?", abort=True)
    kept = backups.restore(db, source)
    if kept:
        typer.echo(f"The current database was kept at {kept}.")
    typer.echo(f"Restored from {source}.")


@app.command("rotate-key")
@actionable
def rotate_key(new_key_only: Annotated[bool, typer.Option("--new-key", help="Print a new key (servers).")] = False
               ) -> None:
    """Re-encrypt every record under a new key and re-seal signed notes, without loss.

    One computer: the key file gets the new key (the old one is kept until the rotation has committed).
    Server: put a new key first in AFTERNOTE_KEY (`--new-key` makes one), keep the old after it, run this,
    then remove the old key."""
    if new_key_only:
        typer.echo(keys.new_key_text())
        return
    s = settings()
    db = open_database(s)
    actor = _actor(db)
    if s.key:
        count = keys.rotate_to_first_key(db, actor)
        typer.echo(f"Re-encrypted {count} values under the first key of AFTERNOTE_KEY. Remove the other keys now.")
        return
    count = keys.rotate_key_file(db, actor, s.key_path)
    typer.echo(f"Re-encrypted {count} values under a new key in {s.key_path}. Back up the key file again.")
