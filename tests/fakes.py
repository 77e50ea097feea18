"""Test doubles that satisfy the same Protocols as the real parts (Embedder, VectorStore, ChatBackend)."""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import replace
from typing import Iterator, Sequence

from index.types import Article, Chunk, DayRange, Hit
from index.vector_store import ArticleWrite, Catalogued, StoredArticle

_WORD = re.compile(r"\w+")


class FakeEmbedder:
    """Deterministic bag-of-word-prefixes vectors: texts sharing words are close."""

    name = "fake-embedder"
    dimensions = 256

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def tokenize(self, text: str) -> list:
        return text.split()

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for word in _WORD.findall(text.lower()):
            slot = int(hashlib.md5(word[:5].encode()).hexdigest(), 16) % self.dimensions
            vector[slot] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: Sequence[str], *, titles: Sequence[str] | None = None) -> list[list[float]]:
        self.embedded.extend(texts)
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


class MemoryStore:
    """A VectorStore in a dict, with exact cosine search."""

    def __init__(self) -> None:
        self.records: dict[str, tuple[StoredArticle, str, list[tuple[Chunk, list[float]]]]] = {}
        self.bands: dict[str, list[str]] = {}
        self.writes = 0
        self.changed: list[set[str]] = []  # by write: the articles it changed

    def catalog(self) -> dict[str, Catalogued]:
        return {
            aid: Catalogued(stored.fingerprint, text_hash, stored.chunk_count, stored.article.source_path)
            for aid, (stored, text_hash, _) in self.records.items()
        }

    def article_ids(self) -> list[str]:
        return sorted(self.records)

    def articles(self, ids: Sequence[str] | None = None) -> list[StoredArticle]:
        wanted = self.records if ids is None else [i for i in ids if i in self.records]
        return sorted((self.records[i][0] for i in wanted), key=lambda s: s.article.id)

    def replace_article(
        self, article: Article, chunks, vectors, *, fingerprint: str, content_hash: str, bands: Sequence[str] = ()
    ) -> None:
        self.write_articles([ArticleWrite(article, chunks, vectors, fingerprint, content_hash, bands)])

    def write_articles(self, writes: Sequence[ArticleWrite]) -> None:
        for write in writes:
            stored = StoredArticle(write.article, write.fingerprint, len(write.chunks), tuple(write.bands))
            self.records[write.article.id] = (
                stored,
                write.content_hash,
                [(c, list(v)) for c, v in zip(write.chunks, write.vectors)],
            )
            self.bands[write.article.id] = list(write.bands)
        self._wrote({write.article.id for write in writes})

    def copies(self, *, bands: Sequence[Sequence[str]] = (), group: str = "") -> list[StoredArticle]:
        return [
            stored
            for article_id, (stored, _, _) in sorted(self.records.items())
            if (group and stored.article.copy_group == group)
            or any(a == b for keys in bands for a, b in zip(keys, self.bands.get(article_id, ())))
        ]

    def set_copy_group(self, ids: Sequence[str], group: str) -> None:
        for article_id in ids:
            stored, text_hash, chunks = self.records[article_id]
            regrouped = replace(stored, article=replace(stored.article, copy_group=group))
            self.records[article_id] = (regrouped, text_hash, chunks)

    def remove_article(self, article_id: str) -> None:
        self.records.pop(article_id, None)
        self._wrote({article_id})

    def _wrote(self, article_ids: set[str]) -> None:
        self.changed.append(article_ids)
        self.writes += 1

    def version(self) -> str:
        return str(self.writes)

    def changed_since(self, version: str) -> set[str] | None:
        return set().union(*self.changed[int(version) :]) if version.isdigit() else None

    def remove_orphans(self) -> int:
        return 0  # writes here are atomic: nothing is ever left half-done

    def search(self, vector: Sequence[float], k: int, days: DayRange = DayRange()) -> list[Hit]:
        return self._nearest(vector, days)[:k]

    def scored(self, vector: Sequence[float], chunk_ids: Sequence[str], days: DayRange = DayRange()) -> list[Hit]:
        wanted = set(chunk_ids)
        return [hit for hit in self._nearest(vector, days) if hit.chunk.id in wanted]

    def _nearest(self, vector: Sequence[float], days: DayRange) -> list[Hit]:
        hits = [
            Hit(
                chunk=chunk,
                title=stored.article.title,
                score=sum(a * b for a, b in zip(vector, v)),
                date=stored.article.date,
                language=stored.article.language,
            )
            for stored, _, chunks in self.records.values()
            if not days or days.holds(stored.article.day)
            for chunk, v in chunks
        ]
        return sorted(hits, key=lambda hit: -hit.score)

    def chunk_texts(self, article_ids: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
        return [
            (chunk.id, chunk.text, stored.article.language or "")
            for article_id, (stored, _, chunks) in self.records.items()
            if article_ids is None or article_id in article_ids
            for chunk, _ in chunks
        ]

    def chunk_count(self) -> int:
        return sum(len(chunks) for _, _, chunks in self.records.values())


class ScriptedBackend:
    """A ChatBackend that replies from a script, a few characters at a time, and records the prompts."""

    name = "scripted"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.prompts: list[list[dict]] = []
        self.grammars: list[str | None] = []

    def read_prefix(self, messages) -> str:  # read as a question: its prompt is recorded, a reply used up
        for _ in self.stream_chat(messages, max_tokens=1):
            pass
        return "computed"

    def stream_chat(self, messages, *, max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        self.prompts.append(list(messages))
        self.grammars.append(grammar)
        reply = self.replies.pop(0) if self.replies else "NOT FOUND"
        for start in range(0, len(reply), 4):
            yield reply[start : start + 4]


class DownBackend(ScriptedBackend):
    """A ChatBackend whose server does not answer: every reply is a BackendError."""

    def stream_chat(self, messages, *, max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        from index.errors import BackendError

        raise BackendError("The model server at http://10.0.0.5:8080 does not answer; is it running?")


class PassageEchoBackend:
    """A ChatBackend whose answer is the prompt's first passage, cited, a word at a time: what
    it says depends only on what was asked, so answers of different askers cannot be confused.
    A follow-up to rewrite comes back as it was asked."""

    name = "passage-echo"

    def __init__(self, *, seconds_per_word: float = 0.0) -> None:
        self.seconds_per_word = seconds_per_word
        self.abandoned = 0  # replies whose reader stopped before the end

    def read_prefix(self, messages) -> str:
        return "computed"

    def stream_chat(self, messages, *, max_tokens: int, grammar: str | None = None) -> Iterator[str]:
        asked = messages[-1]["content"]
        first = re.search(r"^\[1\] (.+)$", asked, re.MULTILINE)
        follow_up = re.search(r"^Last question: (.+)$", asked, re.MULTILINE)  # a rewrite: kept as asked
        words = (f"{first[1]} [1]" if first else follow_up[1] if follow_up else "NOT FOUND").split(" ")
        sent = 0
        try:
            for sent, word in enumerate(words, start=1):
                time.sleep(self.seconds_per_word)
                yield word + " "
        finally:
            self.abandoned += sent < len(words)
