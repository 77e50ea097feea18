"""The int8 ONNX export of the real EmbeddingGemma: made from the verified model, close to fp32.

`make test` makes the export with `article-qa models pull`; where it is missing, the first
test here makes it (about two minutes).
"""

import math

import pytest

from index import SentenceTransformerEmbedder
from index.onnx_embedding import MANIFEST, OnnxEmbedder
from rag import Settings, model_files

pytestmark = pytest.mark.integration

SENTENCES = [
    "Innerhalb der nächsten vier Jahre plant Xiaomi die Eröffnung von rund 150 neuen Stores auf dem britischen Markt.",
    "Die Bruttogewinnmarge im EV-Segment erreichte 25,5 Prozent.",
    "Die Citigroup prognostizierte am 30. Januar ein schwieriges Jahr 2026 mit Margendruck für Xiaomi.",
]
QUESTION = "How many stores does Xiaomi plan to open in the UK?"


@pytest.fixture(scope="module")
def embedders():
    settings = Settings.from_env()
    export = model_files.ensure_onnx_export(settings.models_dir, settings.onnx_embedder_dir, log=lambda line: None)
    fp32 = SentenceTransformerEmbedder(str(model_files.verify(model_files.EMBEDDINGGEMMA_300M, settings.models_dir)))
    return fp32, OnnxEmbedder(export)


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def test_the_export_names_its_source_weights_and_hash(embedders):
    _, int8 = embedders
    manifest = (int8.folder / MANIFEST).read_text()
    assert "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2" in manifest  # model.safetensors
    assert '"query": "task: search result | query: "' in manifest
    assert '"tokenizer.json"' in manifest  # every tokenizer file is hashed with the graph


def test_int8_vectors_point_where_the_fp32_ones_do(embedders):
    fp32, int8 = embedders
    for reference, quantized in zip(fp32.embed_documents(SENTENCES), int8.embed_documents(SENTENCES)):
        assert cosine(reference, quantized) > 0.9  # measured 0.92 to 0.99; what counts is the ranking, below
    assert cosine(fp32.embed_query(QUESTION), int8.embed_query(QUESTION)) > 0.9
    assert fp32.tokenize(SENTENCES[0]) == int8.tokenize(SENTENCES[0])  # chunk sizes count the same tokens


def test_int8_ranks_the_answer_first_as_fp32_does(embedders):
    for embedder in embedders:
        query = embedder.embed_query(QUESTION)
        ranked = sorted(SENTENCES, key=lambda s: -cosine(query, embedder.embed_documents([s])[0]))
        assert ranked[0] == SENTENCES[0]


def test_the_first_text_a_fresh_embedder_reads_gets_its_prompt_too(embedders):
    _, loaded = embedders
    assert cosine(OnnxEmbedder(loaded.folder).embed_query(QUESTION), loaded.embed_query(QUESTION)) > 0.9999
    first = OnnxEmbedder(loaded.folder).embed_documents(SENTENCES[:1])[0]
    assert cosine(first, loaded.embed_documents(SENTENCES[:1])[0]) > 0.9999


def test_a_title_goes_into_the_document_prompt_of_both_backends(embedders):
    titles = ["Xiaomi Aktie: Ford-Gerücht dementiert"] * len(SENTENCES)
    fp32, int8 = embedders
    titled = [embedder.embed_documents(SENTENCES, titles=titles) for embedder in embedders]
    for embedder, vectors in zip(embedders, titled):
        plain = embedder.embed_documents(SENTENCES)
        assert all(cosine(a, b) < 0.9999 for a, b in zip(vectors, plain))  # the title changed every vector
    assert all(cosine(a, b) > 0.9 for a, b in zip(*titled))
