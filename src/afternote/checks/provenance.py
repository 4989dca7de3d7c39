"""Placeholder: filled in by the checks work."""
from afternote.plugins import hookimpl


@hookimpl
def register_checks(register):
    pass
