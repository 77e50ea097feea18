"""Hybrid retrieval: dense candidates re-scored with a BM25 bonus, weighted by language.

Each of the dense retriever's candidates gets ``cosine + weight * bm25 / best_bm25``, where
``best_bm25`` is the best lexical score among the candidates. The bonus is at most
``weight``, so it reorders passages whose cosine similarities are close and never pulls in
one the dense retriever did not find. The weight is larger when the question and the
passage share a language (names, numbers and words all match) than across languages (only
names and numbers can). Measured on XQuAD (bench/results/retrieval.md): with these weights
hit@1 goes from 0.954 to 0.957 for English questions and from 0.941 to 0.967 for German
ones; rank fusion (RRF), the usual hybrid, drops English questions to 0.826.
"""

from __future__ import annotations

import re
import threading
from typing import Mapping, Sequence

from index.embedding import Embedder
from index.lexical import RARE_POSTINGS, LexicalIndex, tokens
from index.types import DayRange, Hit
from index.vector_store import VectorStore

SAME_LANGUAGE_WEIGHT = 0.1
CROSS_LANGUAGE_WEIGHT = 0.05
# A question word held by at most this share of the chunks is searched for in the texts too.
RARE_SHARE = 0.01
RARE_WORDS = 3  # the rarest few
RARE_DEPTH = 5  # chunks that hold one, nearest first, added to the candidates
_WORD = re.compile(r"\w{4,}|\d+(?:[.,]\d+)*")


def fuse(
    dense: Sequence[tuple[int, float]],
    lexical: Mapping[int, float],
    *,
    weights: Mapping[int, float] | float,
) -> list[tuple[int, float]]:
    """Re-score dense (candidate, cosine) pairs with their lexical scores; best first."""
    best = max((lexical.get(candidate, 0.0) for candidate, _ in dense), default=0.0)
    fused = []
    for candidate, cosine in dense:
        weight = weights if isinstance(weights, (int, float)) else weights.get(candidate, 0.0)
        bonus = weight * lexical.get(candidate, 0.0) / best if best > 0 else 0.0
        fused.append((candidate, cosine + bonus))
    return sorted(fused, key=lambda item: -item[1])


def rare_terms(question: str, language: str, lexical: LexicalIndex) -> list[str]:
    """The terms of the question's words that at most ``RARE_SHARE`` of the chunks hold (and no
    more than the lexical index lists), rarest first: names, places, figures. The chunks that
    hold them, scored against the question, find a chunk the vector index cannot reach:
    measured, an article among a thousand near-identical ones (a council notice printed for
    every town) was never returned by Chroma's HNSW search for its own question, at any depth."""
    limit = min(max(1.0, RARE_SHARE * len(lexical)), RARE_POSTINGS)
    found = []
    for word in dict.fromkeys(_WORD.findall(question)):
        terms = tokens(word, language)
        if len(terms) == 1 and 0 < (count := lexical.holding(terms[0])) <= limit:
            found.append((count, terms[0]))
    return [term for _, term in sorted(found)[:RARE_WORDS]]


class HybridRetriever:
    """Dense search in the store, re-scored with BM25 over every stored chunk.

    The lexical index follows the store: when the store's version changes (an ingest or a
    removal, by any process) the store says which articles changed since the version it holds,
    and only their chunks are read and tokenized (at 1M chunks, reading every chunk text took
    two minutes: bench/results/scale_search.md). The first search reads them all.
    """

    def __init__(self, store: VectorStore, embedder: Embedder, *, depth: int = 20) -> None:
        self.store = store
        self.embedder = embedder
        self.depth = depth
        self._lexical = LexicalIndex()
        self._lexical_version: str | None = None  # the store's version the lexical index holds
        self._lock = threading.Lock()

    def _sync_lexical(self) -> None:
        """Bring the lexical index to what the store holds: every chunk the first time (or when
        the store cannot say what changed), then the chunks of the articles changed since (an
        article written while they are read is read again at the next version)."""
        held = self._lexical_version
        changed = None if held is None else self.store.changed_since(held)
        if changed is None:
            self._lexical.sync(self.store.chunk_texts())
        elif changed:
            self._lexical.sync(self.store.chunk_texts(sorted(changed)), articles=changed)

    def search(self, question: str, language: str, k: int, days: DayRange = DayRange()) -> list[Hit]:
        """The k best chunks (of articles in ``days``, when set); each Hit keeps its cosine similarity as ``score``."""
        return self.search_vector(self.embedder.embed_query(question), question, language, k, days)

    def search_vector(
        self, vector: Sequence[float], question: str, language: str, k: int, days: DayRange = DayRange()
    ) -> list[Hit]:
        """``search`` for a question already embedded as ``vector``."""
        version = self.store.version()  # one small read, whatever the size of the index
        with self._lock:  # a sync changes the index in place: no scoring while it runs
            if self._lexical_version != version:
                self._sync_lexical()
                self._lexical_version = version
            holders = {
                c
                for term in rare_terms(question, language, self._lexical)
                for c in self._lexical.chunks_holding(term) or ()
            }
        dense = self.store.search(vector, max(k, self.depth), days)
        found = len(dense)
        holders -= {hit.chunk.id for hit in dense}
        if holders:  # the chunks that hold a rare word of the question, by their cosine: see rare_terms
            dense += self.store.scored(vector, sorted(holders), days)[:RARE_DEPTH]
        if not dense:
            return []
        query = tokens(question, language)
        weights = {
            i: SAME_LANGUAGE_WEIGHT if (hit.language or language) == language else CROSS_LANGUAGE_WEIGHT
            for i, hit in enumerate(dense)
        }
        with self._lock:  # only the candidates are scored: the cost does not grow with the index
            lexical = {i: self._lexical.score(query, hit.chunk.id) for i, hit in enumerate(dense)}
        best = max((lexical[i] for i in range(found)), default=0.0)
        for i in range(found, len(dense)):  # scaled as the dense candidates are: their order stays as it was
            lexical[i] = min(lexical[i], best)
        ranked = fuse([(i, hit.score) for i, hit in enumerate(dense)], lexical, weights=weights)
        return [dense[i] for i, _ in ranked[:k]]
