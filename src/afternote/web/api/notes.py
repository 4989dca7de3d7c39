"""Notes: draft from key points, read, edit a section against the version read (409 if stale), redraft, switch
format, sign, co-sign or return to the author (supervisors), add addenda, verify. Every rule (who may do what) is the service layer's."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from afternote.errors import InputError
from afternote.web.api.fields import UtcDateTime, BodyId, Line, QueryId, RecordId, Text
from afternote.web.api.pagination import Page, PageDep, paginate
from afternote.web.deps import CurrentActor, DatabaseDep, SettingsDep, source_of
from afternote.web.problems import responses
from afternote.workflow import note_goals, notes, passwords, supervision, versions

router = APIRouter(prefix="/notes", tags=["notes"], responses=responses(401, 403, 404, 422))
CHANGES = responses(409)  # a stale save, or a signed note
Engine = Literal["builtin", "local", "openai"]
KEY = r"^[A-Za-z0-9_-]{1,50}$"  # a key, never a file path
Version = Field(ge=1, le=1_000_000, description="The version you read (optimistic locking).")


class Sentence(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str
    sources: list[list[int]] = Field(description="Character spans [start, end) of the key points it came from.")
    supported: bool


class Section(BaseModel):
    model_config = ConfigDict(extra="allow")
    key: str
    title: str
    text: str
    sentences: list[Sentence] = []
    empty: bool = False
    loinc: str | None = None


class Finding(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str
    severity: str
    message: str
    section: str | None = None
    hint: str | None = None


class Content(BaseModel):
    model_config = ConfigDict(extra="allow")
    format: str
    format_name: str | None = None
    engine: str
    sections: list[Section]
    findings: list[Finding] = []
    notices: list[str] = []


class SealedDiagnosis(BaseModel):
    code: str
    description: str
    primary: bool


class SignatureOut(BaseModel):
    kind: str
    signer: str
    credentials: str
    signed_at: UtcDateTime
    version: int
    content_sha256: str
    late: bool = Field(default=False, description="Signed after the practice's note deadline.")
    acknowledged: list[str] = Field(default=[], description="The open warnings the signer acknowledged.")
    cpt: str | None = Field(default=None, description="The CPT code the signer confirmed, with modifiers "
                            "(sealed); null: not billed, or signed before afternote sealed it.")
    diagnoses: list[SealedDiagnosis] = Field(default=[], description="The client's diagnoses active at signing "
                                             "(sealed).")


class AddendumOut(BaseModel):
    id: str
    author: str
    credentials: str
    created_at: UtcDateTime
    reason: str
    text: str


class NoteOut(BaseModel):
    id: str
    client_id: str
    appointment_id: str
    clinician_id: str
    status: Literal["draft", "signed", "amended"]
    version: int
    format: str
    engine: str
    key_points: str
    key_points_revision: int = Field(description="Send it as base_revision with the next save of the key points.")
    content: Content
    awaiting_cosign_by: str | None
    signatures: list[SignatureOut]
    addenda: list[AddendumOut]


class NoteSummaryOut(BaseModel):
    id: str
    client_id: str
    client_name: str
    appointment_id: str
    starts_at: UtcDateTime
    status: str
    version: int
    format: str


class SectionChangeOut(BaseModel):
    key: str = Field(description="The section's key, or `key_points`.")
    title: str
    diff: list[str] = Field(description="Unified diff lines from the version before ('-' removed, '+' added).")


class VersionOut(BaseModel):
    number: int
    reason: str = Field(description="draft, edit, redraft or restore.")
    format: str
    author: str
    saved_at: UtcDateTime
    changes: list[SectionChangeOut] = Field(description="The sections (and key points) this version changed.")
    restored_from: int | None = Field(default=None, description="The version a restore saved again.")


class VersionDetailOut(VersionOut):
    content: Content


class Saved(BaseModel):
    note_id: str
    version: int = Field(description="The new current version: send it as base_version with the next save.")


class Redrafted(Saved):
    kept_sections: list[str] = Field(description="Sections you had edited by hand, kept as you wrote them; the new "
                                     "draft of each is in its section's `proposed` (take it with POST "
                                     ".../sections/{key}/proposal, or keep yours by saving your text).")
    kept_edits: list[dict] = Field(default=[], description="Sections you had edited that the new format has no "
                                   "place for, with their text, so nothing you wrote is lost.")


class BaseVersionBody(BaseModel):
    base_version: int = Version


class VerificationOut(BaseModel):
    note_id: str
    ok: bool
    problems: list[str]


class DraftBody(BaseModel):
    appointment_id: BodyId
    key_points: Text = Field(min_length=1)
    format: str = Field(default="soap", pattern=KEY, description="A format key (GET /api/v1/formats).")
    engine: Engine | None = Field(default=None, description="Default: the server's engine.")


class SectionBody(BaseModel):
    text: Text
    base_version: int = Version


class RedraftBody(BaseModel):
    base_version: int = Version
    key_points: Text | None = Field(default=None, min_length=1, description="Revised key points, if any.")
    key_points_revision: int | None = Field(default=None, ge=1, le=1_000_000, description="The key points' "
                                            "revision your revised key points are based on (409 if they were "
                                            "saved since).")
    engine: Engine | None = None


class KeyPointsBody(BaseModel):
    key_points: Text = Field(min_length=1)
    base_revision: int = Field(ge=1, le=1_000_000, description="The key points' revision you read "
                               "(`key_points_revision` of the note).")


class KeyPointsSaved(BaseModel):
    note_id: str
    key_points_revision: int = Field(description="Send it as base_revision with the next save.")


class FormatBody(BaseModel):
    base_version: int = Version
    format: str = Field(pattern=KEY, description="A format key (GET /api/v1/formats).")


SIGNING_CODE = Field(default=None, max_length=50, description="With two-factor sign-in on: the six digits your "
                     "authenticator app shows now (each code is accepted once); without it signing is refused (401).")


class SignBody(BaseModel):
    version: int = Version
    password: str = Field(min_length=1, max_length=1000,
                          description="Your own password, typed again: a signature is your own act.")
    code: str | None = SIGNING_CODE
    acknowledged: list[Annotated[str, Field(pattern=KEY)]] = Field(
        default=[], max_length=50, description="The code of every open warning (error or warning findings) you "
        "have read and accept; signing is refused (422, listing them) until each is acknowledged.")
    late_reason: str | None = Field(default=None, max_length=1000, description="Why the note is signed after the "
                                    "practice's deadline (optional); sealed with the signature.")
    cpt: str | None = Field(default=None, max_length=60, pattern=r"^[^\x00]*$", description=(
        "The CPT code you confirm, as billed (90837-95, 90839 + 90840 x2); sealed with the signature. Left out: "
        "the code the session suggests (the cpt-suggested finding); empty or null: the session is not billed."))


class CosignBody(BaseModel):
    password: str = Field(min_length=1, max_length=1000, description="Your own password, typed again.")
    code: str | None = SIGNING_CODE


class ReturnBody(BaseModel):
    comment: Text = Field(min_length=1, max_length=supervision.MAX_COMMENT_CHARS,
                          description="What the author should correct or add; they answer with an addendum.")


class ReturnOut(BaseModel):
    id: str
    note_id: str
    supervisor: str
    returned_at: UtcDateTime
    comment: str
    answered_at: UtcDateTime | None = Field(description="When the author answered it with an addendum.")
    co_signed: bool = Field(description="The supervisor co-signed the note after this return.")
    open: bool = Field(description="Neither answered nor co-signed yet.")


PlanItemId = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[0-9a-zA-Z]+$")]


class LinkedObjective(BaseModel):
    objective_id: PlanItemId
    progress: str = Field(default="", max_length=2000, description="Progress toward it, in your own words.")


class LinkedGoal(BaseModel):
    goal_id: PlanItemId
    objectives: list[LinkedObjective] = Field(default=[], max_length=50)


class GoalsBody(BaseModel):
    base_version: int = Version
    goals: list[LinkedGoal] = Field(max_length=50, description="The goals of the client's active treatment plan "
                                    "this session addressed, with the objectives and the progress toward each; an "
                                    "empty list links none.")


class AddendumBody(BaseModel):
    text: Text = Field(min_length=1)
    reason: Line = Field(min_length=1, description="For example 'late entry' or 'correction'.")


def _engine(request: Request, engine: str | None) -> str:
    settings = request.app.state.settings
    engine = engine or settings.engine
    if engine not in {"builtin", settings.engine}:
        raise InputError(f"The '{engine}' engine is not enabled on this server; it drafts with "
                         f"'{settings.engine}'. Leave `engine` out to use it.")
    return engine


def _note(view: notes.NoteView) -> NoteOut:
    return NoteOut.model_validate(view, from_attributes=True)


def _links() -> dict:
    note = {"note_id": "$response.body#/id"}
    version = "$response.body#/version"
    return {
        "get_note": {"operationId": "get_note", "parameters": note},
        "list_versions": {"operationId": "list_versions", "parameters": note},
        "verify": {"operationId": "verify", "parameters": note},
        "edit_section": {"operationId": "edit_section", "parameters": {**note, "section": "plan"},
                         "requestBody": {"text": "Follow-up in 1 week.", "base_version": version}},
        "switch_format": {"operationId": "switch_format", "parameters": note,
                          "requestBody": {"format": "dap", "base_version": version}},
        "redraft": {"operationId": "redraft", "parameters": note, "requestBody": {"base_version": version}},
        "sign": {"operationId": "sign", "parameters": note, "requestBody": {"version": version}},
        "add_addendum": {"operationId": "add_addendum", "parameters": note,
                         "requestBody": {"text": "Late entry.", "reason": "late entry"}},
    }


@router.post("", status_code=201, responses={**responses(409, 503), 201: {"links": _links()}})
def draft_note(body: DraftBody, request: Request, actor: CurrentActor, db: DatabaseDep,
               settings: SettingsDep) -> NoteOut:
    """Draft the note of one of your sessions from your key points (version 1)."""
    return _note(notes.create(db, actor, body.appointment_id, body.key_points, body.format,
                              _engine(request, body.engine), formats_dir=settings.formats_dir))


@router.get("")
def list_notes(actor: CurrentActor, db: DatabaseDep, page: PageDep,
               status: Literal["draft", "signed", "amended"] | None = None,
               client_id: QueryId = None) -> Page[NoteSummaryOut]:
    """The notes you may see, newest session first."""
    rows = notes.list_notes(db, actor, status=status, client_id=client_id, limit=page.fetch)
    return paginate(rows, page, lambda n: NoteSummaryOut.model_validate(n, from_attributes=True))


@router.get("/{note_id}")
def get_note(note_id: RecordId, actor: CurrentActor, db: DatabaseDep,
             version: int | None = Query(default=None, ge=1, le=1_000_000)) -> NoteOut:
    """The note (its current version, or an earlier one) with its signatures and addenda."""
    return _note(notes.show(db, actor, note_id, version))


@router.get("/{note_id}/versions")
def list_versions(note_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> list[VersionOut]:
    """Every saved version, oldest first: who saved it, when, and which sections it changed (with a diff)."""
    return [VersionOut.model_validate(v, from_attributes=True) for v in versions.history(db, actor, note_id)]


VersionNumber = Annotated[int, Path(ge=1, le=1_000_000)]


@router.get("/{note_id}/versions/{number}")
def get_version(note_id: RecordId, number: VersionNumber, actor: CurrentActor, db: DatabaseDep) -> VersionDetailOut:
    """One saved version: its content and what it changed from the one before."""
    return VersionDetailOut.model_validate(versions.version(db, actor, note_id, number), from_attributes=True)


@router.post("/{note_id}/versions/{number}/restore", responses=CHANGES)
def restore_version(note_id: RecordId, number: VersionNumber, body: BaseVersionBody, actor: CurrentActor,
                    db: DatabaseDep, settings: SettingsDep) -> Saved:
    """Save an earlier version of a draft again as a new version (nothing is rewritten); 409 if someone saved
    since `base_version`, or if the note is signed (then only addenda)."""
    return Saved(note_id=note_id, version=notes.restore(db, actor, note_id, number, body.base_version,
                                                                settings.formats_dir))


@router.put("/{note_id}/sections/{section}", responses=CHANGES)
def edit_section(note_id: RecordId, section: Annotated[str, Path(pattern=KEY)], body: SectionBody, actor: CurrentActor,
                 db: DatabaseDep, settings: SettingsDep) -> Saved:
    """Save a section's text as a new version. 409 with `current_version` if someone saved since you read."""
    return Saved(note_id=note_id, version=notes.edit_section(db, actor, note_id, section, body.text,
                                                             body.base_version, formats_dir=settings.formats_dir))


@router.post("/{note_id}/redraft", responses={**CHANGES, **responses(503)})
def redraft(note_id: RecordId, body: RedraftBody, request: Request, actor: CurrentActor,
            db: DatabaseDep, settings: SettingsDep) -> Redrafted:
    """Draft again (revised key points or another engine); earlier versions are kept, and sections you edited by
    hand are kept as you wrote them, with the new draft offered beside them."""
    engine = _engine(request, body.engine) if body.engine else None
    version = notes.redraft(db, actor, note_id, body.base_version, key_points=body.key_points, engine=engine,
                            key_points_revision=body.key_points_revision, formats_dir=settings.formats_dir)
    return _redrafted(db, actor, note_id, version)


@router.put("/{note_id}/key-points", responses=CHANGES)
def save_key_points(note_id: RecordId, body: KeyPointsBody, actor: CurrentActor, db: DatabaseDep) -> KeyPointsSaved:
    """Save revised key points without drafting again. 409 with `current_revision` if they were saved since the
    revision you read (nothing is overwritten: GET the note for the saved text)."""
    return KeyPointsSaved(note_id=note_id, key_points_revision=notes.save_key_points(
        db, actor, note_id, body.key_points, body.base_revision))


@router.post("/{note_id}/format", responses={**CHANGES, **responses(503)})
def switch_format(note_id: RecordId, body: FormatBody, actor: CurrentActor, db: DatabaseDep,
                  settings: SettingsDep) -> Redrafted:
    """Redraft in another format (the key points are kept; sections you edited by hand are kept too)."""
    return _redrafted(db, actor, note_id, notes.redraft(db, actor, note_id, body.base_version, format=body.format,
                                                        formats_dir=settings.formats_dir))


def _redrafted(db, actor, note_id: str, version: int) -> Redrafted:
    content = notes.show(db, actor, note_id, version).content
    return Redrafted(note_id=note_id, version=version, kept_sections=notes.kept_sections(content),
                     kept_edits=content.get("kept_edits", []))


@router.post("/{note_id}/sections/{section}/proposal", responses=CHANGES)
def take_proposal(note_id: RecordId, section: Annotated[str, Path(pattern=KEY)], body: BaseVersionBody,
                  actor: CurrentActor, db: DatabaseDep, settings: SettingsDep) -> Saved:
    """Take the new draft a redraft offered for a section you had edited (your text stays in the earlier
    version)."""
    return Saved(note_id=note_id, version=notes.take_proposal(db, actor, note_id, section, body.base_version,
                                                              formats_dir=settings.formats_dir))


@router.put("/{note_id}/goals", responses=CHANGES)
def link_goals(note_id: RecordId, body: GoalsBody, actor: CurrentActor, db: DatabaseDep,
               settings: SettingsDep) -> Saved:
    """Link the note to the goals and objectives of the client's active (signed) treatment plan it addressed, with
    your progress per objective, as a new version: the goal section quotes them, and the link is sealed with the
    note. 409 if someone saved since `base_version`; 422 naming an id the plan does not have."""
    return Saved(note_id=note_id, version=note_goals.link(db, actor, note_id, body.base_version,
                                                          [g.model_dump() for g in body.goals],
                                                          formats_dir=settings.formats_dir))


SIGNING = responses(401, 403, 409, 429)  # the code missing or not right; the password not right; a stale or signed
# note; the account locked


@router.post("/{note_id}/sign", responses=SIGNING)
def sign(note_id: RecordId, body: SignBody, request: Request, actor: CurrentActor, db: DatabaseDep) -> SignatureOut:
    """Sign the version you read, with your password typed again: the note becomes read-only (corrections are
    addenda). A locked account cannot sign until the lock ends."""
    passwords.confirm_password(db, actor, body.password, source_of(request), code=body.code)
    cpt = body.cpt if "cpt" in body.model_fields_set else notes.SUGGESTED
    return SignatureOut.model_validate(notes.sign(db, actor, note_id, body.version, acknowledged=body.acknowledged,
                                                  late_reason=body.late_reason, cpt=cpt), from_attributes=True)


@router.post("/{note_id}/cosign", responses=SIGNING)
def co_sign(note_id: RecordId, body: CosignBody, request: Request, actor: CurrentActor,
            db: DatabaseDep) -> SignatureOut:
    """Co-sign a signed note of a clinician you supervise, with your password typed again."""
    passwords.confirm_password(db, actor, body.password, source_of(request), refused="the note was not co-signed",
                               code=body.code)
    return SignatureOut.model_validate(notes.co_sign(db, actor, note_id), from_attributes=True)


@router.post("/{note_id}/return", status_code=201)
def return_note(note_id: RecordId, body: ReturnBody, actor: CurrentActor, db: DatabaseDep) -> ReturnOut:
    """Return a signed note awaiting your co-signature to its author with a comment. The note stays signed and
    sealed: the author answers with an addendum, then you co-sign. 422 for an empty comment."""
    return ReturnOut.model_validate(supervision.return_note(db, actor, note_id, body.comment), from_attributes=True)


@router.get("/{note_id}/returns")
def returns(note_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> list[ReturnOut]:
    """The supervisor's returns of the note, oldest first, each open until the author adds an addendum after it
    (or the supervisor co-signs)."""
    return [ReturnOut.model_validate(r, from_attributes=True) for r in supervision.returns(db, actor, note_id)]


@router.post("/{note_id}/addenda", status_code=201, responses=CHANGES)
def add_addendum(note_id: RecordId, body: AddendumBody, actor: CurrentActor, db: DatabaseDep) -> AddendumOut:
    """A dated, authored, sealed addendum to a signed note; the original stays as signed."""
    return AddendumOut.model_validate(notes.addend(db, actor, note_id, body.text, body.reason),
                                      from_attributes=True)


@router.get("/{note_id}/verification")
def verify(note_id: RecordId, actor: CurrentActor, db: DatabaseDep) -> VerificationOut:
    """Recompute the hash and seal of every signature and addendum: `ok` false names what was changed."""
    v = notes.verify(db, actor, note_id)
    return VerificationOut(note_id=v.note_id, ok=v.ok, problems=list(v.problems))
