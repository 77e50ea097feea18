"""The remote embedder against a real embeddings server: Infinity on 127.0.0.1 serving the pulled
EmbeddingGemma folder (tests/conftest.py starts it). Its vectors must be the local embedder's."""

from __future__ import annotations

import math

import pytest

from index import ChromaStore, ModelError, SentenceTransformerEmbedder, ingest, read_folder
from index.remote_embedding import RemoteEmbedder
from rag import Settings
from rag.parts import open_embedder
from tests.conftest import SERVED_EMBEDDER
from tests.index.test_chroma_store import chunker_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TEXTS = [
    "Innerhalb der nächsten vier Jahre plant Xiaomi die Eröffnung von rund 150 neuen Stores auf dem britischen Markt.",
    "Xiaomi werde dafür einen Online-Shop in den USA eröffnen, kündigte Mitgründer Lin Bin an.",
    "The Bank of England held interest rates at 4% on Thursday.",
    "Kurz",
]


def cosine(first, second) -> float:
    dot = sum(a * b for a, b in zip(first, second))
    return dot / math.sqrt(sum(a * a for a in first) * sum(b * b for b in second))


@pytest.fixture(scope="module")
def remote(embedding_server) -> RemoteEmbedder:
    settings = Settings.from_env({"ARTICLE_QA_EMBEDDER_URL": embedding_server.url})
    embedder = open_embedder(settings)
    assert isinstance(embedder, RemoteEmbedder)
    return embedder


def test_the_servers_vectors_are_the_local_embedders(remote, figure):
    settings = Settings.from_env()
    torch_model = SentenceTransformerEmbedder(str(settings.embedder_model))  # the same fp32 weights, in-process
    onnx_int8 = open_embedder(settings)  # the default: the int8 export
    remote_docs = remote.embed_documents(TEXTS)
    remote_query = remote.embed_query("Wie viele Läden plant Xiaomi in Großbritannien?")
    same_weights = [cosine(a, b) for a, b in zip(remote_docs, torch_model.embed_documents(TEXTS))]
    same_weights.append(
        cosine(remote_query, torch_model.embed_query("Wie viele Läden plant Xiaomi in Großbritannien?"))
    )
    default = [cosine(a, b) for a, b in zip(remote_docs, onnx_int8.embed_documents(TEXTS))]
    figure(
        f"Infinity vs in-process EmbeddingGemma: cosine >= {min(same_weights):.4f} (fp32, same weights), "
        f">= {min(default):.4f} (the default int8 export), over {len(TEXTS)} documents and a query"
    )
    assert min(same_weights) >= 0.99
    assert min(default) >= 0.98  # int8 weights: bench/results/embedder.md measured 0.98 against fp32
    assert remote.tokenize("Xiaomi plant Stores") == onnx_int8.tokenize("Xiaomi plant Stores")


def test_an_index_built_remotely_answers_and_a_switch_of_embedder_reembeds_it(remote, sample_articles, tmp_path):
    articles, _ = read_folder(sample_articles)
    store = ChromaStore.persistent(tmp_path / "chroma")
    local = open_embedder(Settings.from_env())
    first = ingest(articles, store=store, chunker=chunker_for(local), embedder=local)
    switched = ingest(articles, store=store, chunker=chunker_for(remote), embedder=remote)
    assert sorted(switched.updated) == sorted(first.added) and switched.chunks_embedded == first.chunks_embedded
    again = ingest(articles, store=store, chunker=chunker_for(remote), embedder=remote)
    assert again.chunks_embedded == 0
    [best] = store.search(remote.embed_query("Wie viele Stores will Xiaomi in Großbritannien eröffnen?"), 1)
    assert best.chunk.article_id == "xiaomi-ford-geruecht" and "150" in best.chunk.text


def test_a_model_the_server_does_not_serve_is_one_clear_error(embedding_server, tmp_path):
    settings = Settings.from_env(
        {"ARTICLE_QA_EMBEDDER_URL": embedding_server.url, "ARTICLE_QA_EMBEDDER_MODEL": "no-such-model"}
    )
    with pytest.raises(ModelError, match=f"does not serve 'no-such-model'; it serves: {SERVED_EMBEDDER}"):
        open_embedder(settings).embed_query("Frage")
