"""Where chunks and articles live: the VectorStore Protocol and its Chroma implementation.

Two Chroma collections per index: ``NAME`` holds chunks with our vectors (cosine space), and
``NAME-articles`` holds each article's full text and fingerprint. The article record is
written after its chunks, so it doubles as the commit marker of an ingest: an article whose
record is missing or stale is re-chunked and its old chunks replaced.

Chroma never embeds anything itself here (its default embedding function downloads a model);
every vector comes from our embedder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from index.errors import StoreError
from index.types import Article, Chunk, Hit

_PLACEHOLDER_VECTOR = [1.0]  # article records are looked up by id, never by similarity


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    fingerprint: str
    chunk_count: int


class VectorStore(Protocol):
    def fingerprints(self) -> dict[str, str]:
        """Article id -> fingerprint of every article fully written."""

    def articles(self, ids: Sequence[str] | None = None) -> list[StoredArticle]: ...

    def replace_article(
        self, article: Article, fingerprint: str, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]
    ) -> None: ...

    def remove_article(self, article_id: str) -> None: ...

    def search(self, vector: Sequence[float], k: int) -> list[Hit]: ...

    def chunk_count(self) -> int: ...


class ChromaStore:
    """A VectorStore on Chroma, embedded (a folder) or a server."""

    def __init__(self, client, name: str = "articles") -> None:
        self._client = client
        self.name = name
        try:
            self._chunks = client.get_or_create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
            self._articles = client.get_or_create_collection(f"{name}-articles", embedding_function=None)
        except Exception as exc:
            raise StoreError(f"Could not open the Chroma collection {name!r}: {exc}") from exc

    @classmethod
    def persistent(cls, path: Path, name: str = "articles") -> "ChromaStore":
        import chromadb
        from chromadb.config import Settings

        path.mkdir(parents=True, exist_ok=True)
        try:
            client = chromadb.PersistentClient(path=str(path), settings=Settings(anonymized_telemetry=False))
        except Exception as exc:
            raise StoreError(f"Could not open the Chroma index in {path}: {exc}") from exc
        return cls(client, name)

    def fingerprints(self) -> dict[str, str]:
        records = self._articles.get(include=["metadatas"])
        return {rid: meta["fingerprint"] for rid, meta in zip(records["ids"], records["metadatas"])}

    def articles(self, ids: Sequence[str] | None = None) -> list[StoredArticle]:
        records = self._articles.get(ids=list(ids) if ids is not None else None, include=["metadatas", "documents"])
        found = []
        for rid, meta, text in zip(records["ids"], records["metadatas"], records["documents"]):
            article = Article(
                id=rid,
                title=meta.get("title", rid),
                text=text,
                source_path=meta.get("source_path", ""),
                date=meta.get("date") or None,
                language=meta.get("language") or None,
            )
            found.append(StoredArticle(article, meta["fingerprint"], int(meta.get("chunk_count", 0))))
        return sorted(found, key=lambda stored: stored.article.id)

    def replace_article(
        self, article: Article, fingerprint: str, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]
    ) -> None:
        self.remove_article(article.id)
        if chunks:
            self._chunks.add(
                ids=[chunk.id for chunk in chunks],
                embeddings=[list(map(float, vector)) for vector in vectors],
                documents=[chunk.text for chunk in chunks],
                metadatas=[
                    {
                        "article_id": chunk.article_id,
                        "title": article.title,
                        "ordinal": chunk.ordinal,
                        "start": chunk.start,
                        "end": chunk.end,
                        "date": article.date or "",
                        "language": article.language or "",
                    }
                    for chunk in chunks
                ],
            )
        self._articles.upsert(
            ids=[article.id],
            embeddings=[_PLACEHOLDER_VECTOR],
            documents=[article.text],
            metadatas=[
                {
                    "title": article.title,
                    "fingerprint": fingerprint,
                    "chunk_count": len(chunks),
                    "source_path": article.source_path,
                    "date": article.date or "",
                    "language": article.language or "",
                }
            ],
        )

    def remove_article(self, article_id: str) -> None:
        self._articles.delete(ids=[article_id])
        self._chunks.delete(where={"article_id": article_id})

    def search(self, vector: Sequence[float], k: int) -> list[Hit]:
        total = self._chunks.count()
        if total == 0:
            return []
        result = self._chunks.query(
            query_embeddings=[list(map(float, vector))],
            n_results=min(k, total),
            include=["documents", "metadatas", "distances"],
        )
        hits = []
        for cid, text, meta, distance in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
        ):
            chunk = Chunk(
                id=cid,
                article_id=meta["article_id"],
                ordinal=int(meta["ordinal"]),
                text=text,
                start=int(meta["start"]),
                end=int(meta["end"]),
            )
            hits.append(Hit(chunk=chunk, title=meta.get("title", ""), score=1.0 - float(distance)))
        return hits

    def chunk_count(self) -> int:
        return self._chunks.count()
