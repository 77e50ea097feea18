import json
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator

import pytest

from rag import BackendError
from rag.backends import OpenAICompatibleBackend


def test_an_unreachable_server_is_a_clear_error_without_the_api_key():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    backend = OpenAICompatibleBackend(f"http://127.0.0.1:{port}/v1", api_key="sk-secret-123")
    with pytest.raises(BackendError) as raised:
        list(backend.stream_chat([{"role": "user", "content": "hi"}], max_tokens=5))
    assert "ARTICLE_QA_LLM_URL" in str(raised.value)
    assert "sk-secret-123" not in str(raised.value)


@contextmanager
def model_server(status: int, answer: Callable[[dict], dict]) -> Iterator[str]:
    """A model server on 127.0.0.1 that answers every POST with ``status`` and ``answer(headers)`` as JSON."""

    class Answering(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.dumps(answer(dict(self.headers))).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1"
    finally:
        server.shutdown()


def test_an_error_body_of_the_server_never_reaches_a_message_or_log(caplog):
    """It may echo the API key, or hold what the server's owner hides (the UI showed a probe 'TOP-SECRET')."""
    echo = lambda headers: {"error": f"TOP-SECRET bad key in {headers['Authorization']}"}  # noqa: E731
    with model_server(401, echo) as url:
        backend = OpenAICompatibleBackend(url, api_key="sk-secret-123")
        with caplog.at_level("DEBUG"), pytest.raises(BackendError) as raised:
            list(backend.stream_chat([{"role": "user", "content": "hi"}], max_tokens=5))
    assert "HTTP 401" in str(raised.value) and "ARTICLE_QA_LLM_URL" in str(raised.value)
    assert not any(
        secret in text for secret in ("sk-secret-123", "TOP-SECRET") for text in (str(raised.value), caplog.text)
    )


def test_the_prefix_state_is_named_by_model_and_messages_and_used_only_when_its_hash_matches(tmp_path):
    from rag.backends import LlamaCppBackend, _verified

    model = tmp_path / "model.gguf"
    model.write_bytes(b"weights")
    backend = LlamaCppBackend(model, prefix_cache=tmp_path / "cache")
    first = backend._prefix_state([{"role": "system", "content": "rules"}])
    assert first == backend._prefix_state([{"role": "system", "content": "rules"}])
    assert first != backend._prefix_state([{"role": "system", "content": "other rules"}])
    slots = LlamaCppBackend(model, prefix_cache=tmp_path / "cache", parallel=2)._prefix_state([])
    assert slots is not None and slots != backend._prefix_state([])  # restored only with as many slots
    assert LlamaCppBackend(model)._prefix_state([]) is None  # no cache folder: always computed

    (tmp_path / "cache").mkdir()
    first.write_bytes(b"kv state")
    assert not _verified(first)  # no hash: a save that never finished
    from index.checksums import sha256_of

    first.with_name(first.name + ".sha256").write_text(sha256_of(first))
    assert _verified(first)
    first.write_bytes(b"kv stat")  # truncated after its check
    assert not _verified(first)


def test_a_prompt_over_the_models_context_is_a_question_error_naming_the_limit():
    from rag import QuestionError

    error = {"code": 400, "message": "TOP-SECRET", "type": "exceed_context_size_error"}  # llama.cpp's, and a secret
    with model_server(400, lambda _: {"error": {**error, "n_prompt_tokens": 5230, "n_ctx": 4096}}) as url:
        with pytest.raises(QuestionError) as raised:
            list(OpenAICompatibleBackend(url).stream_chat([{"role": "user", "content": "hi"}], max_tokens=5))
    assert str(raised.value) == (
        "The question, its passages and the chat history come to 5,230 tokens, over the model's context of 4,096. "
        "Ask with less history, or set ARTICLE_QA_BUDGET_TOKENS lower."
    )
