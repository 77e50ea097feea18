"""Search at scale: a hybrid search's p50/p95 and the lexical index's costs at 100k and 1M chunks.

    python -m bench.scale_search --sizes 100000 1000000 [--searches 200] [--folder DIR]

One persistent Chroma is filled with synthetic chunks up to each size in turn and measured there:

- search p50/p95 through ``HybridRetriever.search_vector`` (dense search in Chroma, then the
  lexical re-scoring), beside Chroma's dense search alone, which is the floor;
- the lexical index (``LexicalIndex``): reading every chunk text from the store, a full sync
  (tokenizing included: a fresh process's build), its memory (tracemalloc: what stays
  allocated), and the update after a one-article ingest (the store's journal of changes, the
  new article's chunks, then a sync that tokenizes them only);
- on the same tokens, the two others it was measured against: the hand-written ``BM25``
  (rebuilt after every write until now) and bm25s (a sparse score matrix, rebuilt on any
  change), when bm25s is installed.

The corpus is synthetic, as in bench/suite.py: random unit vectors of 768 dimensions (the
embedder's; random vectors are the hardest case for HNSW, real embeddings cluster), and texts of
40 to 60 words drawn with Zipf's law from 50k invented words. Chunks go straight into the
store's chunk collection, 5,000 a call, with the metadata the store writes (no article records:
search and the lexical index read chunks only); the one-article update goes through
``replace_article``. A ``--folder`` is kept and filled further on the next run.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from contextlib import ExitStack
from pathlib import Path
from typing import Callable
from unittest import mock

from bench.figures import Figure, ratio_figure
from index import Article, ChromaStore, Chunk
from index.lexical import BM25, LexicalIndex, tokens
from rag.retrieval import HybridRetriever

RESULTS = Path(__file__).resolve().parent / "results"
DIMENSIONS = 768
BATCH = 5000  # chunks per add: Chroma takes at most 5,461 a call
CHUNKS_PER_ARTICLE = 10
VOCABULARY = 50_000
SEED = 18


def bench_search_scale(
    sizes: list[int],
    searches: int,
    log: Callable[[str], None] = print,
    *,
    folder: Path | None = None,
    measured: Callable[[list[Figure]], None] = lambda figures: None,
) -> list[Figure]:
    """Figures of section "scale" at each size (ascending), in one Chroma filled up to each in
    turn (in ``folder`` when given, else a scratch one); ``measured`` gets the figures so far
    after each size."""
    with ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        store = ChromaStore.persistent(folder, "scale")
        corpus = _Corpus()
        figures = [_tokenize_figure(corpus)]
        for size in sorted(sizes):
            figures += _fill(store, corpus, size, log)
            figures += _measure(store, corpus, size, searches, log)
            measured(figures)
        return figures


class _Corpus:
    """The synthetic chunks, the same on every run: chunk n's text and vector depend on n only."""

    def __init__(self) -> None:
        import numpy as np

        rng = random.Random(SEED)
        syllables = "ka lo mi ter bau stadt ung en ver markt preis zahl ein sch ra wel ge ich an or tu".split()
        words: set[str] = set()
        while len(words) < VOCABULARY:
            words.add("".join(rng.choices(syllables, k=rng.randint(2, 5))))
        self.words = sorted(words)
        rng.shuffle(self.words)  # the Zipf ranks must not follow the alphabet
        weights = 1 / np.arange(1, VOCABULARY + 1)
        self.cumulative = np.cumsum(weights / weights.sum())

    def texts(self, first: int, count: int) -> list[str]:
        import numpy as np

        rng = np.random.default_rng([SEED, first])
        lengths = rng.integers(40, 61, size=count)
        drawn = np.searchsorted(self.cumulative, rng.random(int(lengths.sum())), side="right")
        drawn = np.minimum(drawn, VOCABULARY - 1)
        ends = np.cumsum(lengths)
        words = self.words
        return [" ".join([words[i] for i in drawn[end - length : end]]) for end, length in zip(ends, lengths)]

    def vectors(self, first: int, count: int):
        import numpy as np

        vectors = np.random.default_rng([SEED, first, 1]).standard_normal((count, DIMENSIONS), dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _fill(store: ChromaStore, corpus: _Corpus, size: int, log) -> list[Figure]:
    held = store.chunk_count()
    if held >= size:
        return []
    started, first = time.perf_counter(), held
    while held < size:
        count = min(BATCH, size - held)
        texts = corpus.texts(held, count)
        numbers = range(held, held + count)
        store.chunk_collection.add(
            ids=[f"s{n // CHUNKS_PER_ARTICLE}#{n % CHUNKS_PER_ARTICLE}" for n in numbers],
            embeddings=corpus.vectors(held, count),
            documents=texts,
            metadatas=[_chunk_metadata(n, text) for n, text in zip(numbers, texts)],
        )
        held += count
        if held % 50_000 == 0 or held == size:
            rate = (held - first) / (time.perf_counter() - started)
            log(f"  filled {held:,} chunks ({rate:.0f}/s, {_load()})")
    taken = time.perf_counter() - started
    return [Figure("scale", f"Chroma fill to {size:,} chunks", round((size - first) / taken), None, None, "chunks/s",
                   note=f"{size - first:,} chunks in {taken:.0f} s, {BATCH} per add; {_load()}")]  # fmt: skip


def _chunk_metadata(number: int, text: str) -> dict:
    """What ChromaStore writes with a chunk (index/store.py); articles are dated over a year."""
    article = number // CHUNKS_PER_ARTICLE
    day = f"2025-{article % 12 + 1:02d}-{article % 28 + 1:02d}"
    return {"article_id": f"s{article}", "title": f"Synthetic {article}", "date": day, "source": "", "url": "",
            "language": "de", "day": int(day.replace("-", "")), "ordinal": number % CHUNKS_PER_ARTICLE,
            "start": 0, "end": len(text)}  # fmt: skip


def _measure(store: ChromaStore, corpus: _Corpus, size: int, searches: int, log) -> list[Figure]:
    log(f"measuring at {size:,} chunks ({_load()})")
    stored, read_s = _timed(store.chunk_texts)
    lexical_bytes = _retained_bytes(lambda: _synced(stored))  # each measured alone, then built again, timed
    index, sync_s = _timed(lambda: _synced(stored))
    token_lists, tokenize_s = _timed(lambda: [tokens(text, language) for _, text, language in stored])
    before_bytes = _retained_bytes(lambda: BM25(token_lists))
    before, before_s = _timed(lambda: BM25(token_lists))
    library_bytes = _retained_bytes(lambda: _bm25s(token_lists))
    library, library_s = _timed(lambda: _bm25s(token_lists))
    log(f"  read {read_s:.1f} s, sync {sync_s:.1f} s, tokenize {tokenize_s:.1f} s, BM25 {before_s:.1f} s, "
        f"bm25s {library_s:.1f} s")  # fmt: skip

    store.remove_article("update")  # no such article: a write, so that the store's journal knows the version
    retriever = HybridRetriever(store, embedder=None)  # type: ignore[arg-type]  # search_vector never embeds
    hybrid, dense, scoring = _searches(retriever, store, corpus, searches, index, before, library, stored)

    article = Article(f"update-{size}", "One more article", "", language="de", date="2026-01-02")
    texts = corpus.texts(10**11 + size, 5)
    offsets = [sum(len(text) + 1 for text in texts[:i]) for i in range(5)]
    chunks = [Chunk(f"{article.id}#{i}", article.id, i, text, offsets[i], offsets[i] + len(text))
              for i, text in enumerate(texts)]  # fmt: skip
    held = store.version()
    store.replace_article(article, chunks, corpus.vectors(10**11 + size, 5).tolist(), fingerprint="1", content_hash="1")
    articles, journal_s = _timed(lambda: store.changed_since(held))  # what the retriever asks first
    assert articles is not None
    after_write, reread_s = _timed(lambda: store.chunk_texts(sorted(articles)))
    changed, update_s = _timed(lambda: index.sync(after_write, articles=articles))
    new_tokens = [tokens(text, "de") for text in texts]
    _, library_update_s = _timed(lambda: _bm25s(token_lists + new_tokens))
    vector = corpus.vectors(10**11 + size, 1)[0]
    _, first_search_s = _timed(lambda: retriever.search_vector(vector, texts[0], "de", 5))
    store.remove_article(article.id)  # the next size goes on from a round number

    p50, p95 = _percentile(hybrid, 50) * 1000, _percentile(hybrid, 95) * 1000
    mib = 2**20
    reference_note = "bm25s not installed" if library is None else "bm25s 0.3.16, method lucene"
    at = f"at {size:,} chunks"
    figures = [
        ratio_figure("scale", f"search p50 {at}, hybrid vs Chroma's dense search alone", p50,
                     _percentile(dense, 50) * 1000, "ms", target="p50 <= 50 ms" if size >= 100_000 else "",
                     note=f"p95 {p95:.1f} ms (dense alone {_percentile(dense, 95) * 1000:.1f} ms); {searches} "
                     f"searches, depth 20, k 5; {_load()}"),
        Figure("scale", f"store read of every chunk text {at}", round(read_s, 2), None, None, "s",
               note="ChromaStore.chunk_texts(): what a process's first search reads"),
        ratio_figure("scale", f"lexical build {at}, LexicalIndex.sync vs tokenize + bm25s", sync_s,
                     None if library is None else tokenize_s + library_s, "s",
                     note=f"tokenize {tokenize_s:.1f} s + hand-written BM25 {before_s:.1f} s (before); "
                     f"{reference_note}"),
        ratio_figure("scale", f"lexical memory {at}, LexicalIndex vs bm25s", lexical_bytes / mib,
                     None if library is None else library_bytes / mib, "MiB",
                     note=f"hand-written BM25 (before): {before_bytes / mib:.0f} MiB; tracemalloc: what stays "
                     "allocated"),
        ratio_figure("scale", f"lexical update after a one-article ingest {at}, sync vs bm25s rebuild",
                     journal_s + reread_s + update_s, None if library is None else read_s + library_update_s, "s",
                     note=f"ours: the store's changes since ({journal_s * 1000:.0f} ms), the new article's chunks "
                     f"({reread_s * 1000:.0f} ms), sync {update_s:.2f} s ({changed} chunks tokenized); bm25s reads "
                     f"every chunk text ({read_s:.1f} s) and rebuilds; before: read + tokenize + BM25 = "
                     f"{read_s + tokenize_s + before_s:.1f} s"),
        Figure("scale", f"first search after a one-article ingest {at}", round(first_search_s * 1000), None, None,
               "ms", note="the retriever's own sync (the store's changes, their chunks) and the search"),
        ratio_figure("scale", f"lexical scoring of 20 candidates {at}, LexicalIndex vs bm25s",
                     _percentile(scoring["ours"], 50) * 1e6,
                     _percentile(scoring["bm25s"], 50) * 1e6 if scoring["bm25s"] else None, "us",
                     note=f"hand-written BM25 {_percentile(scoring['before'], 50) * 1e6:.0f} us; "
                     + (reference_note if library is None else "bm25s scores every chunk; its largest relative "
                        f"difference from ours (float32) {scoring['difference']:.1e}")),
        Figure("scale", f"process memory {at}", round(_rss_mib()), None, None, "MiB",
               note=f"RSS after measuring (Chroma's HNSW included); index on disk {_disk_mib(store)} MiB"),
    ]  # fmt: skip
    if size >= 100_000:
        figures[0].met = p50 <= 50
    for figure in figures:
        log(f"  {figure.name}: {figure.ours} {figure.unit} (reference {figure.reference}) {figure.note}")
    return figures


def _searches(retriever, store, corpus, searches, index, before, library, stored):
    """Search times (s) of the hybrid search and of the dense search alone, in turns, and of scoring
    the 20 candidates in each lexical index; the scores of the three are compared on the way."""
    position = {chunk_id: i for i, (chunk_id, _, _) in enumerate(stored)}
    vectors = corpus.vectors(10**12, searches + 1)
    retriever.search_vector(vectors[-1], "warm up", "de", 5)  # syncs the retriever's own lexical index
    hybrid, dense, ours, old, bm25s = [], [], [], [], []
    difference = 0.0
    for number, vector in enumerate(vectors[:searches]):
        question = " ".join(corpus.texts(10**12 + number, 1)[0].split()[:6])
        _, taken = _timed(lambda: retriever.search_vector(vector, question, "de", 5))
        hybrid.append(taken)
        hits, taken = _timed(lambda: store.search(vector, 20))
        dense.append(taken)
        query = tokens(question, "de")
        ids = [hit.chunk.id for hit in hits]
        scores, taken = _timed(lambda: [index.score(query, chunk_id) for chunk_id in ids])
        ours.append(taken)
        reference, taken = _timed(lambda: [before.score(query, position[chunk_id]) for chunk_id in ids])
        old.append(taken)
        assert scores == reference, "LexicalIndex and BM25 disagree"
        if library is not None:
            rows = [position[chunk_id] for chunk_id in ids]
            theirs, taken = _timed(lambda: library.get_scores(list(dict.fromkeys(query)) or [""])[rows])
            bm25s.append(taken)
            difference = max([difference] + [abs(a - float(b) * 2.5) / a for a, b in zip(scores, theirs) if a])
    return hybrid, dense, {"ours": ours, "before": old, "bm25s": bm25s, "difference": difference}


def _bm25s(token_lists: list[list[str]]):
    """bm25s with our BM25's formula: its "lucene" scores are ours divided by k1 + 1."""
    try:
        import bm25s
    except ImportError:
        return None
    from index.lexical import K1, B

    library = bm25s.BM25(k1=K1, b=B, method="lucene")
    library.index(token_lists, show_progress=False)
    return library


def _synced(stored) -> LexicalIndex:
    index = LexicalIndex()
    index.sync(stored)
    return index


def _tokenize_figure(corpus: _Corpus) -> Figure:
    """``tokens`` on 5,000 chunks with its stem cache, against the same without (the tokenizer until now)."""
    from nltk.stem.snowball import SnowballStemmer

    texts = corpus.texts(10**13, 5000)
    tokens("warm up", "de")
    _, cached = _timed(lambda: [tokens(text, "de") for text in texts])
    uncached = SnowballStemmer("german").stem
    with mock.patch("index.lexical._stemmer", lambda language: uncached):
        _, plain = _timed(lambda: [tokens(text, "de") for text in texts])
    return ratio_figure("scale", "tokenize one chunk, stem cache vs none", cached / 5 * 1000, plain / 5 * 1000, "us",
                        note=f"5,000 synthetic chunks of 40-60 words; {_load()}")  # fmt: skip


def _timed(work):
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def _retained_bytes(build) -> int:
    """What ``build``'s result keeps allocated (Python objects and numpy arrays), by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        built = build()
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del built
    return retained


def _percentile(times: list[float], percent: int) -> float:
    if percent == 50:
        return statistics.median(times)
    return sorted(times)[int(percent / 100 * (len(times) - 1))]


def _load() -> str:
    """The 1-minute load average: the machine is shared, and a figure is read beside it."""
    loadavg = Path("/proc/loadavg")
    return f"load {loadavg.read_text().split()[0]}" if loadavg.exists() else ""


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _disk_mib(store: ChromaStore) -> int:
    if store.folder is None:
        return 0
    return round(sum(path.stat().st_size for path in store.folder.rglob("*") if path.is_file()) / 2**20)


def markdown(figures: list[Figure], command: str) -> str:
    lines = [
        f"`{command}`, {os.cpu_count()} CPU cores, Python {platform.python_version()}",
        "",
        "| figure | ours | reference | ratio | target | met | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        met = "" if f.met is None else ("yes" if f.met else "no")
        reference = "" if f.reference is None else f"{f.reference} {f.unit}"
        lines.append(f"| {f.name} | {f.ours} {f.unit} | {reference} | {'' if f.ratio is None else f.ratio} | "
                     f"{f.target} | {met} | {f.note} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_search", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--folder", type=Path, default=None, help="a Chroma folder to keep (and fill further)")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale_search.md")
    args = parser.parse_args(argv)
    command = "python -m bench.scale_search " + " ".join(sys.argv[1:] if argv is None else argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)

    def write(figures: list[Figure]) -> None:  # after each size, so that a long run keeps what it measured
        args.out.write_text(markdown(figures, command), encoding="utf-8")

    figures = bench_search_scale(
        args.sizes, args.searches, lambda line: print(line, file=sys.stderr, flush=True), folder=args.folder,
        measured=write,
    )  # fmt: skip
    print(markdown(figures, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
