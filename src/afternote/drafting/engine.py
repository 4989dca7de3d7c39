"""What a drafting engine is: it turns categorized statements into the sections of a format."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from afternote.reading.statements import Statement
from afternote.errors import AfternoteError
from afternote.formats import Format
from afternote.note import NoteSection
from afternote.session import Session

SectionCallback = Callable[[NoteSection], None]


class EngineFailed(AfternoteError):
    """The engine could not produce a usable draft; the message says why, without health data.

    The pipeline then shows the builtin engine's draft with a visible notice carrying this message.
    """


class Engine(Protocol):
    name: str

    def write(self, summary: str, statements: Sequence[Statement], fmt: Format, session: Session,
              on_section: SectionCallback | None = None) -> list[NoteSection]:
        """One NoteSection per section of `fmt`, in order; every sentence lists the statements it rests on."""
        ...
