"""The authorization matrix: every endpoint x every role x whose record (own, a supervisee's, a colleague's,
another practice's). Each cell of the tables below is one test.

Cells: an HTTP status, or for lists `L` (200, the record is listed) and `-` (200, it is not). A record the caller
may not see is a 404 that looks like a missing one; 403 only where the caller may see it but not do this (or where
the role alone forbids the action, which says nothing about any record). An auditor has no records of their own
(they cannot create any: see ROLE_ONLY), so their row has no `own` column; only a supervisor has supervisees.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from afternote.config import Settings
from testkit.records import KEY_POINTS, PASSWORD, make_clinic
from afternote.web import create_app
from afternote.workflow import clients, notes, tokens

COLUMNS = [("clinician", "own"), ("clinician", "colleague"), ("clinician", "other practice"),
           ("supervisor", "own"), ("supervisor", "supervisee"), ("supervisor", "colleague"),
           ("supervisor", "other practice"),
           ("owner", "own"), ("owner", "colleague"), ("owner", "other practice"),
           ("auditor", "colleague"), ("auditor", "other practice")]

#                 clinician      supervisor              owner          auditor
#                 own col other  own see col other       own col other  col other
MATRIX = """
get_client        200 404 404    200 200 404 404         200 200 404    200 404
client_measures   200 404 404    200 200 404 404         200 200 404    200 404
list_clients      L   -   -      L   L   -   -           L   L   -      L   -
add_appointment   201 404 404    201 403 404 404         201 201 404    403 403
get_appointment   200 404 404    200 200 404 404         200 200 404    200 404
draft_note        201 404 404    201 403 404 404         201 403 404    403 403
list_notes        L   -   -      L   L   -   -           L   L   -      L   -
get_note          200 404 404    200 200 404 404         200 200 404    200 404
list_versions     200 404 404    200 200 404 404         200 200 404    200 404
verify            200 404 404    200 200 404 404         200 200 404    200 404
edit_section      200 404 404    200 403 404 404         200 403 404    403 403
redraft           200 404 404    200 403 404 404         200 403 404    403 403
switch_format     200 404 404    200 403 404 404         200 403 404    403 403
sign              200 404 404    200 403 404 404         200 403 404    403 403
cosign            403 404 404    403 200 404 404         403 403 404    403 403
return_note       403 404 404    403 201 404 404         403 403 404    403 403
list_returns      200 404 404    200 200 404 404         200 200 404    200 404
add_addendum      201 404 404    201 201 404 404         201 201 404    403 403
audit_of_note     403 403 403    403 403 403 403         L   L   -      L   -
list_tokens       L   -   -      L   -   -   -           L   L   -      -   -
revoke_token      200 404 404    200 404 404 404         200 200 404    404 404
update_user       403 403 403    403 403 403 403         200 200 404    403 403
update_client     200 404 404    200 403 404 404         200 200 404    403 403
export_note       200 404 404    200 200 404 404         200 200 404    200 404
export_record     200 404 404    200 200 404 404         200 200 404    200 404
"""

# endpoint: (what the target record must be, method, path, body)
ENDPOINTS = {
    "get_client": ("client", "GET", "/clients/{client}", None),
    "client_measures": ("client", "GET", "/clients/{client}/measures", None),
    "list_clients": ("client", "LIST", "/clients", None),
    "add_appointment": ("client", "POST", "/appointments",
                        {"client_id": "{client}", "date": "2026-03-02", "start": "09:00", "minutes": 53}),
    "get_appointment": ("appointment", "GET", "/appointments/{appointment}", None),
    "draft_note": ("appointment", "POST", "/notes", {"appointment_id": "{appointment}", "key_points": KEY_POINTS}),
    "list_notes": ("draft", "LIST", "/notes?client_id={client}", None),
    "get_note": ("draft", "GET", "/notes/{note}", None),
    "list_versions": ("draft", "GET", "/notes/{note}/versions", None),
    "verify": ("signed", "GET", "/notes/{note}/verification", None),
    "edit_section": ("draft", "PUT", "/notes/{note}/sections/plan", {"text": "Follow-up in 1 week.", "base_version": 1}),
    "redraft": ("draft", "POST", "/notes/{note}/redraft", {"base_version": 1}),
    "switch_format": ("draft", "POST", "/notes/{note}/format", {"base_version": 1, "format": "birp"}),
    "sign": ("draft", "POST", "/notes/{note}/sign", {"version": 1, "password": PASSWORD}),
    "cosign": ("signed", "POST", "/notes/{note}/cosign", {"password": PASSWORD}),
    "return_note": ("signed", "POST", "/notes/{note}/return", {"comment": "Add the client's response."}),
    "list_returns": ("signed", "GET", "/notes/{note}/returns", None),
    "add_addendum": ("signed", "POST", "/notes/{note}/addenda", {"text": "Late entry.", "reason": "late entry"}),
    "audit_of_note": ("draft", "LIST", "/audit?record_id={note}", None),
    "list_tokens": ("token", "LIST", "/tokens", None),
    "revoke_token": ("token", "DELETE", "/tokens/{token}", None),
    # the holder themselves; `active: true` changes nothing, so the shared users stay as they are
    "update_user": ("user", "PATCH", "/users/{user}", {"active": True}),
    "update_client": ("client", "PATCH", "/clients/{client}", {"identifier": "MRN-2"}),
    "export_note": ("signed", "GET", "/notes/{note}/export?as=text", None),
    "export_record": ("signed", "GET", "/clients/{client}/export?as=pdf&from=2026-03-01&to=2026-03-31", None),
}


def cells():
    rows = [line.split() for line in MATRIX.strip().splitlines()]
    assert sorted(r[0] for r in rows) == sorted(ENDPOINTS), "every endpoint has a row"
    for name, *expected in rows:
        assert len(expected) == len(COLUMNS), name
        for (role, relation), want in zip(COLUMNS, expected):
            yield pytest.param(name, role, relation, want, id=f"{name}-{role}-{relation.replace(' ', '_')}")


@dataclass
class World:
    a: object  # the caller's practice
    b: object  # another practice
    headers: dict
    http: TestClient

    def holder(self, role: str, relation: str):
        """Whose record: the caller's own, their supervisee's, a colleague's (not supervised by them), another
        practice's clinician's."""
        if relation == "own":
            return getattr(self.a, role)
        if relation == "supervisee":
            return self.a.associate  # supervised by a.supervisor
        if relation == "colleague":
            return self.a.associate if role == "clinician" else self.a.clinician
        return self.b.clinician


@pytest.fixture(scope="module")
def world(db, tmp_path_factory):
    a, b = make_clinic(db), make_clinic(db)
    headers = {role: {"Authorization": f"Bearer {tokens.create(db, getattr(a, role), 'matrix')[1]}"}
               for role in ("clinician", "supervisor", "owner", "auditor")}
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("web")), database=db)
    return World(a, b, headers, TestClient(app, base_url="https://testserver"))


def make_target(db, holder, needs: str) -> dict[str, str]:
    """A fresh record of `holder` in the state the endpoint needs."""
    client = clients.add_client(db, holder, "Matrix Client")
    ids = {"client": client.id}
    ids["appointment"] = clients.add_appointment(db, holder, client.id, dt.date(2026, 3, 1), dt.time(10),
                                                 minutes=53, service="psychotherapy")
    if needs in ("draft", "signed"):
        ids["note"] = notes.create(db, holder, ids["appointment"], KEY_POINTS).id
    if needs == "signed":
        notes.sign(db, holder, ids["note"], 1)
    if needs == "token":
        ids["token"] = tokens.create(db, holder, "target")[0].id
    if needs == "user":
        ids["user"] = holder.user_id
    return ids


def fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def listed(http, path, headers, record_id) -> tuple[int, bool]:
    """Walk every page of a list; (status, whether the record is in it)."""
    offset, found = 0, False
    while offset is not None:
        sep = "&" if "?" in path else "?"
        response = http.get(f"/api/v1{path}{sep}limit=200&offset={offset}", headers=headers)
        if response.status_code != 200:
            return response.status_code, False
        page = response.json()
        found = found or any(record_id in (item.get("id"), item.get("record_id")) for item in page["items"])
        offset = page["next_offset"]
    return 200, found


@pytest.mark.parametrize("endpoint, role, relation, want", list(cells()))
def test_authorization_matrix(world, db, endpoint, role, relation, want):
    needs, method, path, body = ENDPOINTS[endpoint]
    ids = make_target(db, world.holder(role, relation), needs)
    headers = world.headers[role]
    if method == "LIST":
        key = {"client": "client", "draft": "note", "token": "token"}[needs]
        status, found = listed(world.http, fill(path, ids), headers, ids[key])
        if want in ("L", "-"):
            assert (status, found) == (200, want == "L")
        else:
            assert status == int(want)
        return
    response = world.http.request(method, "/api/v1" + fill(path, ids), headers=headers, json=fill(body, ids))
    assert response.status_code == int(want), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"


# Endpoints without a record: the role alone decides (these requests carry API tokens, so creating a token is
# refused for every role: only a password sign-in makes tokens, tests/web/test_api_tokens.py).
#                       clinician supervisor owner auditor
ROLE_ONLY = """
get_session             200       200        200   200
list_formats            200       200        200   200
own_backlog             200       200        200   200
practice_backlog        403       200        200   200
add_client              201       201        201   403
audit_trail             403       403        200   200
list_users              403       403        200   403
add_user                403       403        201   403
create_token            403       403        403   403
"""

ROLE_REQUESTS = {
    "get_session": ("GET", "/session", None),
    "list_formats": ("GET", "/formats", None),
    "own_backlog": ("GET", "/backlog", None),
    "practice_backlog": ("GET", "/backlog?whole_practice=true", None),
    "add_client": ("POST", "/clients", {"name": "Role Client"}),
    "audit_trail": ("GET", "/audit", None),
    "list_users": ("GET", "/users", None),
    "add_user": ("POST", "/users", {"username": "{username}", "password": PASSWORD, "display_name": "New Person"}),
    "create_token": ("POST", "/tokens", {"name": "a script"}),
}


def role_cells():
    for name, *expected in (line.split() for line in ROLE_ONLY.strip().splitlines()):
        for role, want in zip(("clinician", "supervisor", "owner", "auditor"), expected):
            yield pytest.param(name, role, int(want), id=f"{name}-{role}")


@pytest.mark.parametrize("endpoint, role, want", list(role_cells()))
def test_role_matrix(world, endpoint, role, want):
    import uuid
    method, path, body = ROLE_REQUESTS[endpoint]
    response = world.http.request(method, "/api/v1" + path, headers=world.headers[role],
                                  json=fill(body, {"username": f"new-{uuid.uuid4().hex[:8]}"}))
    assert response.status_code == want, response.text
