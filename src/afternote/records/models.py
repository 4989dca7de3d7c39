"""The clinical record: practices, users, clients, appointments, notes with every version, signatures, addenda,
and the audit trail. Every row carries its practice. Columns ending in `_enc` hold AES-GCM ciphertext of health
data (see crypto.py); they are written and read by the workflow services only.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (BigInteger, Boolean, false, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String,
                        UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("clinician", "supervisor", "owner", "auditor")
NOTE_STATUSES = ("draft", "signed", "amended")


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Practice(Base):
    __tablename__ = "practices"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    note_deadline_hours: Mapped[int | None] = mapped_column(Integer)
    session_idle_minutes: Mapped[int | None] = mapped_column(Integer)  # sign-out after inactivity (default: settings)
    # the letterhead of exported documents, and how the EHR paste writes section headings
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    npi: Mapped[str | None] = mapped_column(String(10))
    paste_headings: Mapped[str | None] = mapped_column(String(10))  # plain, capitals or markdown (default plain)
    plan_review_days: Mapped[int | None] = mapped_column(Integer)  # a treatment plan's review is due (default 90)
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the IANA zone every time is shown in and session times are typed in (None: the server's, times.server_zone)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"
    # unique within a practice only: another practice's usernames are none of its owner's business
    __table_args__ = (UniqueConstraint("practice_id", "username", name="uq_users_practice_username"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"), index=True)
    username: Mapped[str] = mapped_column(String(100), index=True)  # NFKC, checked by workflow/usernames.py
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    credentials: Mapped[str] = mapped_column(String(50), default="")
    licence_number: Mapped[str | None] = mapped_column(String(50))  # printed in exported signature blocks
    default_format: Mapped[str | None] = mapped_column(String(50))  # None: the format of their latest note
    supervisor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # two-factor (workflow/two_factor.py): the TOTP secret, encrypted; set but not on while enrolment awaits a code
    two_factor_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    two_factor_on_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    two_factor_last_step: Mapped[int | None] = mapped_column(BigInteger)  # a code's time step is accepted once
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    clinician_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    identifier_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    birth_date_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # ISO date
    # the chart (workflow/chart.py): pronouns and the referral source as text, the emergency contact as JSON
    pronouns_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    referral_source_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    emergency_contact_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # {"name", "relationship", "phone"}
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index("ix_clients_practice_clinician", "practice_id", "clinician_id"),)


class Appointment(Base):
    """A session. `open` stays true until its note is signed: the backlog reads only open rows. Its start and end
    are stored in UTC; `date` and `time_zone` are the day and the zone its times were typed in (a signed note seals
    the wall-clock times in that zone, so a later change of the practice's zone leaves its seal intact)."""

    __tablename__ = "appointments"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    clinician_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    time_zone: Mapped[str | None] = mapped_column(String(64))  # IANA name, or UTC+HH:MM (see migration 0015)
    minutes: Mapped[int | None] = mapped_column(Integer)
    service: Mapped[str | None] = mapped_column(String(30))
    modality: Mapped[str | None] = mapped_column(String(30))
    telehealth: Mapped[str | None] = mapped_column(String(10))
    attendees_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index("ix_appointments_open", "practice_id", "clinician_id", "starts_at",
                            sqlite_where=text("open = 1"), postgresql_where=text("open")),
                      Index("ix_appointments_client", "client_id", "starts_at"))


class Note(Base):
    """A note's head: which version is current and where it stands. Content lives in `NoteVersion` rows."""

    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointments.id"), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    clinician_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    key_points_enc: Mapped[bytes] = mapped_column(LargeBinary)
    # the key points' own revision (1, 2, ...): each save of them is based on one, and a stale base is refused
    key_points_revision: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    format: Mapped[str] = mapped_column(String(50))
    engine: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    awaiting_cosign_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the seal of the head (status, signing time, the co-signature awaited, the hash of every link in the note's
    # chain); NULL for drafts and for notes whose chain was last sealed before afternote sealed heads
    head_seal: Mapped[str | None] = mapped_column(String(80))
    __table_args__ = (Index("ix_notes_practice_clinician_status", "practice_id", "clinician_id", "status"),
                      Index("ix_notes_cosign", "practice_id", "awaiting_cosign_by",
                            sqlite_where=text("awaiting_cosign_by IS NOT NULL"),
                            postgresql_where=text("awaiting_cosign_by IS NOT NULL")))


class NoteVersion(Base):
    """One saved version of a note (append-only: the database refuses updates and deletes)."""

    __tablename__ = "note_versions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id"))
    number: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(50))
    engine: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    content_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("note_id", "number", name="uq_note_versions_number"),)


class Signature(Base):
    """A signature (or co-signature) of one note version: SHA-256 of the canonical content and an HMAC seal, over
    the payload shape `seal_version` (see workflow/signing.py)."""

    __tablename__ = "signatures"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # "sign" or "cosign"
    signer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(50))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    content_sha256: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str] = mapped_column(String(80))
    seal_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    # what the signer attested, sealed with the content: the open warnings they acknowledged (finding codes, a
    # JSON list), whether it was signed after the practice's deadline, and their late-entry reason (encrypted)
    acknowledged: Mapped[str | None] = mapped_column(String(2000))
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    late_reason_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # from seal shape 4, a signature (not a co-signature) carries the client's active diagnoses at signing (JSON
    # list of {"code", "description", "primary"}) and the CPT code the clinician confirmed ("90837-95"), both sealed
    diagnoses_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    cpt_enc: Mapped[bytes | None] = mapped_column(LargeBinary)


class Addendum(Base):
    __tablename__ = "addenda"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reason_enc: Mapped[bytes] = mapped_column(LargeBinary)
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)
    content_sha256: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str] = mapped_column(String(80))
    seal_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class NoteReturn(Base):
    """A supervisor's return of a signed note awaiting their co-signature to its author, with a comment (what to
    correct). The note stays signed and sealed: the author answers with an addendum, then the supervisor co-signs
    (workflow/supervision.py). Append-only; the comment is health-adjacent, so encrypted."""

    __tablename__ = "note_returns"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id"), index=True)
    supervisor_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    supervisor_name: Mapped[str] = mapped_column(String(200))
    returned_at: Mapped[dt.datetime] = mapped_column(DateTime)
    comment_enc: Mapped[bytes] = mapped_column(LargeBinary)


class Measure(Base):
    """A rating-scale total the key points of a note give for its session (reading/measures.py), charted on the
    client's page. A draft's rows follow its key points (workflow/measures.py); a signed note's stay as signed.
    The instrument and the total are health data (which screens a client takes says what is being watched)."""

    __tablename__ = "measures"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id"))
    position: Mapped[int] = mapped_column(Integer)  # its order in the key points
    date: Mapped[dt.date] = mapped_column(Date)  # the session's
    instrument_enc: Mapped[bytes] = mapped_column(LargeBinary)  # the instrument's key in reading/data/instruments.toml
    score_enc: Mapped[bytes] = mapped_column(LargeBinary)  # the total as a decimal number ("14", "23.4")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index("ix_measures_client", "practice_id", "client_id", "date"),
                      Index("ix_measures_note", "note_id"))


class TreatmentPlan(Base):
    """A client's treatment plan: which version is current. Content lives in `TreatmentPlanVersion` rows, and each
    signature seals one version; the client's active plan is the one signed last."""

    __tablename__ = "treatment_plans"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    clinician_id: Mapped[str] = mapped_column(ForeignKey("users.id"))  # the client's clinician when it was made
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index("ix_treatment_plans_client", "practice_id", "client_id"),)


class TreatmentPlanVersion(Base):
    """One saved version of a treatment plan (append-only, like note versions)."""

    __tablename__ = "treatment_plan_versions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    plan_id: Mapped[str] = mapped_column(ForeignKey("treatment_plans.id"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    content_enc: Mapped[bytes] = mapped_column(LargeBinary)  # the plan document (plans.py) as JSON
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_treatment_plan_versions_number"),)


class PlanSignature(Base):
    """The clinician's signature of one plan version: SHA-256 and keyed seal of the version's content, the
    signer and the time, as workflow/plan_signing.py builds them (append-only)."""

    __tablename__ = "plan_signatures"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    plan_id: Mapped[str] = mapped_column(ForeignKey("treatment_plans.id"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    version: Mapped[int] = mapped_column(Integer)
    signer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(50))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    content_sha256: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str] = mapped_column(String(80))
    seal_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    __table_args__ = (UniqueConstraint("plan_id", "version", name="uq_plan_signatures_version"),
                      Index("ix_plan_signatures_client", "practice_id", "client_id", "signed_at"))


class Diagnosis(Base):
    """A client's diagnosis: an ICD-10-CM code and its description as the code set gave it when chosen (both
    health data), whether it is the primary one, and from when until when it applies (an open end: still active).
    The dates alone say nothing about the client and stay plain, so "active on a date" is a query."""

    __tablename__ = "diagnoses"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    clinician_id: Mapped[str] = mapped_column(ForeignKey("users.id"))  # the client's, for access scoping
    code_enc: Mapped[bytes] = mapped_column(LargeBinary)
    description_enc: Mapped[bytes] = mapped_column(LargeBinary)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index("ix_diagnoses_client", "practice_id", "client_id"),)


class Insurance(Base):
    """A client's insurance: the payer and member id (health data), and an authorization: its number (encrypted),
    the sessions it allows and the dates it covers, which the warning as it runs out reads (workflow/insurance.py)."""

    __tablename__ = "insurance"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), unique=True)  # one a client
    clinician_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    payer_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    member_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    authorization_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # the authorization's number
    authorized_sessions: Mapped[int | None] = mapped_column(Integer)
    authorized_from: Mapped[dt.date | None] = mapped_column(Date)
    authorized_to: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEvent(Base):
    """Who did what to which record, when and from where. Append-only; never health data."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    practice_id: Mapped[str | None] = mapped_column(String(32), index=True)
    user_id: Mapped[str | None] = mapped_column(String(32))
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    record_type: Mapped[str | None] = mapped_column(String(30))
    record_id: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(100), default="cli")
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    __table_args__ = (Index("ix_audit_practice_at", "practice_id", "at"),
                      Index("ix_audit_username_at", "username", "at"))


class SignInSession(Base):
    """A signed-in browser or API client: the cookie holds a secret, this row its SHA-256 (so a copy of the table
    signs nobody in) and the CSRF token that cookie-authenticated changes must echo."""

    __tablename__ = "sign_in_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's secret
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(100), default="web")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the password was right but the second factor is still to come: such a row signs nobody in
    second_factor_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app once; argon2-hashed like a password."""

    __tablename__ = "recovery_codes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    """A token for scripts: shown once, stored as its SHA-256, revocable (a revoked token stops at once)."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practices.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))  # tokens made before names were encrypted only
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # what uses it, in the user's words
    read_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SignInLimit(Base):
    """Failed sign-ins for one username or one address (`key`: a keyed hash, never the name as typed). A check
    locks its rows, so concurrent guesses are counted one at a time; past the free failures each one delays the
    next attempt longer (workflow/sign_in_limits.py)."""

    __tablename__ = "sign_in_limits"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


# Health data columns, encrypted with (table, column, row id) as associated data; rotate-key walks this list.
ENCRYPTED: dict[type[Base], tuple[str, ...]] = {
    Client: ("name_enc", "identifier_enc", "birth_date_enc", "pronouns_enc", "referral_source_enc",
             "emergency_contact_enc"),
    Appointment: ("attendees_enc",),
    Note: ("key_points_enc",),
    NoteVersion: ("content_enc",),
    Addendum: ("reason_enc", "text_enc"),
    Signature: ("late_reason_enc", "diagnoses_enc", "cpt_enc"),
    NoteReturn: ("comment_enc",),
    ApiToken: ("name_enc",),
    Measure: ("instrument_enc", "score_enc"),
    TreatmentPlanVersion: ("content_enc",),
    Diagnosis: ("code_enc", "description_enc"),
    Insurance: ("payer_enc", "member_id_enc", "authorization_enc"),
    User: ("two_factor_secret_enc",),
}
