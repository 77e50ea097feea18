"""Wire copies: the same story printed twice, found by MinHash over word shingles (datasketch).

A copy differs in its headline, its boilerplate, and a paragraph added or cut; another story on
the same topic shares names and phrases but few runs of five words. Each article's MinHash
signature is cut into LSH bands (``bands``); two articles that share a band are candidates, and
they are copies when the Jaccard similarity their signatures estimate reaches
``COPY_THRESHOLD`` and they agree on their figures: a report written from a template (the same
sentences about another water works, "38" or "12 Millionen Euro") shares most shingles with its
siblings but is another story, and reading only one of them would answer from the wrong one.
Nor are two prints copies when one edits a sentence of the other in a figure or a name
(``conflicting``): "rund 150 neue Stores" in one, "rund 950 neue Stores" in the other is a
disagreement to show, and a print that was altered must not stand in for the story.

Measured by ``python -m bench.wire_copies`` (bench/results/wire_copies.md) on news-dev's 416
articles, 100 made copies and 100 templated reports: every copy scores 0.375 or more and no two
other stories more than 0.25, so 0.35 separates them, in 1 ms per article; the templated reports
score up to 0.98; the figures check and ``conflicting`` keep all 100 apart (precision 0.50
without them, 0.99 with the figures check alone).
The articles' mean chunk embeddings separate neither.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Sequence

from datasketch import MinHash, MinHashLSH

from index.sentences import sentences
from index.types import Article
from index.vector_store import ArticleWrite, StoredArticle, VectorStore

SHINGLE_WORDS = 5
PERMUTATIONS = 128
COPY_THRESHOLD = 0.35  # estimated Jaccard of the shingle sets
FIGURES_SHARE = 0.5  # of the figures of the text with fewer, found in the other
TWIN_SHARE = 0.6  # of the words two sentences share (Jaccard), for one to be an edit of the other
_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Bands laid out for a lower threshold, so that a pair just above COPY_THRESHOLD shares a band
# with a probability of about 0.9 (37 bands of 3 rows); the signatures then decide.
_LAYOUT = MinHashLSH(threshold=0.3, num_perm=PERMUTATIONS)
BANDS, ROWS = _LAYOUT.b, _LAYOUT.r


def shingles(text: str) -> set[str]:
    """The text's runs of ``SHINGLE_WORDS`` words, in lower case (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(text)])
    return minhash


def similarity(first: MinHash, second: MinHash) -> float:
    """The Jaccard similarity of two texts' shingles, as their signatures estimate it."""
    return float(first.jaccard(second))


def bands(minhash: MinHash) -> list[str]:
    """The signature's LSH band keys: texts that share one are candidate copies."""
    values = minhash.hashvalues
    return [
        f"{band}-{hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
        for band in range(BANDS)
    ]


def figures(text: str) -> set[str]:
    return set(_NUMBER.findall(text))


def same_figures(first: set[str], second: set[str]) -> bool:
    """Whether two texts agree on their figures: at least half of the figures of the one that
    names fewer are in the other (a copy keeps the story's figures; a templated report of
    another thing, "Die Kosten werden auf 38 / 12 Millionen Euro geschätzt", does not)."""
    fewer, more = sorted((first, second), key=len)
    return not fewer or len(fewer & more) >= FIGURES_SHARE * len(fewer)


def conflicting(first: str, second: str) -> bool:
    """Whether a sentence of one text is an edit of a sentence of the other (most words shared)
    that replaces a figure, or a name by one that the other text never writes."""
    ours, theirs = set(sentences(first)), set(sentences(second))
    edited = [set(_WORD.findall(sentence)) for sentence in theirs - ours]
    for sentence in ours - theirs:
        words = set(_WORD.findall(sentence))
        for other in edited:
            if len(words & other) < TWIN_SHARE * len(words | other):
                continue
            if _replaced(words - other, other - words, str.isdigit) or _replaced(
                words - other, other - words, lambda word: word[0].isupper() and not (word in first and word in second)
            ):
                return True
    return False


def _replaced(gone: set[str], come: set[str], kind) -> bool:
    """Whether a word of ``kind`` gave way to another of its kind ("150" to "950"; a name that
    one text never writes to another): an added "Live:" before a headline replaces nothing."""
    return any(kind(word) for word in gone) and any(kind(word) for word in come)


def grouped(
    article: Article,
    store: VectorStore,
    batch: list[ArticleWrite] | None = None,
    indexed: Sequence[StoredArticle] | None = None,
) -> tuple[Article, list[str]]:
    """The article with the copy group of the indexed articles it is a copy of (groups it joins
    become one), and its band keys to store with it. ``batch``: the articles to be written with
    it, which count as indexed; those that join its group are changed in place. ``indexed``: the
    candidates already read from the store for the whole batch (``store.copies``), so that a
    batch costs one read; without it the store is asked for this article's."""
    batch = [] if batch is None else batch
    waiting = {write.article.id for write in batch}
    minhash = signature(article.text)
    keys = bands(minhash)
    stored = store.copies(bands=[keys]) if indexed is None else indexed
    candidates = [s.article for s in stored if s.article.id not in waiting and _share_a_band(keys, s.bands)]
    candidates += [write.article for write in batch if _share_a_band(keys, write.bands)]
    copies = [
        other
        for other in candidates
        if other.id != article.id
        and similarity(minhash, signature(other.text)) >= COPY_THRESHOLD
        and same_figures(figures(article.text), figures(other.text))
        and not conflicting(article.text, other.text)
    ]
    if not copies:
        return replace(article, copy_group=""), keys
    groups = sorted({copy.copy_group or copy.id for copy in copies})
    group = groups[0]
    joined = {copy.id for copy in copies if copy.copy_group != group}
    for other in groups[1:]:
        joined |= {stored.article.id for stored in store.copies(group=other)}
        joined |= {write.article.id for write in batch if write.article.copy_group == other}
    for position, write in enumerate(batch):
        if write.article.id in joined:
            batch[position] = replace(write, article=replace(write.article, copy_group=group))
    if joined - waiting:
        store.set_copy_group(sorted(joined - waiting), group)
    return replace(article, copy_group=group), keys


def _share_a_band(keys: Sequence[str], others: Sequence[str]) -> bool:
    return any(a == b for a, b in zip(keys, others))


def members(article: Article, store: VectorStore) -> Sequence[Article]:
    """The other articles of its copy group."""
    if not article.copy_group:
        return []
    return [s.article for s in store.copies(group=article.copy_group) if s.article.id != article.id]
