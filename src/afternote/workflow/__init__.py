"""The one service layer: the CLI, the JSON API and the pages call these functions and nothing below them.

Every function takes the records `Database` and the calling `Actor`; every query is scoped by the actor's practice
(and clinician, unless their role reads the whole practice); every view and change is audited.
"""
from afternote.workflow import audit, backlog, clients, keys, notes, sign_in, tokens, users
from afternote.workflow.actor import Actor
from afternote.workflow.errors import (LoginFailed, LoginLocked, NoteLocked, NotAllowed, NotFound, NotSignedIn,
                                       StaleVersion)

__all__ = ["audit", "backlog", "clients", "keys", "notes", "sign_in", "tokens", "users", "Actor", "StaleVersion",
           "NoteLocked", "NotAllowed", "NotFound", "LoginFailed", "LoginLocked", "NotSignedIn"]
