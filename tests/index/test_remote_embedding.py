"""The remote embedder against httpx's own fake transport: prompts applied here, batches sent
several at once and put back in order, 429 and 5xx tried again, every other refusal one clear
error. (Against a real Infinity server: test_embedding_server.py.)"""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from index.errors import ModelError
from index.remote_embedding import RemoteEmbedder

PROMPTS = {"prompts": {"query": "task: search result | query: ", "document": "title: none | text: "}}


@pytest.fixture
def model_folder(tmp_path):
    (tmp_path / "config_sentence_transformers.json").write_text(json.dumps(PROMPTS), encoding="utf-8")
    return tmp_path


def vector_of(text: str, size: int = 4) -> list[float]:
    """A vector that says which text it is for: its length is the text's, unnormalised."""
    return [float(len(text))] + [1.0] * (size - 1)


class FakeServer:
    """An embeddings endpoint: answers with ``vector_of`` each input, after the scripted failures."""

    def __init__(self, *failures: int, size: int = 4, models: tuple[str, ...] = ("embeddinggemma-300m",)) -> None:
        self.failures = list(failures)
        self.size = size
        self.models = models
        self.bodies: list[dict] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": name} for name in self.models]})
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            failure = self.failures.pop(0) if self.failures else 0
        try:
            if failure:
                return httpx.Response(failure, headers={"retry-after": "0"}, json={"error": "busy, key sk-secret"})
            body = json.loads(request.content)
            self.bodies.append(body)
            threading.Event().wait(0.01)  # long enough for requests to overlap
            data = [{"index": i, "embedding": vector_of(text, self.size)} for i, text in enumerate(body["input"])]
            return httpx.Response(200, json={"data": list(reversed(data))})  # out of order, as servers may
        finally:
            with self.lock:
                self.in_flight -= 1


def embedder(server, folder, **options) -> RemoteEmbedder:
    options = {"batch_size": 2, "concurrency": 3, "retries": 2} | options
    return RemoteEmbedder(
        "http://embed.test/v1",
        model="embeddinggemma-300m",
        tokenizer_folder=folder,
        transport=httpx.MockTransport(server),
        tokenize=str.split,
        **options,
    )


def test_prompts_are_applied_here_and_batches_come_back_in_order(model_folder, monkeypatch):
    monkeypatch.setattr("index.remote_embedding._backoff", lambda *args: 0.0)
    server = FakeServer()
    remote = embedder(server, model_folder)
    texts = [f"Satz {'x' * n}" for n in range(7)]
    vectors = remote.embed_documents(texts)
    expected = [len("title: none | text: " + text) for text in texts]
    assert all(abs(sum(x * x for x in v) - 1) < 1e-9 for v in vectors)
    lengths = [v[0] / v[1] for v in vectors]  # undo the normalisation: the text's length
    assert [round(length) for length in lengths] == expected
    assert [len(body["input"]) for body in server.bodies] == [2, 2, 2, 1]
    assert server.most_in_flight > 1 and all(body["model"] == "embeddinggemma-300m" for body in server.bodies)
    query = remote.embed_query("Wie viele Läden?")
    assert round(query[0] / query[1]) == len("task: search result | query: Wie viele Läden?")
    assert remote.tokenize("zwei Wörter") == ["zwei", "Wörter"]
    assert remote.name == "embeddinggemma-300m (OpenAI-compatible API)"


def test_busy_and_failing_servers_are_tried_again(model_folder, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr("index.remote_embedding.time.sleep", waits.append)
    remote = embedder(FakeServer(429, 503), model_folder)
    assert len(remote.embed_documents(["eins"])) == 1
    assert waits == [0.5, 1.0]  # Retry-After 0 asks for no more than the backoff


def test_a_server_that_stays_busy_is_one_clear_error(model_folder, monkeypatch):
    monkeypatch.setattr("index.remote_embedding.time.sleep", lambda seconds: None)
    with pytest.raises(ModelError, match=r"answered HTTP 503 3 times") as error:
        embedder(FakeServer(503, 503, 503), model_folder).embed_documents(["eins"])
    assert "sk-secret" not in str(error.value)  # the server's own text is never shown


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (401, "refused the API key.*ARTICLE_QA_EMBEDDER_API_KEY"),
        (404, "no model 'embeddinggemma-300m'.*ARTICLE_QA_EMBEDDER_URL.*It serves: embeddinggemma-300m, other"),
        (400, "refused the request for model 'embeddinggemma-300m'.*It serves: embeddinggemma-300m, other"),
    ],
)
def test_a_wrong_url_model_or_key_is_one_clear_error(model_folder, status, says):
    with pytest.raises(ModelError, match=says):
        embedder(FakeServer(status, models=("embeddinggemma-300m", "other")), model_folder).embed_query("Frage")


def test_a_model_the_server_does_not_list_is_refused_before_anything_is_embedded(model_folder):
    server = FakeServer(models=("bge-m3", "e5-large"))
    with pytest.raises(ModelError, match="does not serve 'embeddinggemma-300m'; it serves: bge-m3, e5-large"):
        embedder(server, model_folder).embed_documents(["eins"])
    assert server.bodies == []


def test_an_unreachable_server_is_one_clear_error(model_folder, monkeypatch):
    monkeypatch.setattr("index.remote_embedding.time.sleep", lambda seconds: None)

    def refuse(request):
        raise httpx.ConnectError("connection refused")

    with pytest.raises(ModelError, match=r"Could not reach the embeddings server at http://embed.test/v1 .*3 tries"):
        embedder(refuse, model_folder).embed_query("Frage")


def test_vectors_of_two_sizes_from_one_server_are_refused(model_folder):
    server = FakeServer(size=4)
    remote = embedder(server, model_folder)
    remote.embed_query("eins")
    server.size = 8
    with pytest.raises(ModelError, match="vectors of 8 and of 4 numbers"):
        remote.embed_query("zwei")


def test_the_settings_choose_the_remote_embedder(tmp_path):
    from rag.parts import open_embedder
    from rag.settings import Settings

    settings = Settings.from_env(
        {
            "ARTICLE_QA_HOME": str(tmp_path),
            "ARTICLE_QA_EMBEDDER": str(tmp_path),  # not the default model: nothing to verify
            "ARTICLE_QA_EMBEDDER_URL": "http://127.0.0.1:7997",
            "ARTICLE_QA_EMBEDDER_MODEL": "served-name",
            "ARTICLE_QA_EMBEDDER_API_KEY": "key-123",
        }
    )
    remote = open_embedder(settings)
    assert isinstance(remote, RemoteEmbedder) and remote.model == "served-name"
    assert "key-123" not in repr(settings)
