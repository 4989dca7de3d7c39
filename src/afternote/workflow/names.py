"""The names people choose (a username, an API token's name): normalized with NFKC, so look-alike spellings are
one name, and refused when they hold characters nobody can see or that a page could read as markup."""
from __future__ import annotations

import unicodedata

from afternote.errors import InputError

MAX_LENGTH = 100
# control, format (zero-width spaces and joiners, bidi overrides and isolates), surrogate, private-use, unassigned,
# line and paragraph separators: none can be told apart on screen
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_MARKUP = frozenset('<>&"\'`')


def _invisible(text: str) -> bool:
    return any(unicodedata.category(c) in _INVISIBLE for c in text)


def normalized(text: str) -> str:
    """The form names are stored and compared in."""
    return unicodedata.normalize("NFKC", text).strip()


def username(text: str) -> str:
    """A new username, normalized; InputError saying what to change."""
    name = normalized(text)
    if not name or len(name) > MAX_LENGTH:
        raise InputError(f"A username is 1 to {MAX_LENGTH} characters.")
    if _invisible(name):
        raise InputError("A username cannot hold invisible or control characters (zero-width spaces, direction "
                         "marks). Type it again by hand rather than pasting it.")
    if any(c in _MARKUP or c.isspace() for c in name):
        raise InputError("A username is one word without spaces or the characters < > & \" ' `; letters, digits "
                         "and . - _ @ work well.")
    return name


def token_name(text: str) -> str:
    """A new API token's name, normalized; InputError saying what to change."""
    name = normalized(text)
    if not name or len(name) > MAX_LENGTH:
        raise InputError(f"A token needs a name of 1 to {MAX_LENGTH} characters (say what script uses it).")
    if _invisible(name):
        raise InputError("A token's name cannot hold invisible or control characters. Type it again by hand.")
    return name
