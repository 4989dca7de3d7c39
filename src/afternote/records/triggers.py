"""Database triggers that make the record tamper-resistant below the services.

- note versions, signatures, addenda and audit events are append-only (UPDATE and DELETE refused);
- a signed or amended note's head cannot change its content, version or status back to draft, nor be deleted.

`afternote rotate-key` drops and recreates them inside the one transaction that re-encrypts (see rotation.py);
anything else that wants to change a signed note has to do the same, and `verify` then catches it by the seal.
"""
from __future__ import annotations

APPEND_ONLY = ("note_versions", "signatures", "addenda", "audit_events")
SIGNED_NOTE_CHANGED = (
    "OLD.status <> 'draft' AND (NEW.status = 'draft' OR NEW.key_points_enc <> OLD.key_points_enc "
    "OR NEW.current_version <> OLD.current_version OR NEW.format <> OLD.format OR NEW.engine <> OLD.engine "
    "OR NEW.client_id <> OLD.client_id OR NEW.clinician_id <> OLD.clinician_id "
    "OR NEW.appointment_id <> OLD.appointment_id)")


def _sqlite() -> list[tuple[str, str]]:
    out = []
    for table in APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            name = f"afternote_{table}_no_{op.lower()}"
            out.append((name, f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN "
                              f"SELECT RAISE(ABORT, 'afternote: {table} are append-only'); END"))
    out.append(("afternote_signed_note_no_update",
                f"CREATE TRIGGER afternote_signed_note_no_update BEFORE UPDATE ON notes "
                f"WHEN {SIGNED_NOTE_CHANGED} BEGIN "
                "SELECT RAISE(ABORT, 'afternote: a signed note is read-only; add an addendum'); END"))
    out.append(("afternote_signed_note_no_delete",
                "CREATE TRIGGER afternote_signed_note_no_delete BEFORE DELETE ON notes WHEN OLD.status <> 'draft' "
                "BEGIN SELECT RAISE(ABORT, 'afternote: a signed note cannot be deleted'); END"))
    return out


_PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION afternote_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'afternote: % are append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$""",
    # PostgreSQL compares possibly-NULL columns with IS DISTINCT FROM; the status test stays as written.
    f"""CREATE OR REPLACE FUNCTION afternote_signed_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'afternote: a signed note cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF {SIGNED_NOTE_CHANGED.replace('<>', 'IS DISTINCT FROM').replace(
        "OLD.status IS DISTINCT FROM 'draft'", "OLD.status <> 'draft'")} THEN
    RAISE EXCEPTION 'afternote: a signed note is read-only; add an addendum'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$""",
]


def _postgresql() -> list[tuple[str, str]]:
    out = []
    for table in APPEND_ONLY:
        name = f"afternote_{table}_append_only"
        out.append((f"{name} ON {table}", f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                                          "FOR EACH ROW EXECUTE FUNCTION afternote_append_only()"))
    out.append(("afternote_signed_note ON notes", "CREATE TRIGGER afternote_signed_note BEFORE UPDATE OR DELETE "
                                                  "ON notes FOR EACH ROW EXECUTE FUNCTION afternote_signed_note()"))
    return out


def create_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [sql for _, sql in _sqlite()]
    return _PG_FUNCTIONS + [sql for _, sql in _postgresql()]


def drop_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name, _ in _sqlite()]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, _ in _postgresql()]
