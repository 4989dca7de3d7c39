"""afternote: from a therapist's key points to a structured, verified progress note."""
from afternote.drafting.pipeline import draft
from afternote.errors import AfternoteError, EngineError, FormatError, InputError
from afternote.formats import Format, get_format
from afternote.note import Finding, Note, NoteSection, Sentence
from afternote.session import Session

__all__ = ["draft", "Note", "NoteSection", "Sentence", "Finding", "Format", "get_format", "Session",
           "AfternoteError", "InputError", "FormatError", "EngineError"]
