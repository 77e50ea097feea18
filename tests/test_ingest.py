from index import SentenceChunker, ingest, read_folder


def run(folder, store, embedder, **options):
    articles, skipped = read_folder(folder)
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    return ingest(articles, store=store, chunker=chunker, embedder=embedder, skipped=skipped, **options)


def test_second_ingest_of_unchanged_articles_embeds_nothing(sample_articles, store, embedder):
    first = run(sample_articles, store, embedder)
    assert sorted(first.added) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]
    assert first.chunks_embedded == store.chunk_count() > 0
    embedded_before = len(embedder.embedded)
    second = run(sample_articles, store, embedder)
    assert second.added == [] and sorted(second.unchanged) == sorted(first.added)
    assert second.chunks_embedded == 0
    assert len(embedder.embedded) == embedded_before


def test_a_changed_article_replaces_its_chunks(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    path = sample_articles / "xiaomi-zubehoer-usa.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nXiaomi eröffnet 7 Läden in Berlin.", encoding="utf-8")
    report = run(sample_articles, store, embedder)
    assert report.updated == ["xiaomi-zubehoer-usa"] and report.unchanged == ["xiaomi-ford-geruecht"]
    [stored] = store.articles(["xiaomi-zubehoer-usa"])
    assert stored.article.text.endswith("7 Läden in Berlin.")
    assert any("Berlin" in hit.chunk.text for hit in store.search(embedder.embed_query("Berlin Läden"), 3))


def test_prune_removes_articles_that_are_gone(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    (sample_articles / "xiaomi-zubehoer-usa.txt").unlink()
    assert run(sample_articles, store, embedder).removed == []
    report = run(sample_articles, store, embedder, prune=True)
    assert report.removed == ["xiaomi-zubehoer-usa"]
    assert [s.article.id for s in store.articles()] == ["xiaomi-ford-geruecht"]


def test_summary_names_each_skipped_file_and_why(sample_articles, store, embedder):
    (sample_articles / "leer.txt").write_bytes(b"")
    summary = run(sample_articles, store, embedder).summary()
    assert "2 added" in summary and "1 skipped" in summary
    assert "leer.txt: empty file" in summary
