"""Treatment plans: create, save versions, sign, verify; the client's active plan and its review date.

Every save is a new version row (the document encrypted as JSON); a save based on a version that is no longer
current raises StalePlan and writes nothing. Signing seals one version (plan_signing.py covers what); a signed
version never changes (the database refuses), and a later save is a new version that needs its own signature while
the signed one stays the client's active plan. The active plan is the one signed last; its review is due
`plan_review_days` (a practice setting) after that signature.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from afternote import plans as documents
from afternote import times
from afternote.errors import InputError
from afternote.records.crypto import Keyring
from afternote.records.database import Database
from afternote.records.models import Client, PlanSignature, TreatmentPlan, TreatmentPlanVersion, User, new_id, utcnow
from afternote.workflow import access, audit, practice, signing
from afternote.workflow.actor import Actor
from afternote.workflow.errors import NotAllowed, NotFound, StalePlan

REVIEW_SOON_DAYS = 14  # a review due within this many days is shown in Today and the backlog


@dataclass(frozen=True)
class PlanSignatureView:
    version: int
    signer: str
    credentials: str
    signed_at: dt.datetime
    content_sha256: str


@dataclass
class PlanView:
    """A plan as the caller may see it: one version's document, and where the plan stands."""

    id: str
    client_id: str
    version: int  # the version shown
    current_version: int
    document: documents.PlanDocument
    signatures: list[PlanSignatureView] = field(default_factory=list)
    active: bool = False  # the client's active plan (the one signed last)
    review_due: dt.date | None = None  # of the signed version, for the active plan
    diagnoses: list = field(default_factory=list)  # the client's active diagnoses (see active_diagnoses)

    @property
    def signed_version(self) -> int | None:
        return max((s.version for s in self.signatures), default=None)

    @property
    def status(self) -> str:
        """"signed" when the version shown is signed; "draft" otherwise (a signed earlier version may stay active)."""
        return "signed" if any(s.version == self.version for s in self.signatures) else "draft"

    @property
    def missing(self) -> list[str]:
        return documents.missing(self.document)


class PlanIncomplete(InputError):
    """A plan cannot be signed until what an auditor checks is there: the message lists what is missing."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"The treatment plan is incomplete, so it was not signed. Fill in: {'; '.join(missing)}. "
                         "Then save and sign again.")


def active_diagnoses(db: Database, session, client_id: str) -> list:
    """The client's active diagnoses, as the plan lists them beside its problems ("F41.1 Generalized anxiety
    disorder (primary)"), from the chart (workflow/diagnoses.py)."""
    from afternote.workflow import diagnoses
    practice_id = session.scalar(select(Client.practice_id).where(Client.id == client_id))
    return [d.label for d in diagnoses.active(db, session, client_id, diagnoses.practice_today(session, practice_id))]


def _encrypt(db: Database, version_id: str, document: documents.PlanDocument) -> bytes:
    return db.keyring.encrypt(json.dumps(document.to_dict(), ensure_ascii=False), "treatment_plan_versions",
                              "content_enc", version_id)


def _document(keyring: Keyring, row: TreatmentPlanVersion) -> documents.PlanDocument:
    return documents.parse(json.loads(keyring.decrypt(row.content_enc, "treatment_plan_versions", "content_enc",
                                                      row.id)))


def _version(session, plan_id: str, number: int) -> TreatmentPlanVersion | None:
    return session.scalar(select(TreatmentPlanVersion).where(TreatmentPlanVersion.plan_id == plan_id,
                                                             TreatmentPlanVersion.number == number))


def _plan(session, actor: Actor, plan_id: str) -> TreatmentPlan:
    """The plan, if the caller may see its client (access is the client's, as for notes)."""
    plan = session.scalar(select(TreatmentPlan).where(TreatmentPlan.id == plan_id,
                                                      TreatmentPlan.practice_id == actor.practice_id))
    if plan is None:
        raise NotFound(f"No treatment plan {plan_id} that you can see in this practice. Check the id (the "
                       "client's treatment plans list them).").about("treatment_plan", plan_id)
    try:
        access.get_client(session, actor, plan.client_id)
    except NotFound:
        raise NotFound(f"No treatment plan {plan_id} that you can see in this practice. Check the id (the "
                       "client's treatment plans list them).").about("treatment_plan", plan_id) from None
    return plan


def of_client(db: Database, actor: Actor, plan_id: str, client_id: str) -> None:
    """NotFound unless the plan is one of this client's that the caller may see (an address naming a client and
    a plan must name both rightly)."""
    with db.session() as session:
        if _plan(session, actor, plan_id).client_id != client_id:
            raise NotFound(f"No treatment plan {plan_id} for this client. The client's treatment plans list "
                           "them.").about("treatment_plan", plan_id)


def _require_clinician(session, actor: Actor, client_id: str) -> None:
    access.require_writer(actor)
    client = access.get_client(session, actor, client_id)
    if client.clinician_id != actor.user_id:
        raise NotAllowed("Only the client's clinician can write or sign their treatment plan.").about(
            "client", client_id)


def _stale(session, actor: Actor, plan: TreatmentPlan, base_version: int) -> StalePlan:
    latest = session.scalar(select(TreatmentPlanVersion).where(TreatmentPlanVersion.plan_id == plan.id)
                            .order_by(TreatmentPlanVersion.number.desc()).limit(1))
    who = "you, in another window or tab" if latest.author_id == actor.user_id else (
        session.scalar(select(User.display_name).where(User.id == latest.author_id)) or "another user")
    return StalePlan(plan.id, base_version, latest.number, who, latest.created_at,
                     practice.time_zone(session, actor.practice_id))


def create(db: Database, actor: Actor, client_id: str, document: dict) -> PlanView:
    """A new treatment plan for one of your clients (version 1, a draft until signed)."""
    doc = documents.parse(document)
    with db.session(write=True) as session:
        _require_clinician(session, actor, client_id)
        plan_id, version_id = new_id(), new_id()
        session.add(TreatmentPlan(id=plan_id, practice_id=actor.practice_id, client_id=client_id,
                                  clinician_id=actor.user_id, current_version=1))
        session.flush()
        session.add(TreatmentPlanVersion(id=version_id, practice_id=actor.practice_id, plan_id=plan_id, number=1,
                                         author_id=actor.user_id, content_enc=_encrypt(db, version_id, doc)))
        audit.record(session, actor, "create", "treatment_plan", plan_id)
        return PlanView(plan_id, client_id, 1, 1, doc)


def save(db: Database, actor: Actor, plan_id: str, document: dict, base_version: int) -> int:
    """Save the plan as a new version if `base_version` is still its current one, else StalePlan (nothing
    written). Saving after a signature makes a new draft version; the signed one stays. Returns the new number."""
    doc = documents.parse(document)
    with db.session(write=True) as session:
        plan = _plan(session, actor, plan_id)
        _require_clinician(session, actor, plan.client_id)
        result = session.execute(update(TreatmentPlan).where(TreatmentPlan.id == plan.id,
                                                             TreatmentPlan.current_version == base_version)
                                 .values(current_version=base_version + 1, updated_at=utcnow())
                                 .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            session.rollback()
            raise _stale(session, actor, session.get(TreatmentPlan, plan_id), base_version)
        version_id = new_id()
        session.add(TreatmentPlanVersion(id=version_id, practice_id=plan.practice_id, plan_id=plan.id,
                                         number=base_version + 1, author_id=actor.user_id,
                                         content_enc=_encrypt(db, version_id, doc)))
        audit.record(session, actor, "edit", "treatment_plan", plan.id)
        return base_version + 1


def payload(keyring: Keyring, session, sig: PlanSignature) -> bytes:
    """The bytes a plan signature seals, built from what is stored now (signing and verify both use it)."""
    row = _version(session, sig.plan_id, sig.version)
    return signing.plan_payload(sig.plan_id, sig.client_id, sig.version, _document(keyring, row).to_dict(),
                                signer_id=sig.signer_id, signer_name=sig.signer_name, credentials=sig.credentials,
                                signed_at=sig.signed_at.isoformat(), shape=sig.seal_version or 1)


def sign(db: Database, actor: Actor, plan_id: str, version: int) -> PlanSignatureView:
    """Sign the current version (which must be `version`, the one read): PlanIncomplete lists what is missing
    and nothing is signed. The signature is hashed and sealed like a note's, and audited. (The caller asks for the
    password again first, as for notes.)"""
    with db.session(write=True) as session:
        plan = _plan(session, actor, plan_id)
        _require_clinician(session, actor, plan.client_id)
        session.refresh(plan, with_for_update=True)  # one signature per version, even from two tabs at once
        if plan.current_version != version:
            raise _stale(session, actor, plan, version)
        if session.scalar(select(PlanSignature.id).where(PlanSignature.plan_id == plan.id,
                                                         PlanSignature.version == version)):
            raise InputError(f"Version {version} of this treatment plan is signed already. Change the plan to make "
                             "a new version to sign.")
        missing = documents.missing(_document(db.keyring, _version(session, plan.id, version)))
        if missing:
            raise PlanIncomplete(missing)
        last = session.scalar(select(func.max(PlanSignature.signed_at)).where(PlanSignature.plan_id == plan.id))
        now = utcnow()
        sig = PlanSignature(id=new_id(), practice_id=plan.practice_id, plan_id=plan.id, client_id=plan.client_id,
                            version=version, signer_id=actor.user_id, signer_name=actor.display_name,
                            credentials=actor.credentials, seal_version=1,
                            signed_at=max(now, last + dt.timedelta(microseconds=1)) if last else now)
        data = payload(db.keyring, session, sig)
        sig.content_sha256, sig.seal = signing.sha256(data), db.keyring.seal(plan.practice_id, data)
        session.add(sig)
        audit.record(session, actor, "sign", "treatment_plan", plan.id)
        return PlanSignatureView(version, sig.signer_name, sig.credentials, sig.signed_at, sig.content_sha256)


def signature_problems(keyring: Keyring, session, plan: TreatmentPlan, sig: PlanSignature) -> list[str]:
    """What no longer holds in one signature of the plan (its hash and seal); empty when intact. Messages name the
    version, never content."""
    label = f"signature of version {sig.version}"
    found = []
    if sig.client_id != plan.client_id:
        found.append(f"the {label} is of another client's plan")
    try:
        data = payload(keyring, session, sig)
    except Exception:  # noqa: BLE001  (unreadable: altered outside afternote, or under a missing key)
        return found + [f"the {label} cannot be read: altered outside afternote or encrypted under a key not in "
                        "the keyring"]
    if signing.sha256(data) != sig.content_sha256:
        found.append(f"the {label} hash does not match what it signed")
    if not keyring.check_seal(plan.practice_id, data, sig.seal):
        found.append(f"the {label} seal does not match: the signed plan, the signer or the time was changed")
    return found


def problems(keyring: Keyring, session, plan: TreatmentPlan) -> list[str]:
    """What no longer holds in the plan's signatures (each one's hash and seal); empty when intact. Messages name
    versions, never content."""
    return [problem for sig in session.scalars(select(PlanSignature).where(PlanSignature.plan_id == plan.id)
                                               .order_by(PlanSignature.version))
            for problem in signature_problems(keyring, session, plan, sig)]


@dataclass(frozen=True)
class SignedVersion:
    """One signed version of a plan as its signature sealed it, with what verifying that signature found."""

    plan_id: str
    document: documents.PlanDocument
    signature: PlanSignature
    problems: tuple[str, ...]
    active: bool  # the client's active plan at this version (the one signed last)


def signed_versions(db: Database, session, practice_id: str, client_id: str, first: dt.datetime,
                    after: dt.datetime) -> list[SignedVersion]:
    """Every plan version of the client signed from `first` up to `after` (stored UTC), oldest first, each read
    as signed and verified; the caller checked access and audits."""
    sigs = session.scalars(select(PlanSignature).where(
        PlanSignature.practice_id == practice_id, PlanSignature.client_id == client_id,
        PlanSignature.signed_at >= first, PlanSignature.signed_at < after).order_by(PlanSignature.signed_at)).all()
    last = session.scalar(select(PlanSignature.id).where(PlanSignature.practice_id == practice_id,
                                                         PlanSignature.client_id == client_id)
                          .order_by(PlanSignature.signed_at.desc()).limit(1))
    out = []
    for sig in sigs:
        plan = session.get(TreatmentPlan, sig.plan_id)
        found = tuple(signature_problems(db.keyring, session, plan, sig))
        try:
            document = _document(db.keyring, _version(session, sig.plan_id, sig.version))
        except Exception:  # noqa: BLE001  (unreadable: its verification says so, and the export shows that)
            document = documents.PlanDocument()
        out.append(SignedVersion(sig.plan_id, document, sig, found, sig.id == last))
    return out


def verify(db: Database, actor: Actor, plan_id: str) -> list[str]:
    """Recompute every signature's hash and seal of a plan; the problems found (audited)."""
    with db.session(write=True) as session:
        plan = _plan(session, actor, plan_id)
        found = problems(db.keyring, session, plan)
        audit.record(session, actor, "verify", "treatment_plan", plan.id, outcome="tampered" if found else "ok")
        return found


def _signatures(session, plan_id: str) -> list[PlanSignatureView]:
    return [PlanSignatureView(s.version, s.signer_name, s.credentials, s.signed_at, s.content_sha256)
            for s in session.scalars(select(PlanSignature).where(PlanSignature.plan_id == plan_id)
                                     .order_by(PlanSignature.signed_at))]


def _active_id(session, practice_id: str, client_id: str) -> str | None:
    return session.scalar(select(PlanSignature.plan_id).where(PlanSignature.practice_id == practice_id,
                                                              PlanSignature.client_id == client_id)
                          .order_by(PlanSignature.signed_at.desc()).limit(1))


def _view(db: Database, session, plan: TreatmentPlan, number: int) -> PlanView:
    row = _version(session, plan.id, number)
    if row is None:
        raise InputError(f"The treatment plan has versions 1 to {plan.current_version}; there is no {number}.")
    view = PlanView(plan.id, plan.client_id, number, plan.current_version, _document(db.keyring, row),
                    _signatures(session, plan.id), diagnoses=active_diagnoses(db, session, plan.client_id))
    view.active = _active_id(session, plan.practice_id, plan.client_id) == plan.id
    if view.active:
        days = practice.plan_review_days(session, plan.practice_id)
        signed = max(s.signed_at for s in view.signatures)  # its day is the practice's
        view.review_due = times.today(signed, practice.time_zone(session, plan.practice_id)) + dt.timedelta(days=days)
    return view


def show(db: Database, actor: Actor, plan_id: str, version: int | None = None) -> PlanView:
    """One version of a plan (default: the current one) with its signatures (the view is audited)."""
    with db.session(write=True) as session:
        plan = _plan(session, actor, plan_id)
        view = _view(db, session, plan, version or plan.current_version)
        audit.record(session, actor, "view", "treatment_plan", plan.id)
        return view


def list_plans(db: Database, actor: Actor, client_id: str) -> list[PlanView]:
    """The client's plans, newest first, each at its current version (audited)."""
    with db.session(write=True) as session:
        access.get_client(session, actor, client_id)
        rows = session.scalars(select(TreatmentPlan).where(TreatmentPlan.practice_id == actor.practice_id,
                                                           TreatmentPlan.client_id == client_id)
                               .order_by(TreatmentPlan.created_at.desc())).all()
        views = [_view(db, session, plan, plan.current_version) for plan in rows]
        audit.record(session, actor, "view", "treatment_plan_list", client_id)
        return views


def active_plan(db: Database, session, practice_id: str, client_id: str) -> PlanView | None:
    """The client's active plan at its signed version (what notes link to), or None; the caller has checked
    access and audits its own view."""
    plan_id = _active_id(session, practice_id, client_id)
    if plan_id is None:
        return None
    plan = session.get(TreatmentPlan, plan_id)
    signed = session.scalar(select(func.max(PlanSignature.version)).where(PlanSignature.plan_id == plan_id))
    return _view(db, session, plan, signed)


@dataclass(frozen=True)
class PlanReview:
    plan_id: str
    client_id: str
    clinician_id: str
    signed_at: dt.datetime
    due: dt.date
    overdue: bool


def reviews_due(session, practice_id: str, clinician_ids: list[str] | None, today: dt.date) -> list[PlanReview]:
    """Active plans whose review is due within REVIEW_SOON_DAYS or overdue, soonest first, for the clients of
    `clinician_ids` (None: the whole practice). The caller scopes and audits."""
    from afternote.records.models import Client
    days = practice.plan_review_days(session, practice_id)
    zone = practice.time_zone(session, practice_id)  # a signature's day, and `today`, are the practice's
    last = (select(PlanSignature.client_id, func.max(PlanSignature.signed_at).label("signed_at"))
            .where(PlanSignature.practice_id == practice_id).group_by(PlanSignature.client_id).subquery())
    cutoff = times.day_start(today + dt.timedelta(days=REVIEW_SOON_DAYS - days + 1), zone)
    query = (select(PlanSignature.plan_id, last.c.client_id, Client.clinician_id, last.c.signed_at)
             .join(PlanSignature, (PlanSignature.client_id == last.c.client_id)
                   & (PlanSignature.signed_at == last.c.signed_at))
             .join(Client, Client.id == last.c.client_id).where(last.c.signed_at < cutoff))
    if clinician_ids is not None:
        query = query.where(Client.clinician_id.in_(clinician_ids))
    out = []
    for plan_id, client_id, clinician_id, signed_at in session.execute(query):
        due = times.today(signed_at, zone) + dt.timedelta(days=days)
        out.append(PlanReview(plan_id, client_id, clinician_id, signed_at, due, due < today))
    return sorted(out, key=lambda r: r.due)


def clients_with_plans(session, practice_id: str, client_ids) -> set[str]:
    """Which of these clients have a signed treatment plan on file."""
    ids = set(client_ids)
    if not ids:
        return set()
    return set(session.scalars(select(PlanSignature.client_id).where(PlanSignature.practice_id == practice_id,
                                                                     PlanSignature.client_id.in_(ids)).distinct()))


def reseal(old: Keyring, new: Keyring, session) -> None:
    """Seal every plan signature again under `new.current` (the documents already re-encrypted under `new`),
    each checked under `old` first: RecordTampered if one fails, so a key rotation never launders a change."""
    from afternote.records.errors import RecordTampered
    for sig in session.scalars(select(PlanSignature)):
        data = payload(new, session, sig)
        if not old.check_seal(sig.practice_id, data, sig.seal):
            raise RecordTampered(f"Treatment plan {sig.plan_id} fails verification; rotation stopped and nothing "
                                 "changed. Restore it from a backup first.")
        sig.seal = new.seal(sig.practice_id, data)
