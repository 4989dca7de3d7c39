"""Language-model engines, `local` (a GGUF file through llama.cpp) and `openai` (an OpenAI-compatible server).

Extract, then write: the statements are already read and placed in the format's sections; the model only rewrites
each section's statements as clinical prose. It sees the numbered statements and the format's section guidance,
nothing else (no session details, no names from the schedule), and answers in JSON that follows a schema built from
the format: per section, sentences with the ids of the statements they rest on, only ids of that section.

The model is never trusted: every sentence is verified against the statements it cites; citations of unknown ids
are dropped (a sentence left without sources is flagged); a statement no supported sentence covers is written by the
builtin engine, so nothing the clinician typed, least of all risk, silently disappears. A reply that is not usable
JSON is retried once; then the engine raises EngineFailed and the pipeline shows the builtin draft with a notice.
"""
from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from afternote.backends import Backend, BackendFailed, BackendTimeout, Request
from afternote.drafting.engine import EngineFailed, SectionCallback
from afternote.drafting.placing import section_plan
from afternote.drafting.provenance import verify_sentence
from afternote.reading.statements import Statement
from afternote.formats import Format
from afternote.note import NoteSection, Sentence
from afternote.plugins import hookimpl
from afternote.session import Session

SYSTEM = (
    "You turn a psychotherapist's key points into the sections of a progress note. "
    "Write clinical language: third person (\"Client reported ...\", \"Clinician used ...\"), past tense, complete "
    "sentences, non-stigmatizing words. Use only the facts in the numbered statements: add no fact, number, time, "
    "diagnosis, medication, quotation, risk statement or mental-status finding that they do not contain, keep every "
    "denial a denial, keep quoted words verbatim, expand shorthand only when its meaning is certain. "
    "Write each statement in the section it is listed under; a section without statements gets an empty list. "
    "Every sentence lists in \"sources\" the numbers of the statements it rests on, and in \"actor\" who its subject "
    "is: each statement shows its person in parentheses (client, clinician, both, another person by role, none); "
    "write the sentence about that person and no other. "
    "Answer with one JSON object and nothing else."
)
_THINK = re.compile(r"<think>.*?(</think>|$)", re.S | re.I)
_TIMEOUT: ContextVar[float | None] = ContextVar("afternote_llm_timeout", default=None)


@contextlib.contextmanager
def timeout_override(seconds: float | None) -> Iterator[None]:
    """Within the block, language-model drafts get `seconds` (`afternote draft --timeout`) instead of the engine's
    or AFTERNOTE_LLM_TIMEOUT; None changes nothing. Per thread and task, so other drafts keep their own."""
    token = _TIMEOUT.set(seconds)
    try:
        yield
    finally:
        _TIMEOUT.reset(token)


# -- what the model is asked -------------------------------------------------------------------------------------

# who a sentence is about, as the model declares it: the reading's actors, "none" where no person is the subject
SENTENCE_ACTORS = ("client", "clinician", "both", "other", "none")


def person_of(statement: Statement) -> str:
    """The statement's person as the prompt shows it: "client", "clinician", "both", "mother" (a role), "none"."""
    if statement.actor == "other":
        return statement.role or "other"
    return statement.actor or "none"


def note_schema(fmt: Format, plan: dict[str, list[Statement]]) -> dict[str, Any]:
    """JSON schema of the answer: one key per section, sentences citing only that section's statement ids."""
    properties: dict[str, Any] = {}
    for section in fmt.sections:
        ids = [s.id for s in plan[section.key]]
        if not ids:
            properties[section.key] = {"type": "array", "maxItems": 0, "const": []}  # const: llama.cpp's grammar ignores maxItems without items
            continue
        properties[section.key] = {
            "type": "array", "maxItems": len(ids),
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "sources": {"type": "array", "items": {"enum": ids}, "minItems": 1, "maxItems": len(ids)},
                    "actor": {"enum": list(SENTENCE_ACTORS)},
                },
                "required": ["text", "sources", "actor"],
                "additionalProperties": False,
            },
        }
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def build_messages(fmt: Format, plan: dict[str, list[Statement]]) -> list[dict[str, str]]:
    """The prompt: fixed instructions, the format's sections and guidance, the numbered statements. Nothing else."""
    parts = [f"Format: {fmt.name}.", ""]
    for section in fmt.sections:
        parts.append(f"Section \"{section.key}\" ({section.title}): {section.guidance}")
        held = plan[section.key]
        parts.extend(f"[{s.id}] ({person_of(s)}) {s.text}" for s in held) if held else parts.append("(no statements)")
        parts.append("")
    example = {section.key: ([{"text": "...", "sources": [plan[section.key][0].id],
                               "actor": person_of(plan[section.key][0])}] if plan[section.key] else [])
               for section in fmt.sections}
    parts.append("Answer as JSON shaped like: " + json.dumps(example))
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "\n".join(parts)}]


def max_tokens_for(fmt: Format, statements: Sequence[Statement], cap: int) -> int:
    """Room for every statement to become a sentence and every section its JSON, so notes are not cut off."""
    words = sum(len(s.text.split()) for s in statements)
    return max(128, min(cap, 24 * len(fmt.sections) + 16 * len(statements) + 3 * words + 64))


# -- reading the answer ------------------------------------------------------------------------------------------

class SectionScanner:
    """Reads the answer as it streams and knows which top-level sections are complete.

    Skips reasoning (<think>...</think>) and anything before the first "{", tracks strings and nesting, and so can
    parse the object up to its last complete section even when the answer was cut off.
    """

    def __init__(self) -> None:
        self.text = ""
        self._pos = 0
        self._depth = 0
        self._in_string = self._escape = False
        self.start: int | None = None
        self.cut: int | None = None  # end of the last complete top-level value
        self.end: int | None = None  # end of the whole object

    def feed(self, chunk: str) -> bool:
        """Add text; True when a further top-level section has been completed by it."""
        self.text += chunk
        before = self.cut
        if self.start is None:
            visible = _THINK.sub(lambda m: " " * len(m.group(0)), self.text)
            if "<think>" in self.text.lower() and "</think>" not in self.text.lower():
                return False
            brace = visible.find("{", self._pos)
            if brace < 0:
                self._pos = len(self.text)
                return False
            self.start, self._pos = brace, brace
        text = self.text
        i = self._pos
        while i < len(text) and self.end is None:
            ch = text[i]
            if self._in_string:
                if self._escape:
                    self._escape = False
                elif ch == "\\":
                    self._escape = True
                elif ch == '"':
                    self._in_string = False
            elif ch == '"':
                self._in_string = True
            elif ch in "{[":
                self._depth += 1
            elif ch in "}]":
                self._depth -= 1
                if self._depth == 1:
                    self.cut = i + 1
                elif self._depth == 0:
                    self.end = i + 1
            i += 1
        self._pos = i
        return self.cut != before

    def parsed(self) -> dict | None:
        """The object so far: whole if complete and valid, else up to its last complete section; None if nothing."""
        if self.start is None:
            return None
        candidates = []
        if self.end is not None:
            candidates.append(self.text[self.start:self.end])
        if self.cut is not None:
            candidates.append(self.text[self.start:self.cut] + "}")
        for candidate in candidates:
            try:
                value = json.loads(candidate, strict=False)  # strict=False: raw control characters in strings
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
        return None


def read_reply(text: str) -> tuple[dict | None, bool]:
    """The answer's object (leniently) and whether it was complete."""
    scanner = SectionScanner()
    scanner.feed(text)
    value = scanner.parsed()
    return value, scanner.end is not None and value is not None


def _ids(value: Any) -> list[int]:
    """Statement ids from a model's `sources`: integers, or strings such as "3" or "[3]"."""
    items = value if isinstance(value, list) else [value]
    ids = []
    for item in items:
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            ids.append(item)
        elif isinstance(item, str) and (m := re.fullmatch(r"\s*\[?\s*(\d+)\s*\]?\s*", item)):
            ids.append(int(m.group(1)))
    return ids


_STOP = {"the", "and", "for", "with", "was", "were", "has", "had", "have", "that", "this", "from", "his", "her",
         "their", "they", "she", "client", "clinician", "reported", "reports", "report", "session", "patient", "pt"}


def _stems(text: str) -> set[str]:
    """Content words, cut to five letters so "fidgeting" meets "fidgety" and "reports" meets "reported"."""
    from afternote.drafting.language import expand_shorthand

    words = re.findall(r"[a-z0-9]+", (text + " " + expand_shorthand(text)).lower())
    return {w[:5] for w in words if (len(w) >= 3 or w.isdigit()) and w not in _STOP}


def mentions(text: str, statement: Statement, share: float) -> bool:
    """Whether a sentence says what a statement says: at least `share` of the statement's content words."""
    wanted = _stems(statement.text)
    if not wanted:
        return True
    return len(wanted & _stems(text)) >= max(1, share * len(wanted))


def model_sentences(value: Any, held: Sequence[Statement]) -> list[tuple[Sentence, str | None]]:
    """The model's sentences for one section, each with the actor the model declared for it. Citations outside the
    section's statements, or of a statement the sentence does not mention at all, are dropped; a sentence left
    without any is then flagged by verification."""
    by_id = {s.id: s for s in held}
    sentences = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        text = " ".join(_THINK.sub(" ", item["text"]).split())
        if not text:
            continue
        ids = list(dict.fromkeys(i for i in _ids(item.get("sources")) if i in by_id and mentions(text, by_id[i], 0)))
        actor = item.get("actor")
        sentences.append((Sentence(text=text, statement_ids=ids, sources=[by_id[i].span for i in ids]),
                          actor if actor in SENTENCE_ACTORS else None))
    return sentences


def actor_mismatch(declared: str | None, cited: Sequence[Statement]) -> str | None:
    """The problem when the model says a sentence is about someone its statements are not about."""
    actors = {s.actor or "none" for s in cited}
    if declared is None or not cited or declared in actors or (declared == "both" and "both" in actors):
        return None
    return f"the model wrote it about the {declared}; the key points say the {' or the '.join(sorted(actors))}"


# -- the engine --------------------------------------------------------------------------------------------------

class LanguageModelEngine:
    """An engine over a Backend; `backend_factory` is called at draft time (settings may change between drafts)."""

    def __init__(self, name: str, backend_factory: Callable[[], Backend], timeout: float | None = None,
                 max_tokens: int | None = None):
        self.name = name
        self.backend_factory = backend_factory
        self.timeout = timeout
        self.max_tokens = max_tokens
        self._active: set[threading.Event] = set()
        self._lock = threading.Lock()

    def cancel(self) -> None:
        """Stop every draft this engine is writing; each then falls back to the builtin draft with a notice."""
        with self._lock:
            for event in self._active:
                event.set()

    def write(self, summary: str, statements: Sequence[Statement], fmt: Format, session: Session,
              on_section: SectionCallback | None = None) -> list[NoteSection]:
        from afternote.config import settings

        backend = self.backend_factory()  # a setup problem (no model, no package) raises EngineError
        plan = section_plan(statements, fmt)
        messages = build_messages(fmt, plan)
        limits = settings()
        request = Request(messages=messages, schema=note_schema(fmt, plan) if backend.supports_schema else None,
                          max_tokens=max_tokens_for(fmt, statements, self.max_tokens or limits.llm_max_tokens),
                          timeout=_TIMEOUT.get() or self.timeout or limits.llm_timeout)
        writer = _SectionWriter(summary, statements, fmt, session, plan, on_section)
        with self._lock:
            self._active.add(request.cancel)
        try:
            reply = self._ask(backend, request, writer)
            if reply is None:  # not usable: once more, reminded of the shape
                retry = Request(messages=messages + [{"role": "user", "content": (
                    "Your answer was not the JSON object asked for. Answer again with only that JSON object, "
                    "keys: " + ", ".join(fmt.keys) + ".")}], schema=request.schema, max_tokens=request.max_tokens,
                    timeout=request.timeout, cancel=request.cancel)
                reply = self._ask(backend, retry, writer)
            if reply is None:
                raise EngineFailed(f"the {self.name} model's answer was not valid JSON for the note, twice")
        except BackendTimeout as exc:
            raise EngineFailed(f"{exc}; allow more time with afternote draft --timeout SECONDS or "
                               "AFTERNOTE_LLM_TIMEOUT, or use a faster model") from None
        except BackendFailed as exc:
            raise EngineFailed(str(exc)) from None
        finally:
            with self._lock:
                self._active.discard(request.cancel)
        return writer.finish(reply)

    def _ask(self, backend: Backend, request: Request, writer: "_SectionWriter") -> dict | None:
        """Stream one answer, handing complete sections to the writer; the usable object, or None."""
        scanner = SectionScanner()
        for chunk in backend.stream(request):
            if scanner.feed(chunk):  # a further section is complete: hand it on while the rest is written
                partial = scanner.parsed()
                if partial:
                    writer.stream(partial)
        value = scanner.parsed()
        if not value or not any(key in value for key in writer.fmt.keys):
            return None
        return value


class _SectionWriter:
    """Turns the model's sections into NoteSections as they complete, verified and with nothing left out."""

    def __init__(self, summary: str, statements: Sequence[Statement], fmt: Format, session: Session,
                 plan: dict[str, list[Statement]], on_section: SectionCallback | None):
        self.summary, self.fmt, self.session, self.plan = summary, fmt, session, plan
        self.on_section = on_section
        self.by_id = {s.id: s for s in statements}
        self.done: dict[str, NoteSection] = {}
        self.rewritten = 0  # the model's sentences that failed verification

    def stream(self, value: dict) -> None:
        """Emit, in format order, the sections `value` holds complete; stop at the first it does not hold yet."""
        for key in self.fmt.keys:
            if key in self.done:
                continue
            if key not in value:
                return
            self._emit(key, value[key])

    def _emit(self, key: str, raw: Any) -> None:
        spec = next(s for s in self.fmt.sections if s.key == key)
        held = self.plan[key]
        written = []
        for sentence, declared in model_sentences(raw, held):
            verify_sentence(sentence, self.by_id, self.summary)
            if problem := actor_mismatch(declared, [self.by_id[i] for i in sentence.statement_ids]):
                sentence.supported, sentence.problems = False, [*sentence.problems, problem]
            written.append(sentence)
        # a sentence that fails verification is not kept: its statements are written by the builtin writer instead
        sentences = [s for s in written if s.supported]
        self.rewritten += len(written) - len(sentences)
        # covered: cited by a kept sentence that carries at least half of the statement's content words
        covered = {i for s in sentences for i in s.statement_ids if mentions(s.text, self.by_id[i], 0.5)}
        missing = [s for s in held if s.id not in covered]
        if missing:
            sentences.extend(_builtin_sentences(self.summary, missing, self.fmt, self.session, key))
            sentences.sort(key=lambda s: min(s.statement_ids, default=10**9))  # in the order of the key points
        section = NoteSection(key=key, title=spec.title, sentences=sentences, empty_text=spec.empty,
                              loinc=spec.loinc)
        self.done[key] = section
        if self.on_section:
            self.on_section(section)

    def finish(self, value: dict) -> list[NoteSection]:
        for key in self.fmt.keys:
            if key not in self.done:
                self._emit(key, value.get(key))
        return [self.done[key] for key in self.fmt.keys]


def _builtin_sentences(summary: str, statements: Iterable[Statement], fmt: Format, session: Session,
                       key: str) -> list[Sentence]:
    """The builtin engine's sentences for statements the model left out, in the section they belong to."""
    from afternote import plugins

    sections = plugins.engines()["builtin"].write(summary, list(statements), fmt, session)
    sentences = [sentence for section in sections if section.key == key for sentence in section.sentences]
    for sentence in sentences:
        sentence.written_by = "builtin"
    return sentences


# -- registration ------------------------------------------------------------------------------------------------

def local_backend() -> Backend:
    from afternote.backends.llamacpp import LlamaCppBackend
    from afternote.backends.registry import resolve_model
    from afternote.config import settings

    config = settings()
    return LlamaCppBackend(resolve_model(config.data_dir, config.model), n_ctx=config.model_context)


_openai_backends: dict[tuple, Backend] = {}


def openai_backend() -> Backend:
    from afternote.backends.openai_compat import OpenAICompatBackend
    from afternote.config import settings
    from afternote.errors import EngineError

    config = settings()
    if not config.openai_model:
        raise EngineError("the openai engine needs a model name: set AFTERNOTE_OPENAI_MODEL (for Ollama, e.g. "
                          "qwen2.5:7b-instruct) and AFTERNOTE_OPENAI_BASE_URL. See docs/engines.md.")
    key = (config.openai_base_url, config.openai_model, config.openai_api_key, config.openai_baa)
    if key not in _openai_backends:  # keep the client (and what response_format the server takes) across notes
        _openai_backends[key] = OpenAICompatBackend(config.openai_base_url, config.openai_model,
                                                    config.openai_api_key, config.openai_baa)
    return _openai_backends[key]


@hookimpl
def register_engines(register):
    register(LanguageModelEngine("local", local_backend))
    register(LanguageModelEngine("openai", openai_backend))
