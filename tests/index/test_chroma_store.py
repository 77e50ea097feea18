"""The real Chroma, embedded on disk and as a `chroma run` server, behind the VectorStore Protocol."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from index import ChromaStore, SentenceChunker, StoreError, ingest, read_folder
from index.types import article_of
from tests.conftest import ROOT, ChromaServer, free_port

pytestmark = pytest.mark.integration


def chunker_for(embedder):
    return SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)


def assert_index_matches(store, articles, chunker):
    """Exactly the articles' chunks: none missing, none duplicated, none orphaned."""
    catalog = store.catalog()
    assert sorted(catalog) == sorted(a.id for a in articles)
    for article in articles:
        assert catalog[article.id].chunk_count == len(chunker.chunk(article)), article.id
    assert store.chunk_count() == sum(len(chunker.chunk(a)) for a in articles)
    assert store.remove_orphans() == 0


def test_ingest_persists_across_clients_and_search_finds_the_passage(tmp_path, sample_articles, embedder):
    articles, _ = read_folder(sample_articles)
    store = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    report = ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    assert len(report.added) == 2

    reopened = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    assert reopened.chunk_count() == report.chunks_embedded
    assert ingest(articles, store=reopened, chunker=chunker_for(embedder), embedder=embedder).chunks_embedded == 0
    [top, *_] = reopened.search(embedder.embed_query("Xiaomi Eröffnung neuen Stores britischen Markt"), 3)
    assert top.chunk.article_id == "xiaomi-ford-geruecht" and "150 neuen Stores" in top.chunk.text
    stored = {s.article.id: s for s in reopened.articles()}
    assert stored["xiaomi-ford-geruecht"].article.text[top.chunk.start : top.chunk.end] == top.chunk.text
    assert [r.rule for r in stored["xiaomi-ford-geruecht"].article.removed] == ["promotion"]
    assert stored["xiaomi-ford-geruecht"].article.when == "about Jan 2026 (from the text)"  # the date kept
    assert 0 < top.score <= 1.0
    assert reopened.articles([]) == [] and reopened.articles(["no-such-article"]) == []


def test_a_day_range_is_filtered_by_chroma_on_the_articles_most_likely_days(tmp_path, sample_articles, embedder):
    from index.types import DayRange

    store = ChromaStore.persistent(tmp_path / "chroma")
    ingest(read_folder(sample_articles)[0], store=store, chunker=chunker_for(embedder), embedder=embedder)
    query = embedder.embed_query("Xiaomi USA")
    assert {hit.chunk.article_id for hit in store.search(query, 20)} == {"xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"}
    january = {hit.chunk.article_id for hit in store.search(query, 20, DayRange("2026-01-01", "2026-01-31"))}
    assert january == {"xiaomi-ford-geruecht"}  # its day is inferred (2026-01-30); the other is undated
    assert store.search(query, 20, DayRange(until="2025-12-31")) == []
    assert store.search(query, 20, DayRange(since="2026-02-01")) == []
    named = [hit.chunk.id for hit in store.search(query, 20)]
    scored = store.scored(query, list(reversed(named)) + ["no-such-chunk"])
    assert [hit.chunk.id for hit in scored] == named  # by cosine, as the search ranks them
    assert [round(hit.score, 4) for hit in scored] == [round(hit.score, 4) for hit in store.search(query, 20)]
    assert {hit.chunk.article_id for hit in store.scored(query, named, DayRange("2026-01-01", "2026-01-31"))} == {
        "xiaomi-ford-geruecht"
    }
    assert store.scored(query, []) == []


def test_wire_copies_are_found_by_their_bands_and_grouped_in_chroma(tmp_path, embedder):
    from tests.index.test_wire_copies import AGENCY, OTHER, OUTLET, PORTAL

    store = ChromaStore.persistent(tmp_path / "chroma")
    ingest([OTHER, OUTLET, AGENCY, PORTAL], store=store, chunker=chunker_for(embedder), embedder=embedder)
    group = {s.article.id: s.article.copy_group for s in store.articles()}
    assert group == {"halbjahr": "", "zeitung": "zeitung", "apa": "zeitung", "portal": "zeitung"}
    assert sorted(s.article.id for s in store.copies(group="zeitung")) == ["apa", "portal", "zeitung"]
    reopened = ChromaStore.persistent(tmp_path / "chroma")
    assert {s.article.id: s.article.copy_group for s in reopened.articles()} == group


def test_a_page_of_one_repeated_phrase_does_not_hide_the_other_articles(tmp_path, sample_articles, embedder):
    from index import Article

    store = ChromaStore.persistent(tmp_path / "chroma")
    articles = read_folder(sample_articles)[0] + [Article(id="bla", title="Bla", text="Bla bla. " * 20_000)]
    ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    [top, *_] = store.search(embedder.embed_query("Wie viele Stores plant Xiaomi in Großbritannien?"), 5)
    assert top.chunk.article_id == "xiaomi-ford-geruecht"  # 600 identical vectors once hid it from HNSW


def test_no_stored_chunk_holds_promotions_credits_or_captions(tmp_path, sample_articles, embedder):
    store = ChromaStore.persistent(tmp_path / "chroma")
    ingest(read_folder(sample_articles)[0], store=store, chunker=chunker_for(embedder), embedder=embedder)
    texts = [hit.chunk.text for hit in store.search(embedder.embed_query("Xiaomi"), 100)]
    assert len(texts) == store.chunk_count()
    for unwanted in ("Kaufen oder verkaufen", "Bild: dpa", "Xiaomi-Shop in Peking Smartphone-Überflieger"):
        assert not any(unwanted in text for text in texts)


def test_replacing_and_removing_leave_no_stale_chunks(tmp_path, sample_articles, embedder):
    articles, _ = read_folder(sample_articles)
    chunker = chunker_for(embedder)
    store = ChromaStore.persistent(tmp_path / "chroma")
    ingest(articles, store=store, chunker=chunker, embedder=embedder)
    before = store.chunk_count()
    ford = next(a for a in articles if a.id == "xiaomi-ford-geruecht")
    store.replace_article(
        ford, chunker.chunk(ford)[:1], embedder.embed_documents(["x"]), fingerprint="new", content_hash="h"
    )
    assert store.catalog()["xiaomi-ford-geruecht"].fingerprint == "new"
    assert store.chunk_count() == before - len(chunker.chunk(ford)) + 1
    store.remove_article("xiaomi-ford-geruecht")
    assert "xiaomi-ford-geruecht" not in store.catalog()
    assert all(hit.chunk.article_id != "xiaomi-ford-geruecht" for hit in store.search(embedder.embed_query("Ford"), 50))


def test_chunks_left_without_their_article_record_are_swept_and_rewritten(tmp_path, sample_articles, embedder):
    """The state a crash between writing chunks and writing the record leaves behind."""
    articles, _ = read_folder(sample_articles)
    chunker = chunker_for(embedder)
    store = ChromaStore.persistent(tmp_path / "chroma")
    ingest(articles, store=store, chunker=chunker, embedder=embedder)
    store._articles.delete(ids=["xiaomi-zubehoer-usa"])  # the record never made it to disk
    report = ingest(articles, store=store, chunker=chunker, embedder=embedder)
    assert report.orphans_removed > 0 and report.added == ["xiaomi-zubehoer-usa"]
    assert_index_matches(store, articles, chunker)


CRASHING_INGEST = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from index import ChromaStore, SentenceChunker, ingest, read_folder
    from tests.fakes import FakeEmbedder

    class SlowEmbedder(FakeEmbedder):
        def embed_documents(self, texts):
            time.sleep(0.05)
            return super().embed_documents(texts)

    embedder = SlowEmbedder()
    store = ChromaStore.persistent(Path(sys.argv[2]))
    articles, _ = read_folder(Path(sys.argv[1]))
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    ingest(articles, store=store, chunker=chunker, embedder=embedder,
           on_progress=lambda p: print(p.done, flush=True), batch_chunks=8)  # batches of a few articles
    """
)


def write_corpus(folder, count: int) -> list:
    """``count`` articles of twelve sentences each in ``folder``; the articles as read back."""
    folder.mkdir(exist_ok=True)
    for n in range(count):
        sentences = " ".join(f"Meldung {n} berichtet Satz {i} über Xiaomi und Läden." for i in range(12))
        (folder / f"article-{n:02d}.txt").write_text(f"Titel {n}\n{sentences}", encoding="utf-8")
    return read_folder(folder)[0]


def test_an_ingest_killed_halfway_is_completed_by_the_next_run_without_duplicates(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    articles = write_corpus(corpus, 60)
    process = subprocess.Popen(
        [sys.executable, "-c", CRASHING_INGEST, str(corpus), str(tmp_path / "chroma")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    for line in process.stdout:
        if int(line) >= 20:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    chunker = chunker_for(embedder)
    store = ChromaStore.persistent(tmp_path / "chroma")
    done_before = len(store.catalog())
    assert 20 <= done_before < 60
    report = ingest(articles, store=store, chunker=chunker, embedder=embedder)
    assert len(report.unchanged) == done_before and len(report.added) == 60 - done_before
    assert_index_matches(store, articles, chunker)


def test_a_chroma_server_holds_the_index_across_a_restart(tmp_path, sample_articles, embedder):
    server = ChromaServer(tmp_path / "server-data", free_port()).start()
    try:
        articles, _ = read_folder(sample_articles)
        store = ChromaStore.server("127.0.0.1", server.port, "served", token="secret-token-123")
        report = ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
        assert len(report.added) == 2
        server.stop()
        with pytest.raises(StoreError) as down:
            store.search(embedder.embed_query("Stores"), 3)
        assert f"the Chroma server at 127.0.0.1:{server.port}" in str(down.value)
        assert "secret-token-123" not in str(down.value)
        server.start()
        again = ChromaStore.server("127.0.0.1", server.port, "served")
        assert ingest(articles, store=again, chunker=chunker_for(embedder), embedder=embedder).chunks_embedded == 0
        assert_index_matches(again, articles, chunker_for(embedder))
    finally:
        server.stop()


def test_an_unreachable_server_is_one_clear_error():
    with pytest.raises(StoreError, match=r"Chroma server at 127\.0\.0\.1:\d+"):
        ChromaStore.server("127.0.0.1", free_port())


def test_the_version_changes_with_every_write_and_is_the_same_for_every_client(tmp_path, sample_articles, embedder):
    articles, _ = read_folder(sample_articles)
    store = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    other = ChromaStore.persistent(tmp_path / "chroma", "test-articles")  # as another process would see it
    seen = [store.version()]
    ingest(articles[:1], store=store, chunker=chunker_for(embedder), embedder=embedder)
    seen.append(other.version())
    ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)  # one unchanged, one new
    seen.append(other.version())
    assert other.version() == store.version()
    store.remove_article(articles[0].id)
    seen.append(other.version())
    assert len(set(seen)) == len(seen)


def test_a_reader_learns_which_articles_changed_since_its_version(tmp_path, sample_articles, embedder, monkeypatch):
    articles, _ = read_folder(sample_articles)
    first, second = sorted(a.id for a in articles)
    store = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    other = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    ingest([a for a in articles if a.id == first], store=store, chunker=chunker_for(embedder), embedder=embedder)
    held = other.version()
    assert other.changed_since(held) == {first}  # its own write, and any a slow clock may have hidden
    monkeypatch.setattr("index.chroma_changes.CLOCK_SLACK_S", 0.0)
    assert other.changed_since(held) == set()
    ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)  # the first is unchanged
    assert other.changed_since(held) == {second}
    store.remove_article(first)
    assert other.changed_since(held) == {first, second}
    assert other.changed_since("") is None and other.changed_since("a version never written") is None
    monkeypatch.setattr("index.chroma_changes.KEEP_S", -1.0)  # the next write forgets every earlier one
    store.remove_article(second)
    assert other.changed_since(held) is None


def test_whole_collections_are_read_in_pages(tmp_path, sample_articles, embedder, monkeypatch):
    """A single read of 100k chunks fails in Chroma's SQLite; pages of a few records must add up."""
    articles, _ = read_folder(sample_articles)
    store = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    whole = store.chunk_texts()
    monkeypatch.setattr("index.store._PAGE", 3)
    assert store.chunk_texts() == whole and len(whole) == store.chunk_count() > 3
    assert sorted(store.catalog()) == sorted(a.id for a in articles)
    assert [s.article.id for s in store.articles()] == sorted(a.id for a in articles) == store.article_ids()
    monkeypatch.setattr("index.store._ARTICLES_PER_READ", 1)
    ids = sorted(a.id for a in articles)
    assert sorted(store.chunk_texts(ids)) == sorted(whole)
    assert {article_of(c) for c, _, _ in store.chunk_texts(ids[:1])} == {ids[0]}
    assert store.chunk_texts([]) == [] and store.chunk_texts(["no-such-article"]) == []


def test_a_chunk_deleted_between_chromas_reads_is_left_out_not_a_crash(tmp_path, sample_articles, embedder):
    """Under load, a query met a chunk whose record a concurrent rewrite had just deleted: its
    metadata came back None (a TypeError in the UI). The version check then reads again."""
    articles, _ = read_folder(sample_articles)
    store = ChromaStore.persistent(tmp_path / "chroma", "test-articles")
    ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    query = store._chunks.query

    def racing_query(**options):
        result = query(**options)
        result["metadatas"][0][0] = None  # as Chroma answers for a record deleted meanwhile
        return result

    store._chunks.query = racing_query
    hits = store.search(embedder.embed_query("Xiaomi"), 3)
    assert len(hits) == 2
