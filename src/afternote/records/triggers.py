"""Database triggers that make the record tamper-resistant below the services.

- note versions, signatures (and co-signatures), addenda, audit events, treatment-plan versions, plan
  signatures and supervisors' returns of notes are append-only (UPDATE and DELETE refused);
- a signed or amended note's head cannot change, nor be deleted; its status moves only from signed to amended (with
  an addendum stored), the co-signature it awaits is cleared only by that co-signature, and its head seal follows;
- a note is marked signed only with its signature stored;
- a closed session (an appointment whose note is signed) cannot change nor be deleted, nor be reopened.

Every migration run drops them first and creates them after (migrations/env.py), so a revision never handles them.
`afternote rotate-key` drops and recreates them inside the one transaction that re-encrypts (see keys.py); anyone
else who can drop them can change a signed note, and `verify` then catches it by the seals (see workflow/chain.py).
"""
from __future__ import annotations

APPEND_ONLY = ("note_versions", "signatures", "addenda", "audit_events", "treatment_plan_versions", "plan_signatures",
               "note_returns")
# every column of a signed note's head but those the services still move (status, awaiting_cosign_by, head_seal)
SIGNED_NOTE_FROZEN = ("id", "practice_id", "appointment_id", "client_id", "clinician_id", "key_points_enc", "format",
                      "engine", "current_version", "created_at", "updated_at", "signed_at")
# every column of a closed session but `open`, which may only close
CLOSED_SESSION_FROZEN = ("id", "practice_id", "client_id", "clinician_id", "date", "starts_at", "ends_at", "minutes",
                         "service", "modality", "telehealth", "attendees_enc", "created_at")

SIGNED = "'afternote: a signed note is read-only; add an addendum'"
UNSIGNED = "'afternote: a note is marked signed only with its signature'"
CLOSED = "'afternote: a closed session is part of its signed note and cannot change; add an addendum to the note'"
CLOSED_DELETE = "'afternote: a closed session cannot be deleted'"


def _changed(columns: tuple[str, ...], differs: str) -> str:
    return " OR ".join(f"NEW.{c} {differs} OLD.{c}" for c in columns)


def _signed_note_changed(differs: str) -> str:
    """For a note that is not a draft: a change the services never make."""
    return (f"NEW.status = 'draft' OR ({_changed(SIGNED_NOTE_FROZEN, differs)}) "
            f"OR (NEW.status {differs} OLD.status AND NOT (OLD.status = 'signed' AND NEW.status = 'amended' "
            "AND EXISTS (SELECT 1 FROM addenda WHERE addenda.note_id = OLD.id))) "
            f"OR (NEW.awaiting_cosign_by {differs} OLD.awaiting_cosign_by AND NOT (NEW.awaiting_cosign_by IS NULL "
            "AND EXISTS (SELECT 1 FROM signatures WHERE signatures.note_id = OLD.id AND signatures.kind = 'cosign' "
            "AND signatures.signer_id = OLD.awaiting_cosign_by)))")


SIGNED_WITHOUT_SIGNATURE = (
    "OLD.status = 'draft' AND NEW.status <> 'draft' AND NOT EXISTS (SELECT 1 FROM signatures "
    "WHERE signatures.note_id = OLD.id AND signatures.kind = 'sign' AND signatures.version = NEW.current_version)")
SESSION_CLOSED = ("EXISTS (SELECT 1 FROM notes WHERE notes.appointment_id = OLD.id AND notes.status <> 'draft')")


def _session_changed(differs: str) -> str:
    return f"{_changed(CLOSED_SESSION_FROZEN, differs)} OR (NEW.open AND NOT OLD.open)"


def _sqlite() -> list[tuple[str, str]]:
    out = []
    for table in APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            name = f"afternote_{table}_no_{op.lower()}"
            out.append((name, f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN "
                              f"SELECT RAISE(ABORT, 'afternote: {table} are append-only'); END"))
    guards = [("afternote_signed_note_no_update", "UPDATE ON notes",
               f"OLD.status <> 'draft' AND ({_signed_note_changed('IS NOT')})", SIGNED),
              ("afternote_signed_note_no_delete", "DELETE ON notes", "OLD.status <> 'draft'",
               "'afternote: a signed note cannot be deleted'"),
              ("afternote_note_signed_with_signature", "UPDATE ON notes", SIGNED_WITHOUT_SIGNATURE, UNSIGNED),
              ("afternote_closed_session_no_update", "UPDATE ON appointments",
               f"{SESSION_CLOSED} AND ({_session_changed('IS NOT')})", CLOSED),
              ("afternote_closed_session_no_delete", "DELETE ON appointments", SESSION_CLOSED, CLOSED_DELETE)]
    for name, event, when, message in guards:
        out.append((name, f"CREATE TRIGGER {name} BEFORE {event} WHEN {when} BEGIN "
                          f"SELECT RAISE(ABORT, {message}); END"))
    return out


def _refuse(message: str) -> str:
    return f"RAISE EXCEPTION {message} USING ERRCODE = 'integrity_constraint_violation';"


# PostgreSQL compares possibly-NULL columns with IS DISTINCT FROM.
_PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION afternote_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'afternote: % are append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$""",
    f"""CREATE OR REPLACE FUNCTION afternote_signed_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN {_refuse("'afternote: a signed note cannot be deleted'")} END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND ({_signed_note_changed('IS DISTINCT FROM')}) THEN {_refuse(SIGNED)} END IF;
  IF {SIGNED_WITHOUT_SIGNATURE} THEN {_refuse(UNSIGNED)} END IF;
  RETURN NEW;
END $$""",
    f"""CREATE OR REPLACE FUNCTION afternote_closed_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF {SESSION_CLOSED} THEN {_refuse(CLOSED_DELETE)} END IF;
    RETURN OLD;
  END IF;
  IF {SESSION_CLOSED} AND ({_session_changed('IS DISTINCT FROM')}) THEN {_refuse(CLOSED)} END IF;
  RETURN NEW;
END $$""",
]


def _postgresql() -> list[tuple[str, str]]:
    out = []
    for table in APPEND_ONLY:
        name = f"afternote_{table}_append_only"
        out.append((f"{name} ON {table}", f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                                          "FOR EACH ROW EXECUTE FUNCTION afternote_append_only()"))
    for name, table in (("afternote_signed_note", "notes"), ("afternote_closed_session", "appointments")):
        out.append((f"{name} ON {table}", f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                                          f"FOR EACH ROW EXECUTE FUNCTION {name}()"))
    return out


def _present(entries: list[tuple[str, str]], tables) -> list[tuple[str, str]]:
    """The triggers on the tables that exist (`tables`; None: all): a downgrade below the revision that made a
    table leaves no trigger to create on it."""
    if tables is None:
        return entries
    return [(name, sql) for name, sql in entries if _table_of(sql) in tables]


def _table_of(sql: str) -> str:
    return sql.split(" ON ", 1)[1].split()[0]


def _entries(dialect: str, tables=None) -> list[tuple[str, str]]:
    return _present(_sqlite() if dialect == "sqlite" else _postgresql(), tables)


def create_statements(dialect: str, tables=None) -> list[str]:
    if dialect == "sqlite":
        return [sql for _, sql in _entries(dialect, tables)]
    return _PG_FUNCTIONS + [sql for _, sql in _entries(dialect, tables)]


def drop_statements(dialect: str, tables=None) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name, _ in _entries(dialect, tables)]


def names(dialect: str, tables=None) -> list[str]:
    """The triggers' names, as the database lists them."""
    return [name.split()[0] for name, _ in _entries(dialect, tables)]
