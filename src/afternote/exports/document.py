"""What an export shows, gathered from the sealed record: the practice's letterhead, the client, the session, the
sections as signed, the signatures and addenda, and the result of verifying the seal. Plain values, no database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from afternote import plans, times
from afternote.reading.instruments import score_text


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str = ""
    phone: str = ""
    npi: str = ""
    paste_headings: str = "plain"  # plain, capitals or markdown
    time_zone: str = "UTC"  # the practice's IANA zone: every time is printed in it


@dataclass(frozen=True)
class Person:
    """The client: who the record is about."""

    id: str
    name: str
    birth_date: dt.date | None = None
    record_number: str | None = None


@dataclass(frozen=True)
class Clinician:
    id: str
    name: str
    credentials: str = ""
    licence_number: str = ""


@dataclass(frozen=True)
class SessionFacts:
    id: str
    date: dt.date
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC
    minutes: int | None = None
    service: str | None = None
    cpt: str = ""  # as a biller writes it, modifiers included: "90837-95"; a signed note's as confirmed
    modality: str | None = None
    telehealth: str | None = None
    attendees: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diagnosis:
    """An ICD-10-CM diagnosis as the note carries it: a signed note's as sealed at signing."""

    code: str
    description: str
    primary: bool = False

    @property
    def label(self) -> str:
        return f"{self.code} {self.description}" + (" (primary)" if self.primary else "")


@dataclass(frozen=True)
class Measure:
    """A rating-scale total the note's key points gave for this session (workflow/measures.py stores them)."""

    instrument: str  # the instruments table's key: "phq9"
    name: str  # as the chart names it: "PHQ-9"
    score: float
    loinc: str | None = None  # the LOINC code of the instrument's total score, where the table gives one
    decimal: bool = False  # read to a tenth (ORS, SRS), not a whole-number total
    band: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} {score_text(self.score)}"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str
    loinc: str | None = None


@dataclass(frozen=True)
class Signature:
    kind: str  # "sign" or "cosign"
    name: str
    credentials: str
    licence_number: str
    signed_at: dt.datetime  # UTC
    content_sha256: str
    late: bool = False
    signer_id: str = ""


@dataclass(frozen=True)
class Addendum:
    id: str
    author: str
    credentials: str
    created_at: dt.datetime  # UTC
    reason: str
    text: str
    content_sha256: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.ok:
            return "Verified: the content matches its signature hash and seal."
        return "NOT VERIFIED: " + "; ".join(self.problems)


@dataclass(frozen=True)
class NoteDocument:
    """One note as exported: for a signed note, the signed version's sealed content."""

    note_id: str
    status: str  # draft, signed or amended
    version: int
    format: str
    format_name: str
    engine: str
    practice: Letterhead
    client: Person
    clinician: Clinician
    session: SessionFacts
    sections: tuple[Section, ...]
    signatures: tuple[Signature, ...] = ()
    addenda: tuple[Addendum, ...] = ()
    verification: Verification | None = None  # None for a draft: nothing is sealed yet
    # a signed note's diagnoses as its signature sealed them (a draft's: the chart's active ones), primary first
    diagnoses: tuple[Diagnosis, ...] = ()
    exported_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    measures: tuple[Measure, ...] = ()  # the totals stored for the note, in the order typed

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def title(self) -> str:
        return f"Progress note ({self.format_name})"


@dataclass(frozen=True)
class ClientRecord:
    """A client's record for a date range: every signed note, with its addenda, oldest first."""

    practice: Letterhead
    client: Person
    start: dt.date
    end: dt.date
    notes: tuple[NoteDocument, ...]
    exported_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    plans: tuple[PlanVersion, ...] = ()  # every treatment plan version signed in the period, oldest first


def session_line(session: SessionFacts, zone: str) -> str:
    """The session's facts in one line: date, times in the practice's `zone`, minutes, service, CPT, modality,
    telehealth."""
    start, end = times.when(session.starts_at, zone, "%H:%M", label=False), times.when(session.ends_at, zone, "%H:%M")
    parts = [times.when(session.starts_at, zone, "%Y-%m-%d"), f"{start}-{end}"]
    if session.minutes is not None:
        parts.append(f"{session.minutes} minutes")
    if session.service:
        parts.append(session.service)
    if session.cpt:
        parts.append(f"CPT {session.cpt}")
    if session.modality:
        parts.append(session.modality)
    parts.append(f"telehealth ({session.telehealth})" if session.telehealth else "in person")
    return " · ".join(parts)


def diagnoses_line(diagnoses: tuple[Diagnosis, ...]) -> str:
    return "; ".join(d.label for d in diagnoses)


def measures_line(measures: tuple[Measure, ...]) -> str:
    return ", ".join(m.label for m in measures)


def zone_line(zone: str) -> str:
    """What an abbreviation such as EST stands for on this document."""
    return f"Times are in the practice's time zone, {zone}."


def signature_line(sig: Signature, zone: str) -> str:
    label = "Co-signed" if sig.kind == "cosign" else "Signed"
    who = sig.name + (f", {sig.credentials}" if sig.credentials else "")
    licence = f", licence {sig.licence_number}" if sig.licence_number else ""
    late = " (late entry: signed after the practice's deadline)" if sig.late else ""
    return f"{label}: {who}{licence}, {times.when(sig.signed_at, zone)}{late}"


def addendum_heading(add: Addendum, zone: str) -> str:
    who = add.author + (f", {add.credentials}" if add.credentials else "")
    return f"Addendum, {times.when(add.created_at, zone)}, {who}"


CONFIDENTIAL = ("Confidential health information. Disclosed under the practice's records policy; further disclosure "
                "is prohibited unless permitted by law.")


@dataclass(frozen=True)
class PlanVersion:
    """One signed version of a client's treatment plan, as its signature sealed it, and that signature verified."""

    plan_id: str
    version: int
    document: plans.PlanDocument
    signature: Signature
    verification: Verification
    active: bool = False  # the client's active plan (signed last); an earlier version was replaced by a later one

    @property
    def title(self) -> str:
        return f"Treatment plan, version {self.version}" + (" (the active plan)" if self.active else
                                                            " (since replaced)")


def objective_line(objective: plans.Objective) -> str:
    """An objective with what makes it measurable: baseline, target, target date, measure."""
    parts = [objective.text or "(no words)"]
    parts += [f"{label}: {value}" for label, value in (
        ("baseline", objective.baseline), ("target", objective.target),
        ("by", objective.target_date.isoformat() if objective.target_date else ""),
        ("measure", objective.measure)) if value]
    return " · ".join(parts)


def intervention_line(intervention: plans.Intervention) -> str:
    return " · ".join(p for p in (intervention.modality, intervention.frequency,
                                  f"for {intervention.duration}" if intervention.duration else "") if p)


def agreement_line(document: plans.PlanDocument) -> str:
    start = document.start_date.isoformat() if document.start_date else "not recorded"
    agreed = (f"{document.agreement}, {document.agreement_date.isoformat()}" if document.agreement
              and document.agreement_date else "not recorded")
    return f"Established: {start} · Client's agreement: {agreed}"
