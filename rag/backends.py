"""Language model backends behind one Protocol: the in-process GGUF model and any
OpenAI-compatible chat endpoint. Both stream text as it is generated."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from index.checksums import sha256_of
from index.errors import BackendError, ModelError, QuestionError
from rag.gate import FifoGate, in_turn

Message = dict[str, str]
_RETRY = "Ask again; if it happens again, run `article-qa models check`."


class Piece(str):
    """A piece of a reply with its log-probability (the sum of its tokens'), when the backend
    gives one: the model's own belief in what it wrote (``rag.answer.confidence``). A backend
    without it yields plain strings."""

    logprob: float | None

    def __new__(cls, text: str, logprob: float | None = None) -> "Piece":
        piece = super().__new__(cls, text)
        piece.logprob = logprob
        return piece


def piece_of(text: str, choice: dict) -> str:
    """A delta's text with the log-probabilities of its tokens, as OpenAI's and llama.cpp's chat APIs send them."""
    tokens = (choice.get("logprobs") or {}).get("content") or []
    found = [token.get("logprob") for token in tokens if isinstance(token, dict)]
    logprobs = [float(logprob) for logprob in found if isinstance(logprob, (int, float))]
    if not logprobs or len(logprobs) != len(found):
        return text
    return Piece(text, sum(logprobs))


class ChatBackend(Protocol):
    @property
    def name(self) -> str: ...

    def stream_chat(self, messages: Sequence[Message], *, max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        """Yield pieces of the reply; greedy decoding, so the same prompt gives the same reply.
        A piece may be a ``Piece``, carrying its log-probability.

        ``grammar`` (llama.cpp GBNF) constrains the reply's shape where the backend supports it.
        """

    def read_prefix(self, messages: Sequence[Message]) -> str:
        """Have the model read ``messages`` (the fixed start of every prompt) ahead of the first
        question, so that later prompts reuse it where the backend caches prompts; says how."""


class LlamaCppBackend:
    """A GGUF model run in this process by xllamacpp (llama.cpp's server, continuous batching).

    The model loads on first use (``warm_up``). llama.cpp also listens on a random loopback
    port; nothing outside this machine can reach it. ``parallel`` generations run at once (its
    slots, each with ``context_tokens`` of context); further callers wait at a first-come,
    first-served gate (``rag.gate``), not in llama.cpp's own queue, where a request whose
    caller has given up is still read through a whole prompt.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        threads: int = 0,
        context_tokens: int = 4096,
        parallel: int = 1,
        prefix_cache: Path | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.threads = threads
        self.context_tokens = context_tokens
        self.parallel = parallel
        self.prefix_cache = prefix_cache  # a folder for llama.cpp's saved state of the fixed prompt prefix
        self._server = None
        self._lock = threading.Lock()
        self.gate = FifoGate(parallel)

    @property
    def name(self) -> str:
        return self.model_path.name

    def warm_up(self):
        with self._lock:
            if self._server is None:
                import xllamacpp

                if not self.model_path.is_file():
                    raise ModelError(f"No model file at {self.model_path}. Run `article-qa models pull`.")
                params = xllamacpp.CommonParams()
                params.model.path = str(self.model_path)
                params.n_ctx = self.context_tokens * self.parallel
                params.n_parallel = self.parallel
                params.verbosity = -1  # llama.cpp logs every request to stderr otherwise
                threads = self.threads or os.cpu_count() or 2
                params.cpuparams.n_threads = threads
                params.cpuparams_batch.n_threads = threads
                if self.prefix_cache is not None:
                    self.prefix_cache.mkdir(parents=True, exist_ok=True)
                    params.endpoint_slots = True  # save and restore, on llama.cpp's loopback port only
                    params.slot_save_path = f"{self.prefix_cache}{os.sep}"
                try:
                    self._server = xllamacpp.Server(params)
                except Exception as exc:
                    raise ModelError(
                        f"Could not load {self.model_path}: {exc}. Run `article-qa models check`, "
                        "and `article-qa models pull` if it reports a problem."
                    ) from exc
        return self._server

    def stream_chat(self, messages: Sequence[Message], *, max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        return in_turn(self.gate, self._stream(messages, max_tokens=max_tokens, grammar=grammar))

    def _stream(
        self, messages: Sequence[Message], *, max_tokens: int, grammar: str | None, slot: int | None = None
    ) -> Iterator[str]:
        server = self.warm_up()
        # The prompt cache lets the fixed system prompt and worked examples be read once, not per
        # question.
        request: dict = {
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "stream": True,
            "cache_prompt": True,
            "logprobs": True,  # each token's, for the answer's probability
        }
        if grammar:
            request["grammar"] = grammar
        if slot is not None:
            request["id_slot"] = slot
        pieces: queue.Queue = queue.Queue()
        done = object()
        abandoned = threading.Event()

        def on_chunk(chunk) -> bool:
            pieces.put(chunk)
            return abandoned.is_set()  # True makes llama.cpp stop generating

        def run() -> None:
            try:
                server.handle_chat_completions(request, on_chunk)
            except Exception as exc:  # surfaced to the caller below
                pieces.put(exc)
            finally:
                pieces.put(done)

        threading.Thread(target=run, name="llama-generate", daemon=True).start()
        try:
            while (item := pieces.get()) is not done:
                if isinstance(item, Exception):
                    raise BackendError(f"The language model failed: {item}. {_RETRY}") from item
                if isinstance(item, str):
                    item = json.loads(item)
                if "error" in item:
                    raise _failure(item["error"])
                for choice in item.get("choices", []):
                    text = (choice.get("delta") or {}).get("content")
                    if text:
                        yield piece_of(text, choice)
        finally:  # the reader stopped early (a Stop button, a closed page): so does the model
            abandoned.set()

    def read_prefix(self, messages: Sequence[Message]) -> str:
        """Restore llama.cpp's state after ``messages`` from the prefix cache into every slot
        (milliseconds), or compute it in the first slot (the model reads them: seconds), save it
        for the next process and restore it into the others. The saved state is checked against
        its sha256 before use; whatever does not match is computed again. A stale state is
        harmless: llama.cpp reuses only the tokens a prompt shares."""
        server = self.warm_up()
        state = self._prefix_state(messages)
        slots = range(self.parallel)
        with self.gate.turn(seats=self.parallel):  # no answer is under way while slots are restored or saved
            if state is not None and _verified(state) and all(self._slot(server, n, "restore", state) for n in slots):
                return "restored"
            for _ in self._stream(messages, max_tokens=1, grammar=None, slot=0):
                pass
            if state is not None and self._slot(server, 0, "save", state):
                _hash_file(state).write_text(sha256_of(state))
                for n in slots[1:]:  # a slot without the prefix reads it with its first question
                    self._slot(server, n, "restore", state)
        return "computed"

    def _prefix_state(self, messages: Sequence[Message]) -> Path | None:
        """The state file for these messages on this model, llama.cpp and number of slots (llama.cpp
        restores a slot only from a state saved with as many); None without a cache."""
        if self.prefix_cache is None:
            return None
        import xllamacpp

        model = self.model_path.stat()
        version = xllamacpp.__version__
        key = json.dumps([self.model_path.name, model.st_size, version, self.context_tokens, self.parallel, messages])
        return self.prefix_cache / f"prefix-{hashlib.sha256(key.encode()).hexdigest()[:16]}.bin"

    @staticmethod
    def _slot(server, slot: int, action: str, state: Path) -> bool:
        import httpx

        try:
            answer = httpx.post(
                f"{server.listening_address}/slots/{slot}?action={action}", json={"filename": state.name}, timeout=120
            )
        except httpx.HTTPError:
            return False
        return answer.status_code == 200


def _hash_file(state: Path) -> Path:
    return state.with_name(state.name + ".sha256")


def _verified(state: Path) -> bool:
    check = _hash_file(state)
    return state.is_file() and check.is_file() and check.read_text().strip() == sha256_of(state)


def _failure(error) -> Exception:
    """llama.cpp's error as ours: a prompt over the model's context is the request's fault (a
    QuestionError naming the limit, never llama.cpp's text); anything else, the model's."""
    if isinstance(error, dict) and error.get("type") == "exceed_context_size_error":
        tokens, context = error.get("n_prompt_tokens"), error.get("n_ctx")
        known = isinstance(tokens, int) and isinstance(context, int)
        size = (
            f"{tokens:,} tokens, over the model's context of {context:,}" if known else "more than the model's context"
        )
        return QuestionError(
            f"The question, its passages and the chat history come to {size}. "
            "Ask with less history, or set ARTICLE_QA_BUDGET_TOKENS lower."
        )
    return BackendError(f"The language model failed: {error}. {_RETRY}")


class OpenAICompatibleBackend:
    """Any server that speaks the OpenAI chat completions API (llama.cpp, vLLM, Ollama, ...).

    A grammar is sent (as llama.cpp's ``grammar`` field) only with ``send_grammar``: other
    servers reject or ignore the field, and the prompt alone then asks for the answer's shape.
    """

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "default",
        api_key: str = "",
        timeout_s: float = 600,
        send_grammar: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._api_key = api_key
        self.timeout_s = timeout_s
        self.send_grammar = send_grammar

    @property
    def name(self) -> str:
        return f"{self.model}@{self.base_url}"

    def read_prefix(self, messages: Sequence[Message]) -> str:
        for _ in self.stream_chat(messages, max_tokens=1):  # a server that caches prompts keeps it
            pass
        return "computed"

    def stream_chat(self, messages: Sequence[Message], *, max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        import httpx

        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        body = {
            "model": self.model,
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "stream": True,
            "logprobs": True,  # where the server gives them: the answer's probability
        }
        if grammar and self.send_grammar:
            body["grammar"] = grammar
        url = f"{self.base_url}/chat/completions"
        try:
            with httpx.stream("POST", url, json=body, headers=headers, timeout=self.timeout_s) as response:
                if response.status_code == 400 and (overflow := _context_overflow(response)):
                    raise _failure(overflow)  # only its two numbers are read
                if response.status_code != 200:  # its body is never shown: it may hold what its owner hides
                    raise BackendError(
                        f"The model server at {self.base_url} answered HTTP {response.status_code}. "
                        "Check ARTICLE_QA_LLM_URL and ARTICLE_QA_LLM_MODEL, and that server's own log."
                    )
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[len("data:") :].strip()
                    if data == "[DONE]":
                        break
                    for choice in json.loads(data).get("choices", []):
                        text = (choice.get("delta") or {}).get("content")
                        if text:
                            yield piece_of(text, choice)
        except httpx.HTTPError as exc:
            raise BackendError(
                f"Could not reach the model server at {self.base_url} ({type(exc).__name__}). "
                "Is it running? Check ARTICLE_QA_LLM_URL."
            ) from exc


def _context_overflow(response) -> dict | None:
    """llama.cpp's error for a prompt over the context, when that is what a 400 holds."""
    try:
        body = response.read()[:4096] if int(response.headers.get("Content-Length", "0") or 0) <= 4096 else b""
        error = json.loads(body or b"{}").get("error")
    except (ValueError, AttributeError):
        return None
    return error if isinstance(error, dict) and error.get("type") == "exceed_context_size_error" else None
