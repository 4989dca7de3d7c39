"""PDF with fpdf2 (pure Python): the practice's letterhead on every page, the client and the session, the sections
as signed, the signature block with the integrity hash and the verification result, addenda, page numbers and a
confidentiality footer; a draft is watermarked DRAFT. Noto Sans (from the fontpkg-noto-sans package) covers
accented, Greek and Cyrillic names."""
from __future__ import annotations

from contextlib import contextmanager
from functools import cache

import fontpkg
from fpdf import FPDF
from fpdf.enums import TextMode

from afternote import times
from afternote.exports import Exporter
from afternote.exports.document import (CONFIDENTIAL, ClientRecord, Letterhead, NoteDocument, PlanVersion,
                                        addendum_heading, agreement_line, diagnoses_line, intervention_line,
                                        measures_line, objective_line, session_line, signature_line, zone_line)
from afternote.plans import goal_line
from afternote.plugins import hookimpl

FONT = "Noto"
GREY = (110, 110, 110)


@cache
def font_path() -> str:
    # the variable font's default instance (regular); instancing a bold one costs seconds, so headings are
    # emboldened by stroking instead (see `_strong`)
    return str(fontpkg.path("Noto Sans"))


class _Document(FPDF):
    def __init__(self, practice: Letterhead) -> None:
        super().__init__(format="Letter", unit="mm")
        self.practice = practice
        self.watermark = ""
        self.widths: dict[tuple[str, float], float] = {}
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=20)
        self.add_font(FONT, "", font_path())
        self.set_font(FONT, "", 10)
        self.set_title("Clinical record")
        self.set_creator("afternote")

    def header(self) -> None:
        if self.watermark:
            with self.local_context(text_color=(225, 225, 225)), self.rotation(45, self.w / 2, self.h / 2):
                self.set_font(FONT, "", 110)
                self.text(self.w / 2 - 62, self.h / 2 + 15, self.watermark)
        self.set_font(FONT, "", 13)
        with _strong(self):
            self.cell(0, 6, self.practice.name, new_x="LMARGIN", new_y="NEXT")
        details = " · ".join(p for p in (self.practice.address, self.practice.phone,
                                          f"NPI {self.practice.npi}" if self.practice.npi else "") if p)
        if details:
            self.set_font(FONT, "", 8.5)
            self.set_text_color(*GREY)
            self.lines(details, 4)
            self.set_text_color(0)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(4)
        self.set_font(FONT, "", 10)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.lines(CONFIDENTIAL, 3, align="C")
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)


    def width_of(self, word: str) -> float:
        key = (word, self.font_size_pt)
        if key not in self.widths:
            self.widths[key] = self.get_string_width(word)
        return self.widths[key]

    def lines(self, text: str, height: float, align: str = "L") -> None:
        """Text wrapped at word boundaries, one cell a line. fpdf2's multi_cell measures every fragment again for
        each character it adds, which made a 260-note record take seconds; words measured once each do not."""
        room = self.w - self.l_margin - self.r_margin - 2 * self.c_margin
        space = self.width_of(" ")
        for paragraph in text.split("\n"):
            line, used = [], 0.0
            for word in paragraph.split(" "):
                width = self.width_of(word)
                if width > room:  # a word longer than the line: let fpdf2 break it
                    if line:
                        self.cell(0, height, " ".join(line), align=align, new_x="LMARGIN", new_y="NEXT")
                        line, used = [], 0.0
                    self.multi_cell(0, height, word, align=align, new_x="LMARGIN", new_y="NEXT")
                    continue
                if line and used + space + width > room:
                    self.cell(0, height, " ".join(line), align=align, new_x="LMARGIN", new_y="NEXT")
                    line, used = [], 0.0
                used += (space if line else 0.0) + width
                line.append(word)
            self.cell(0, height, " ".join(line), align=align, new_x="LMARGIN", new_y="NEXT")


@contextmanager
def _strong(pdf: FPDF):
    """Bold without a second font file: fill and stroke the glyphs."""
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.18):
        yield


def _heading(pdf: _Document, text: str, size: float = 11) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "", size)
    with _strong(pdf):
        pdf.lines(text, size * 0.5)
    pdf.set_font(FONT, "", 10)


def _line(pdf: _Document, text: str, size: float = 10, grey: bool = False) -> None:
    pdf.set_font(FONT, "", size)
    if grey:
        pdf.set_text_color(*GREY)
    pdf.lines(text, size * 0.5)
    pdf.set_text_color(0)
    pdf.set_font(FONT, "", 10)


def _write_note(pdf: _Document, doc: NoteDocument) -> None:
    pdf.watermark = "DRAFT" if doc.is_draft else ""
    pdf.add_page()
    _heading(pdf, doc.title + (" · DRAFT, not signed" if doc.is_draft else ""), 14)
    client = doc.client
    born = f"{client.birth_date:%Y-%m-%d}" if client.birth_date else "not recorded"
    _line(pdf, f"Client: {client.name} · Date of birth: {born} · Record number: {client.record_number or '-'}")
    _line(pdf, f"Session: {session_line(doc.session, doc.practice.time_zone)}")
    _line(pdf, zone_line(doc.practice.time_zone), 8, grey=True)
    if doc.session.attendees:
        _line(pdf, "Attended besides the client: " + ", ".join(doc.session.attendees))
    clinician = doc.clinician
    _line(pdf, "Clinician: " + clinician.name + (f", {clinician.credentials}" if clinician.credentials else "")
          + (f", licence {clinician.licence_number}" if clinician.licence_number else ""))
    if doc.diagnoses:
        _line(pdf, "Diagnoses: " + diagnoses_line(doc.diagnoses))
    if doc.measures:
        _line(pdf, "Measures: " + measures_line(doc.measures))
    for section in doc.sections:
        _heading(pdf, section.title)
        _line(pdf, section.text or "(empty)")
    _heading(pdf, "Signature")
    if not doc.signatures:
        _line(pdf, "Not signed: this is a draft and not part of the legal record.")
    for sig in doc.signatures:
        _line(pdf, signature_line(sig, doc.practice.time_zone))
        _line(pdf, f"Integrity hash (SHA-256): {sig.content_sha256}", 8, grey=True)
    if doc.verification is not None:
        _line(pdf, doc.verification.describe(), 9)
    for add in doc.addenda:
        _heading(pdf, addendum_heading(add, doc.practice.time_zone))
        _line(pdf, f"Reason: {add.reason}")
        _line(pdf, add.text)
        _line(pdf, f"Integrity hash (SHA-256): {add.content_sha256}", 8, grey=True)


def _finish(pdf: _Document) -> bytes:
    return bytes(pdf.output())


def render_note(doc: NoteDocument) -> bytes:
    pdf = _Document(doc.practice)
    _write_note(pdf, doc)
    return _finish(pdf)


def render_record(record: ClientRecord) -> bytes:
    pdf = _Document(record.practice)
    pdf.add_page()
    client = record.client
    _heading(pdf, "Clinical record", 16)
    _line(pdf, f"Client: {client.name}")
    _line(pdf, "Date of birth: " + (f"{client.birth_date:%Y-%m-%d}" if client.birth_date else "not recorded"))
    _line(pdf, f"Record number: {client.record_number or '-'}")
    _line(pdf, f"Period: {record.start:%Y-%m-%d} to {record.end:%Y-%m-%d}")
    exported = times.when(record.exported_at, record.practice.time_zone)
    _line(pdf, f"Signed notes: {len(record.notes)}; exported {exported}")
    failed = [n for n in record.notes if n.verification is not None and not n.verification.ok]
    _line(pdf, f"Verification: {len(record.notes) - len(failed)} of {len(record.notes)} notes match their seals."
          + (" Notes that do not are marked NOT VERIFIED." if failed else ""))
    _line(pdf, f"Signed treatment plan versions: {len(record.plans)}")
    for plan in record.plans:
        _write_plan(pdf, plan, record)
    for doc in record.notes:
        _write_note(pdf, doc)
    return _finish(pdf)


def _write_plan(pdf: _Document, plan: PlanVersion, record: ClientRecord) -> None:
    """A signed plan version from a new page: problems, their goals with the objectives, the interventions; the
    signature with its hash and what verifying its seal found."""
    pdf.watermark = ""
    pdf.add_page()
    _heading(pdf, plan.title, 14)
    _line(pdf, f"Client: {record.client.name}")
    _line(pdf, agreement_line(plan.document))
    for i, problem in enumerate(plan.document.problems, 1):
        _heading(pdf, f"Problem {i}: {problem.text or '(no words)'}")
        for j, goal in enumerate(problem.goals, 1):
            _line(pdf, f"Goal {j}: {goal_line(goal)}")
            for k, objective in enumerate(goal.objectives, 1):
                _line(pdf, f"    Objective {j}.{k}: {objective_line(objective)}", 9.5)
        for k, intervention in enumerate(problem.interventions, 1):
            _line(pdf, f"Intervention {k}: {intervention_line(intervention)}")
    _heading(pdf, "Signature")
    _line(pdf, signature_line(plan.signature, record.practice.time_zone))
    _line(pdf, f"Integrity hash (SHA-256): {plan.signature.content_sha256}", 8, grey=True)
    _line(pdf, plan.verification.describe(), 9)


@hookimpl
def register_exporters(register):
    register(Exporter("pdf", "application/pdf", ".pdf", render_note, render_record))
