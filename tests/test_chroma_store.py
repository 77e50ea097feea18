"""The real Chroma, embedded on disk, behind the VectorStore Protocol."""

import pytest

from index import ChromaStore, SentenceChunker, ingest, read_folder

pytestmark = pytest.mark.integration


def test_ingest_persists_across_clients_and_search_finds_the_passage(tmp_path, sample_articles, embedder):
    articles, _ = read_folder(sample_articles)
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    store = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    report = ingest(articles, store=store, chunker=chunker, embedder=embedder)
    assert len(report.added) == 2

    reopened = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    assert reopened.chunk_count() == report.chunks_embedded
    assert ingest(articles, store=reopened, chunker=chunker, embedder=embedder).chunks_embedded == 0
    [top, *_] = reopened.search(embedder.embed_query("Xiaomi Eröffnung neuen Stores britischen Markt"), 3)
    assert top.chunk.article_id == "xiaomi-ford-geruecht" and "150 neuen Stores" in top.chunk.text
    stored = {s.article.id: s for s in reopened.articles()}
    assert stored["xiaomi-ford-geruecht"].article.text[top.chunk.start : top.chunk.end] == top.chunk.text
    assert 0 < top.score <= 1.0


def test_replacing_and_removing_leave_no_stale_chunks(tmp_path, sample_articles, embedder):
    articles, _ = read_folder(sample_articles)
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    store = ChromaStore.persistent(tmp_path / "chroma")
    ingest(articles, store=store, chunker=chunker, embedder=embedder)
    before = store.chunk_count()
    ford = next(a for a in articles if a.id == "xiaomi-ford-geruecht")
    store.replace_article(ford, "new", chunker.chunk(ford)[:1], embedder.embed_documents([ford.text[:10]]))
    assert store.fingerprints()["xiaomi-ford-geruecht"] == "new"
    assert store.chunk_count() == before - len(chunker.chunk(ford)) + 1
    store.remove_article("xiaomi-ford-geruecht")
    assert "xiaomi-ford-geruecht" not in store.fingerprints()
    assert all(hit.chunk.article_id != "xiaomi-ford-geruecht" for hit in store.search(embedder.embed_query("Ford"), 50))
