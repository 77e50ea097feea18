"""BM25 over chunk texts: the lexical signal for names, numbers and same-language questions.

Tokens are lower-cased words and numbers; German and English stop words are dropped and
words are reduced by the Snowball stemmer of the text's language (nltk's, which needs no
downloaded data). Numbers keep their digits only ("108.796" and "108,796" both become
"108796"), so a number matches across notations.

Two indexes: ``BM25`` ranks a fixed list of documents (bench/retrieval.py ranks XQuAD with
it), and ``LexicalIndex`` scores chunks by id and follows the store by ``sync``, tokenizing only
the chunks that are new or changed (bench/results/scale_search.md: at 1M chunks, 1.2 s after a
one-article ingest where rebuilding took a minute, besides the store's read). Both give a
document the same score, to the last bit.

What it leaves out: compound splitting, synonyms, anything across languages but shared
names and numbers (the dense retriever covers that).
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from functools import lru_cache
from typing import Callable, Collection, Iterable, Sequence

from index.language import detect_language
from index.types import article_of

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+", re.UNICODE)
STOP_WORDS = frozenset(
    """
    der die das und ist nicht ein eine einen einem einer eines dem den des mit von zu im in auf für wie was wer
    wo wann warum welche welcher welches viele hat haben sich auch noch nach bei aus sind wird werden es sie er
    über am an als um oder aber dass wurde wurden sein seine ihr ihre zum zur vom
    the and is are not a an of to in on for with what who where when why which how many much does do did has
    have it its by from at that this will was were be been as or but there their they he she his her
    """.split()
)
K1, B = 1.5, 0.75
_STEMS_KEPT = 1 << 18  # words per language whose stem is remembered: a few tens of MB at most
# A term held by at most this many chunks keeps their list (LexicalIndex.chunks_holding): enough for
# the rare words a question hinges on (rag.retrieval.rare_terms), few enough that scoring them all
# against the question takes milliseconds.
RARE_POSTINGS = 100


def _stemmer(language: str) -> Callable[[str], str]:
    return _snowball("german" if language == "de" else "english")


@lru_cache(maxsize=None)
def _snowball(name: str) -> Callable[[str], str]:
    """The Snowball stem, remembered per word: stemming is most of the time of ``tokens`` (5 us
    a word), and news text repeats its words (221 -> 55 us a chunk, bench/results/scale_search.md)."""
    from nltk.stem.snowball import SnowballStemmer

    return lru_cache(maxsize=_STEMS_KEPT)(SnowballStemmer(name).stem)


def tokens(text: str, language: str | None = None) -> list[str]:
    stem = _stemmer(language or detect_language(text))
    found = []
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            found.append(re.sub(r"[.,]", "", token))
        elif token not in STOP_WORDS and len(token) > 1:
            found.append(stem(token))
    return found


def _idf(documents: int, containing: int) -> float:
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


def _length_norm(length: int, average_length: float) -> float:
    return K1 * (1 - B + B * length / (average_length or 1))


def _term_score(idf: float, frequency: int, norm: float) -> float:
    return idf * frequency * (K1 + 1) / (frequency + norm)


class BM25:
    """Okapi BM25 over a fixed list of documents, identified by their position."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        self.term_counts = [Counter(doc) for doc in documents]
        self.lengths = [sum(counts.values()) for counts in self.term_counts]
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        document_frequency: Counter = Counter()
        for counts in self.term_counts:
            document_frequency.update(counts.keys())
        n = len(self.term_counts)
        self.idf = {term: _idf(n, df) for term, df in document_frequency.items()}
        self.postings: dict[str, list[int]] = {}
        for index, counts in enumerate(self.term_counts):
            for term in counts:
                self.postings.setdefault(term, []).append(index)

    def __len__(self) -> int:
        return len(self.term_counts)

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        """Score of every document that shares a term with the query."""
        scores: dict[int, float] = {}
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for index in self.postings[term]:
                norm = _length_norm(self.lengths[index], self.average_length)
                scores[index] = scores.get(index, 0.0) + _term_score(idf, self.term_counts[index][term], norm)
        return scores

    def score(self, query: Sequence[str], index: int) -> float:
        """The score of one document: what ``scores`` gives it, without touching any other."""
        counts = self.term_counts[index]
        norm = _length_norm(self.lengths[index], self.average_length)
        total = 0.0
        for term in set(query):
            frequency = counts.get(term, 0)
            if frequency:
                total += _term_score(self.idf[term], frequency, norm)
        return total

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        return sorted(self.scores(query).items(), key=lambda item: -item[1])[:k]


class LexicalIndex:
    """BM25 over chunks by id, kept equal to what the store holds by ``sync``.

    It scores given chunks only (the dense retriever's candidates), so it keeps postings for
    rare terms alone: per chunk, the hash of its text and its term ids in an array (a few
    hundred bytes, where a Counter of strings took kilobytes); per term the number of chunks
    that hold it; and, while a term is held by at most ``RARE_POSTINGS`` chunks, which they
    are (``chunks_holding``: names, places and figures a question may hinge on). A term that
    passes that count loses its list for good. Terms of removed chunks stay in the vocabulary
    with no chunk holding them.
    """

    def __init__(self) -> None:
        self._term_ids: dict[str, int] = {}
        self._chunks: dict[str, tuple[int, array]] = {}  # chunk id -> (hash of its text, its term ids in order)
        self._containing = array("q")  # by term id: how many chunks hold the term
        self._holders: dict[int, list[str]] = {}  # by term id: the chunks of a term no more than RARE_POSTINGS hold
        self._common: set[int] = set()  # the terms that were held by more: never listed again
        self._total_length = 0

    def __len__(self) -> int:
        return len(self._chunks)

    def __contains__(self, chunk_id: object) -> bool:
        return chunk_id in self._chunks

    def sync(self, stored: Iterable[tuple[str, str, str]], articles: Collection[str] | None = None) -> int:
        """Hold exactly the ``stored`` (chunk id, text, language) triples: chunks that are new or
        whose text changed are tokenized, chunks no longer there are taken out; returns how many
        chunks changed. With ``articles``, ``stored`` is all the chunks of those articles, and the
        chunks of other articles stay as they are. If tokenizing fails part way, what was synced
        is consistent and the next sync completes it."""
        seen = set()
        changed = 0
        for chunk_id, text, language in stored:
            seen.add(chunk_id)
            held = self._chunks.get(chunk_id)
            if held is not None and held[0] == hash(text):
                continue
            self._remove(chunk_id)
            self._add(chunk_id, hash(text), tokens(text, language or None))
            changed += 1
        affected = self._chunks if articles is None else [c for c in self._chunks if article_of(c) in articles]
        for chunk_id in [chunk_id for chunk_id in affected if chunk_id not in seen]:
            self._remove(chunk_id)
            changed += 1
        return changed

    def chunks_holding(self, term: str) -> list[str] | None:
        """The ids of the chunks that hold ``term``; None when too many have held it to list them."""
        term_id = self._term_ids.get(term)
        if term_id is None:
            return []
        return None if term_id in self._common else list(self._holders.get(term_id, ()))

    def holding(self, term: str) -> int:
        """How many chunks hold ``term`` (a token as ``tokens`` makes it)."""
        term_id = self._term_ids.get(term)
        return 0 if term_id is None else self._containing[term_id]

    def score(self, query: Sequence[str], chunk_id: str) -> float:
        """The chunk's BM25 score (0 for a chunk not held): what ``BM25.score`` gives it among the same chunks."""
        held = self._chunks.get(chunk_id)
        if held is None:
            return 0.0
        terms = held[1]
        documents = len(self._chunks)
        norm = _length_norm(len(terms), self._total_length / documents)
        total = 0.0
        for term in set(query):
            term_id = self._term_ids.get(term)
            if term_id is not None and (frequency := terms.count(term_id)):
                total += _term_score(_idf(documents, self._containing[term_id]), frequency, norm)
        return total

    def _add(self, chunk_id: str, text_hash: int, terms: Sequence[str]) -> None:
        for term in set(terms).difference(self._term_ids):
            self._term_ids[term] = len(self._term_ids)
            self._containing.append(0)
        ids = array("i", map(self._term_ids.__getitem__, terms))
        for term_id in set(ids):
            self._containing[term_id] += 1
            if term_id in self._common:
                continue
            holders = self._holders.setdefault(term_id, [])
            if len(holders) < RARE_POSTINGS:
                holders.append(chunk_id)
            else:
                del self._holders[term_id]
                self._common.add(term_id)
        self._total_length += len(ids)
        self._chunks[chunk_id] = (text_hash, ids)

    def _remove(self, chunk_id: str) -> None:
        held = self._chunks.pop(chunk_id, None)
        if held is not None:
            for term_id in set(held[1]):
                self._containing[term_id] -= 1
                if (holders := self._holders.get(term_id)) is not None:
                    holders.remove(chunk_id)
            self._total_length -= len(held[1])
