"""Hostile shapes of input take time in proportion to their size: ten times the input takes at
most twenty times as long (linear within a factor of two), from 10 KB to 100 KB and from 100 KB
to 1 MB, through the real reading path (``read_file``, which decodes, parses, caps and cleans)
and the chunker. Articles are cut at ``DEFAULT_MAX_ARTICLE_CHARS``, so the step below 100 KB is
what shows the work after the cut. No absolute time is asserted, so a slow machine passes and a
quadratic step fails; the best of three runs of each size keeps the noise down (the largest
stops at the first run that passes). A capped article says what was cut, and memory stays a
bounded multiple of the input."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path
from typing import Callable

import pytest

from index.articles import read_file, read_folder
from index.chunking import SentenceChunker
from index.sentences import sentence_spans
from index.types import Article

SIZES = (10_000, 100_000, 1_000_000)
LARGEST = SIZES[-1]
ALLOWED_RATIO = 2 * 10
BYTES_PER_INPUT_BYTE = 40  # peak Python memory reading and chunking 1 MB of one word: 113 before, 3 now
_SUBWORD = re.compile(r"\w{1,4}|[^\w\s]")


def subword_tokens(text: str) -> list:
    """Like a real subword tokenizer, a long word is many tokens (``str.split`` would make it one)."""
    return _SUBWORD.findall(text)


SHAPES: dict[str, Callable[[int], str]] = {
    "abbreviation-like sentences.txt": lambda n: "a. " * (n // 3),
    "one word.txt": lambda n: "x" * n,
    "many short lines.txt": lambda n: "ab\n" * (n // 3),
    "a run of marks.txt": lambda n: "Text " + "!" * n,
    "a byline-like line.txt": lambda n: "Von " + "A" * n + "!",
    "nested divs.html": lambda n: "<div>x " * (n // 7),
    "many comments.html": lambda n: "<p>Text</p>" + "<!-- c -->" * (n // 10),
    "unclosed comments.html": lambda n: "<p>Text</p>" + "<!--" * (n // 4),
    "unclosed tags.html": lambda n: "<p>Text</p>" + "<p " * (n // 3),
    "many comments.md": lambda n: "Text\n" + "<!-- c -->" * (n // 10),
    "open brackets.md": lambda n: "Text " + "[" * n,
    "lone stars.md": lambda n: "Text" + " *a" * (n // 3),
    "many dates.txt": lambda n: "Text\n" + "Am 5. Januar 2015 und am 6. Januar kommt es. " * (n // 45),
    "one long record.jsonl": lambda n: '{"id": "r", "title": "T", "text": "' + "a. " * (n // 3) + '"}',
}


def best_of_three(work: Callable[[], object], *, enough: float = 0.0) -> float:
    """The fastest of three runs of ``work``; fewer when one already took at most ``enough`` seconds."""
    fastest = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - started)
        if fastest <= enough:
            break
    return fastest


def read_and_chunk(file: Path, chunker: SentenceChunker) -> None:
    articles, _ = read_file(file)
    for article in articles:
        chunker.chunk(article)


@pytest.mark.parametrize("name", SHAPES)
def test_ten_times_the_input_takes_at_most_twenty_times_as_long(tmp_path, name):
    chunker = SentenceChunker(subword_tokens, chunk_tokens=160, overlap_tokens=30)
    seconds: dict[int, float] = {}
    for smaller, size in zip((None, *SIZES), SIZES):
        file = tmp_path / f"{size}-{name}"
        file.write_text(SHAPES[name](size), encoding="utf-8")
        allowed = ALLOWED_RATIO * seconds[smaller] if smaller else 0.0
        seconds[size] = best_of_three(lambda: read_and_chunk(file, chunker), enough=allowed if size == LARGEST else 0.0)
        if smaller:  # checked at once, so a quadratic step fails before the next size takes hours
            assert seconds[size] <= allowed, (
                f"{name}: {seconds[smaller]:.4f} s for {smaller:,} bytes, {seconds[size]:.3f} s for {size:,}"
            )


def test_memory_for_a_one_word_file_is_a_bounded_multiple_of_its_size(tmp_path):
    file = tmp_path / "word.txt"
    file.write_text(SHAPES["one word.txt"](LARGEST), encoding="utf-8")
    tracemalloc.start()
    try:
        read_and_chunk(file, SentenceChunker(subword_tokens, chunk_tokens=160, overlap_tokens=30))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= BYTES_PER_INPUT_BYTE * LARGEST, f"{peak:,} bytes at the peak for {LARGEST:,}"


def test_a_very_long_sentence_is_cut_into_pieces_of_a_fixed_length():
    from index.sentences import MAX_SENTENCE_CHARS

    text = "Ein Satz ohne Ende " * 1000 + "x" * 5000
    spans = sentence_spans(text)
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert "".join(text[start:end] for start, end in spans).replace(" ", "") == text.replace(" ", "")


def test_a_very_long_article_is_cut_and_says_where(tmp_path):
    from index.articles import DEFAULT_MAX_ARTICLE_CHARS

    file = tmp_path / "endless.txt"
    file.write_text("Titel\n" + "Ein Satz über Xiaomi. " * (DEFAULT_MAX_ARTICLE_CHARS // 10), encoding="utf-8")
    [article], problems = read_file(file)
    assert len(article.text) <= DEFAULT_MAX_ARTICLE_CHARS
    [cut] = [removal for removal in article.removed if removal.rule == "cut"]
    assert f"{DEFAULT_MAX_ARTICLE_CHARS:,} characters" in cut.text
    assert len(problems) == 1 and problems[0].startswith(f"cut after {len(article.text):,} characters")
    _, skipped = read_folder(tmp_path)
    assert [item.reason for item in skipped] == problems  # so the ingest summary says it


def test_a_word_longer_than_a_chunk_is_cut_into_exact_spans_that_fit():
    text = "Anfang. " + "x" * 200_000 + " Ende."
    chunker = SentenceChunker(subword_tokens, chunk_tokens=160, overlap_tokens=30)
    chunks = chunker.chunk(Article("a", "A", text))
    assert all(text[chunk.start : chunk.end] == chunk.text for chunk in chunks)
    assert all(len(subword_tokens(chunk.text)) <= 160 for chunk in chunks)
    assert chunks[0].text.startswith("Anfang.") and chunks[-1].text.endswith("Ende.")


def test_repeated_text_is_chunked_at_its_true_positions():
    text = "a. " * 20_000
    chunker = SentenceChunker(subword_tokens, chunk_tokens=160, overlap_tokens=30)
    chunks = chunker.chunk(Article("a", "A", text.strip()))
    assert chunks[-1].end == len(text.strip())  # identical chunk texts are not all placed at the start
    assert all(later.start > earlier.start for earlier, later in zip(chunks, chunks[1:]))
