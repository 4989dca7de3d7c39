"""The openai backend against a real OpenAI-compatible server (llama.cpp's, on loopback) and its endpoint rules."""
from __future__ import annotations

import logging
import socket

import pytest

from afternote.backends import BackendCancelled, Request, complete
from afternote.backends.openai_compat import OpenAICompatBackend, check_endpoint, endpoint_kind
from afternote.config import settings
from afternote.drafting import llm
from afternote.reading.reader import read_statements
from afternote.drafting.llm import note_schema, read_reply
from afternote.drafting.placing import section_plan
from afternote.drafting.pipeline import draft
from afternote.errors import EngineError
from afternote.formats import get_format

SUMMARY = "Client reports low mood. Denies SI.\nPlan: next session in 1 week."


@pytest.fixture
def openai_settings(llama_server, monkeypatch, tmp_path):
    monkeypatch.setenv("AFTERNOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AFTERNOTE_OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("AFTERNOTE_OPENAI_MODEL", "smollm2")  # llama.cpp's server answers with its one model
    monkeypatch.setenv("AFTERNOTE_LLM_MAX_TOKENS", "320")
    monkeypatch.setenv("AFTERNOTE_LLM_TIMEOUT", "60")
    settings.cache_clear()
    llm._openai_backends.clear()
    yield llama_server
    settings.cache_clear()
    llm._openai_backends.clear()


def schema_request() -> tuple[Request, dict]:
    fmt = get_format("soap")
    plan = section_plan(read_statements(SUMMARY), fmt)
    schema = note_schema(fmt, plan)
    return Request(messages=llm.build_messages(fmt, plan), schema=schema, max_tokens=300, timeout=60), schema


def test_schema_constrained_answer_from_a_real_server(llama_server):
    backend = OpenAICompatBackend(llama_server, "smollm2")
    request, schema = schema_request()
    reply = complete(backend, request)
    value, whole = read_reply(reply.text)
    assert whole and set(value) == set(schema["properties"])
    for key, rule in schema["properties"].items():
        allowed = rule.get("items", {}).get("properties", {}).get("sources", {}).get("items", {}).get("enum", [])
        assert all(i in allowed for item in value[key] for i in item["sources"])
    # llama.cpp's server refuses OpenAI's json_schema form; the backend stepped down to its json_object + schema
    assert backend._STYLES[backend._style] == "json_object_schema" and backend.supports_schema


def test_openai_engine_through_the_pipeline(openai_settings):
    streamed = []
    note = draft(SUMMARY, "soap", engine="openai", on_section=lambda s: streamed.append(s.key))
    assert note.engine == "openai", note.notices
    assert streamed == ["subjective", "objective", "assessment", "plan"]
    ids = {s.id for s in read_statements(SUMMARY)}
    for sentence in (s for sec in note.sections for s in sec.sentences):
        assert set(sentence.statement_ids) <= ids
        assert sentence.sources or not sentence.supported  # nothing to point at: flagged


def test_cancel_stops_the_stream(llama_server):
    backend = OpenAICompatBackend(llama_server, "smollm2")
    request = Request(messages=[{"role": "user", "content": "Count from 1 to 200."}], max_tokens=300, timeout=60)
    chunks = []
    with pytest.raises(BackendCancelled):
        for chunk in backend.stream(request):
            chunks.append(chunk)
            request.cancel.set()
    assert len(chunks) == 1


def test_a_dead_server_gives_the_builtin_draft_and_a_clear_notice(monkeypatch, tmp_path):
    with socket.socket() as sock:  # a port nobody listens on once the socket is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("AFTERNOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AFTERNOTE_OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("AFTERNOTE_OPENAI_MODEL", "any")
    settings.cache_clear()
    llm._openai_backends.clear()
    try:
        note = draft(SUMMARY, "soap", engine="openai")
    finally:
        settings.cache_clear()
        llm._openai_backends.clear()
    assert note.engine == "builtin"
    assert "cannot reach the server at 127.0.0.1" in note.notices[0]
    assert "low mood" not in note.notices[0]


def test_no_model_name_is_a_setup_error(monkeypatch, tmp_path):
    monkeypatch.setenv("AFTERNOTE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AFTERNOTE_OPENAI_MODEL", raising=False)
    settings.cache_clear()
    try:
        with pytest.raises(EngineError, match="AFTERNOTE_OPENAI_MODEL"):
            draft(SUMMARY, "soap", engine="openai")
    finally:
        settings.cache_clear()


@pytest.mark.parametrize(("url", "kind"), [
    ("http://127.0.0.1:11434/v1", "loopback"), ("http://localhost:8000/v1", "loopback"),
    ("http://[::1]:8000/v1", "loopback"), ("http://192.168.1.20:11434/v1", "private"),
    ("http://10.0.0.5/v1", "private"), ("http://llm-box:8000/v1", "private"),
    ("https://ollama.practice.lan/v1", "private"), ("https://api.openai.com/v1", "public"),
    ("http://8.8.8.8/v1", "public"), ("https://llm.example.com/v1", "public"),
])
def test_endpoint_kind(url, kind):
    assert endpoint_kind(url) == kind


def test_a_cloud_endpoint_needs_a_business_associate_agreement():
    with pytest.raises(EngineError, match="AFTERNOTE_OPENAI_BAA"):
        check_endpoint("https://api.openai.com/v1", baa=False)
    assert check_endpoint("https://api.openai.com/v1", baa=True) == "public"


def test_plain_http_off_this_computer_is_warned_about(caplog):
    with caplog.at_level(logging.WARNING, logger="afternote.backends"):
        check_endpoint("http://192.168.1.20:11434/v1", baa=False)
        check_endpoint("http://127.0.0.1:11434/v1", baa=False)
        check_endpoint("https://192.168.1.20/v1", baa=False)
    assert len(caplog.records) == 1 and "192.168.1.20" in caplog.records[0].getMessage()


def test_not_a_url_is_refused():
    with pytest.raises(EngineError, match="http"):
        check_endpoint("ftp://example.org", baa=True)
