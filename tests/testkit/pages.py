"""Driving the HTML pages in-process (forms, no script): sign in and read a page's CSRF token."""
from __future__ import annotations

import re

from testkit.records import PASSWORD


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def signed_in_page(client, actor) -> str:
    """Sign `actor` in through the sign-in form; returns the CSRF token the pages' forms send."""
    page = client.post("/sign-in", data={"username": actor.username, "password": PASSWORD})
    assert page.status_code == 200, page.text
    return csrf_of(page.text)
