"""Incremental, exact ingest: nothing embedded twice, nothing lost, nothing duplicated."""

import json
import shutil
from dataclasses import replace

import pytest

from index import SentenceChunker, ingest, read_folder
from index.errors import ArticleError


def run(folder, store, embedder, **options):
    articles, skipped = read_folder(folder)
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    return ingest(articles, store=store, chunker=chunker, embedder=embedder, skipped=skipped, **options)


def test_second_ingest_of_unchanged_articles_embeds_nothing(sample_articles, store, embedder):
    first = run(sample_articles, store, embedder)
    assert sorted(first.added) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]
    assert first.chunks_embedded == store.chunk_count() > 0
    embedded_before = len(embedder.embedded)
    snapshot = {aid: (s.fingerprint, s.chunk_count) for aid, s in store.catalog().items()}
    second = run(sample_articles, store, embedder)
    assert second.added == [] and sorted(second.unchanged) == sorted(first.added)
    assert second.chunks_embedded == 0 and len(embedder.embedded) == embedded_before
    assert {aid: (s.fingerprint, s.chunk_count) for aid, s in store.catalog().items()} == snapshot


def test_a_changed_article_replaces_its_chunks(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    path = sample_articles / "xiaomi-zubehoer-usa.txt"
    text = path.read_text(encoding="utf-8").replace("betonte er.", "betonte er. Xiaomi eröffnet 7 Läden in Berlin.")
    path.write_text(text, encoding="utf-8")
    report = run(sample_articles, store, embedder)
    assert report.updated == ["xiaomi-zubehoer-usa"] and report.unchanged == ["xiaomi-ford-geruecht"]
    [stored] = store.articles(["xiaomi-zubehoer-usa"])
    assert "Xiaomi eröffnet 7 Läden in Berlin." in stored.article.text
    hits = store.search(embedder.embed_query("Berlin Läden"), 3)
    assert any("Berlin" in hit.chunk.text for hit in hits)
    assert len({hit.chunk.id for hit in store.search(embedder.embed_query("Xiaomi"), 100)}) == store.chunk_count()


def test_prune_removes_articles_that_are_gone(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    (sample_articles / "xiaomi-zubehoer-usa.txt").unlink()
    assert run(sample_articles, store, embedder).removed == []
    report = run(sample_articles, store, embedder, prune=sample_articles)
    assert report.removed == ["xiaomi-zubehoer-usa"]
    assert [s.article.id for s in store.articles()] == ["xiaomi-ford-geruecht"]


def test_the_same_text_under_two_names_is_indexed_once_and_reported(sample_articles, store, embedder):
    original = (sample_articles / "xiaomi-ford-geruecht.txt").read_text(encoding="utf-8")
    (sample_articles / "zz-copy-of-ford.txt").write_text(original.replace("\n", "\n\n"), encoding="utf-8")
    report = run(sample_articles, store, embedder)
    assert sorted(report.added) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]
    [duplicate] = report.skipped
    assert duplicate.path.endswith("zz-copy-of-ford.txt")
    assert duplicate.reason == "duplicate of xiaomi-ford-geruecht (same text)"
    # a copy that sorts first later does not displace the article already indexed
    (sample_articles / "aa-copy-of-ford.txt").write_text(original, encoding="utf-8")
    again = run(sample_articles, store, embedder)
    assert sorted(s.reason for s in again.skipped) == ["duplicate of xiaomi-ford-geruecht (same text)"] * 2
    assert sorted(store.catalog()) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]


def test_progress_is_reported_after_each_article(sample_articles, store, embedder):
    seen = []
    run(sample_articles, store, embedder, on_progress=seen.append)
    assert [(p.done, p.total) for p in seen] == [(1, 2), (2, 2)]
    assert seen[-1].chunks_embedded == store.chunk_count()


def test_summary_names_each_skipped_file_and_why(sample_articles, store, embedder):
    (sample_articles / "leer.txt").write_bytes(b"")
    summary = run(sample_articles, store, embedder).summary()
    expected = f"2 added, 0 updated, 0 unchanged, 0 removed, 1 skipped; {store.chunk_count()} chunks embedded"
    assert summary.splitlines()[0] == expected
    assert summary.splitlines()[1].endswith("leer.txt: empty file")


def test_prune_keeps_an_article_whose_file_is_there_but_was_skipped(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    (sample_articles / "xiaomi-zubehoer-usa.txt").write_bytes(b"")  # being written, say
    report = run(sample_articles, store, embedder, prune=sample_articles)
    assert report.removed == [] and [s.reason for s in report.skipped] == ["empty file"]
    assert sorted(store.catalog()) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]


def test_prune_of_an_empty_folder_or_of_over_half_the_index_needs_a_yes(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    for file in sample_articles.iterdir():
        file.unlink()
    with pytest.raises(ArticleError, match="would remove 2 of the 2 indexed articles.*--yes"):
        run(sample_articles, store, embedder, prune=sample_articles)
    assert len(store.catalog()) == 2  # nothing changed
    assert sorted(run(sample_articles, store, embedder, prune=sample_articles, confirmed=True).removed) == [
        "xiaomi-ford-geruecht",
        "xiaomi-zubehoer-usa",
    ]


def test_prune_leaves_the_articles_of_other_folders_alone(sample_articles, store, embedder, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.move(sample_articles / "xiaomi-zubehoer-usa.txt", other / "xiaomi-zubehoer-usa.txt")
    run(sample_articles, store, embedder)
    run(other, store, embedder)
    report = run(sample_articles, store, embedder, prune=sample_articles)
    assert report.removed == [] and sorted(store.catalog()) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]


def test_an_article_is_never_replaced_by_another_files_text_under_the_same_id(
    sample_articles, store, embedder, tmp_path
):
    run(sample_articles, store, embedder)
    elsewhere = tmp_path / "uploads" / "xiaomi-ford-geruecht.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("Ein ganz anderer Text über Bäckereien in Celle.", encoding="utf-8")
    report = run(elsewhere, store, embedder)
    [refused] = report.skipped
    assert "already used by" in refused.reason and "article-qa remove xiaomi-ford-geruecht" in refused.reason
    [kept] = store.articles(["xiaomi-ford-geruecht"])
    assert "Bäckereien" not in kept.article.text
    # the same text read from a moved folder is the same article, not a conflict
    moved = tmp_path / "moved"
    shutil.copytree(sample_articles, moved)
    assert run(moved, store, embedder).skipped == []


def test_articles_stream_through_in_batches_while_they_are_read(store, embedder):
    """A generator of articles is read as the run goes: batches are written before the last
    article is read, so the corpus is never held whole."""
    from index import Article
    from index.ingest import Progress

    writes_seen_while_reading = []

    def articles():
        for n in range(12):
            writes_seen_while_reading.append(store.writes)
            yield Article(f"a{n}", f"Titel {n}", f"Meldung {n}: Die Stadt baut {n + 3} neue Brücken über den Fluss.")

    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    seen: list[Progress] = []
    report = ingest(
        articles(), store=store, chunker=chunker, embedder=embedder, batch_chunks=3, on_progress=seen.append
    )
    assert len(report.added) == 12 and len(store.catalog()) == 12
    assert writes_seen_while_reading[-1] > 0  # earlier batches were written before the last article was read
    assert [p.done for p in seen] == list(range(1, 13)) and seen[-1].chunks_embedded == store.chunk_count()
    assert seen[-1].total == 0 and seen[-1].eta_s is None  # a generator's length is unknown


def test_progress_says_the_pace_and_the_time_left():
    from cli.output import progress_line
    from index.ingest import Progress

    halfway = Progress(done=50, total=200, article_id="a", chunks_embedded=250, seconds=10.0)
    assert (halfway.articles_per_s, halfway.chunks_per_s, halfway.eta_s) == (5.0, 25.0, 30.0)
    assert progress_line(halfway) == "ingest: 50/200 articles, 5.0 articles/s, 25.0 chunks/s, about 1m left"
    later = Progress(done=1_000, total=100_000, article_id="a", chunks_embedded=5_000, seconds=100.0)
    assert progress_line(later).endswith("about 2h45m left")


def test_a_twin_read_before_its_indexed_holder_takes_the_text_when_the_holder_changed(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    ford = sample_articles / "xiaomi-ford-geruecht.txt"
    original = ford.read_text(encoding="utf-8")
    (sample_articles / "aa-twin.txt").write_text(original, encoding="utf-8")  # read before the holder
    ford.write_text(original.replace("150", "151"), encoding="utf-8")  # the holder now has another text
    report = run(sample_articles, store, embedder)
    assert report.skipped == [] and report.added == ["aa-twin"] and "xiaomi-ford-geruecht" in report.updated
    assert sorted(store.catalog()) == ["aa-twin", "xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]


def test_a_record_in_another_file_that_takes_an_indexed_id_with_a_third_articles_text_removes_nothing(
    sample_articles, store, embedder, tmp_path
):
    run(sample_articles, store, embedder)
    usa = (sample_articles / "xiaomi-zubehoer-usa.txt").read_text(encoding="utf-8")
    record = {"id": "xiaomi-ford-geruecht", "title": "Copy", "text": usa.split("\n", 1)[1]}
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "records.jsonl").write_text(json.dumps(record), encoding="utf-8")
    report = run(tmp_path / "other", store, embedder)
    assert [s.reason for s in report.skipped] == ["duplicate of xiaomi-zubehoer-usa (same text)"]
    assert sorted(store.catalog()) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]


def test_a_page_that_gives_an_indexed_id_with_a_third_articles_text_removes_nothing(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    [usa] = [stored.article for stored in store.articles(["xiaomi-zubehoer-usa"])]
    page = replace(usa, id="xiaomi-ford-geruecht", source_path="https://news.example/ford")
    chunker = SentenceChunker(embedder.tokenize, chunk_tokens=60, overlap_tokens=10)
    report = ingest([page], store=store, chunker=chunker, embedder=embedder)
    assert [s.reason for s in report.skipped] == ["duplicate of xiaomi-zubehoer-usa (same text)"]
    assert sorted(store.catalog()) == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]


def test_the_file_that_owns_an_id_still_gives_way_to_an_older_twin(sample_articles, store, embedder):
    run(sample_articles, store, embedder)
    usa = (sample_articles / "xiaomi-zubehoer-usa.txt").read_text(encoding="utf-8")
    (sample_articles / "xiaomi-ford-geruecht.txt").write_text(usa, encoding="utf-8")
    report = run(sample_articles, store, embedder)
    assert sorted(store.catalog()) == ["xiaomi-zubehoer-usa"]
    assert [s.reason for s in report.skipped] == ["duplicate of xiaomi-zubehoer-usa (same text)"]
