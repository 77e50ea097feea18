import socket

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
