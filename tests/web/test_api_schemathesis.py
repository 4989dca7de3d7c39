"""schemathesis against a running `afternote serve` (uvicorn in a subprocess on a loopback port), signed in with
an API token: no 5xx and no response that breaks the OpenAPI document. A bounded run here; the full run is
benchmarks/schemathesis_full.py (figures in docs/performance.md)."""
from testkit.records import make_clinic
from testkit.server import run_schemathesis, running_server, server_env
from afternote.workflow import tokens


def test_generated_requests_get_no_5xx_and_match_the_schema(db, database_url, keyring, tmp_path):
    clinic = make_clinic(db)
    _view, secret = tokens.create(db, clinic.owner, "schemathesis")
    with running_server(server_env(database_url, keyring, tmp_path), log=tmp_path / "server.log") as base:
        code, cases, output = run_schemathesis(base, secret, tmp_path, max_examples=3)
    assert code == 0, output[-8000:]
    assert cases >= 150, output[-3000:]
