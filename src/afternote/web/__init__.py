"""The practice server: a FastAPI app that serves the JSON API under /api/v1 (and, next, the HTML pages).

Routes are thin: they declare what they need (`deps.DatabaseDep`, `deps.CurrentActor`) and call the one service
layer in `afternote.workflow`, which holds every rule, authorization included.
"""
from afternote.web.app import create_app

__all__ = ["create_app"]
