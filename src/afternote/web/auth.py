"""The sign-in cookie, shared by the JSON API and the HTML pages.

How the pages (web/pages/) reuse this unchanged:
- Signing in: a page's POST handler calls `workflow.sign_in.start(...)` and `set_session_cookie(response, ...)`
  exactly as `api/session.py` does; signing out calls `clear_session_cookie`.
- Every page route declares `CurrentActor` (deps.py): the same cookie resumes the same server-side session, with
  the same inactivity expiry.
- CSRF: the session row holds a random token. A page renders it into each form as a hidden field named
  `csrf_token` (`CSRF_FIELD`), read from `deps.CurrentCaller.csrf_token`; our script sends it as the
  `X-CSRF-Token` header (`CSRF_HEADER`) on fetch calls. deps.py accepts either for any unsafe method on a
  cookie-authenticated request and refuses the request (403) without it. Bearer-token requests carry no ambient
  credential, so they need no CSRF token. SameSite=Strict on the cookie is the second line of defence.
"""
from __future__ import annotations

from fastapi import Response

COOKIE = "__Host-afternote-session"  # __Host-: Secure, Path=/, no Domain: no subdomain can set or read it
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def set_session_cookie(response: Response, secret: str) -> None:
    """A session cookie (no Max-Age: it dies with the browser); the server ends it after inactivity."""
    response.set_cookie(COOKIE, secret, httponly=True, secure=True, samesite="strict", path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, httponly=True, secure=True, samesite="strict", path="/")
