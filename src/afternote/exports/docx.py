"""Word (DOCX) with python-docx: the PDF's content as an editable document with real headings (Heading 1 for the
note, Heading 2 for each section, signature and addendum), the letterhead in the page header, and the
confidentiality notice and page numbers in the footer."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from afternote.exports import Exporter
from afternote.exports.document import (CONFIDENTIAL, NoteDocument, addendum_heading, diagnoses_line, measures_line,
                                        session_line, signature_line, zone_line)
from afternote.plugins import hookimpl


def _page_number(paragraph) -> None:
    """A PAGE field, so Word numbers the pages as they fall."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _letterhead(document, doc: NoteDocument) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = ""
    name = header.add_run(doc.practice.name)
    name.bold = True
    details = " · ".join(p for p in (doc.practice.address, doc.practice.phone,
                                      f"NPI {doc.practice.npi}" if doc.practice.npi else "") if p)
    if details:
        header.add_run("\n" + details).font.size = Pt(8)
    if doc.is_draft:
        mark = section.header.add_paragraph().add_run("DRAFT: not signed")
        mark.bold = True
        mark.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(CONFIDENTIAL + " Page ").font.size = Pt(7)
    _page_number(footer)


def render_note(doc: NoteDocument) -> bytes:
    document = Document()
    document.core_properties.title = doc.title  # no health data in the file's properties
    _letterhead(document, doc)
    document.add_heading(doc.title + (" (DRAFT, not signed)" if doc.is_draft else ""), level=1)
    client = doc.client
    born = f"{client.birth_date:%Y-%m-%d}" if client.birth_date else "not recorded"
    document.add_paragraph(f"Client: {client.name}\nDate of birth: {born}\n"
                           f"Record number: {client.record_number or '-'}")
    document.add_paragraph(f"Session: {session_line(doc.session, doc.practice.time_zone)}\n"
                           f"{zone_line(doc.practice.time_zone)}")
    if doc.session.attendees:
        document.add_paragraph("Attended besides the client: " + ", ".join(doc.session.attendees))
    clinician = doc.clinician
    document.add_paragraph("Clinician: " + clinician.name
                           + (f", {clinician.credentials}" if clinician.credentials else "")
                           + (f", licence {clinician.licence_number}" if clinician.licence_number else ""))
    if doc.diagnoses:
        document.add_paragraph("Diagnoses: " + diagnoses_line(doc.diagnoses))
    if doc.measures:
        document.add_paragraph("Measures: " + measures_line(doc.measures))
    for section in doc.sections:
        document.add_heading(section.title, level=2)
        document.add_paragraph(section.text)
    document.add_heading("Signature", level=2)
    if not doc.signatures:
        document.add_paragraph("Not signed: this is a draft and not part of the legal record.")
    for sig in doc.signatures:
        document.add_paragraph(signature_line(sig, doc.practice.time_zone))
        document.add_paragraph(f"Integrity hash (SHA-256): {sig.content_sha256}").runs[0].font.size = Pt(8)
    if doc.verification is not None:
        document.add_paragraph(doc.verification.describe())
    for add in doc.addenda:
        document.add_heading(addendum_heading(add, doc.practice.time_zone), level=2)
        document.add_paragraph(f"Reason: {add.reason}")
        document.add_paragraph(add.text)
        document.add_paragraph(f"Integrity hash (SHA-256): {add.content_sha256}").runs[0].font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@hookimpl
def register_exporters(register):
    register(Exporter("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx",
                      render_note))
