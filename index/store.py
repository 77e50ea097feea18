"""Where chunks and articles live: the VectorStore Protocol and its Chroma implementation.

Two Chroma collections per index: ``NAME`` holds chunks with our vectors (cosine space), and
``NAME-articles`` holds each article's cleaned text, metadata and fingerprint. Writing an
article deletes its record first and writes it again last, so the record is the commit
marker: after a crash, an article without a record is ingested again (its partial chunks
replaced), and chunks whose article has no record are swept away by ``remove_orphans``.

Chroma never embeds anything itself here (its default embedding function downloads a
model); every vector comes from our embedder. Chroma runs embedded (a folder) or as a server.
"""

from __future__ import annotations

import json
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, Sequence

from index.chroma_changes import ChangeJournal
from index.chroma_records import BAND_KEY, article_record, chunk_records, hit_of, is_whole, within
from index.errors import StoreError
from index.types import DATING_FIELDS, Article, Chunk, DayRange, Hit, Removal, article_of
from index.vector_store import ArticleWrite, Catalogued, StoredArticle

_PLACEHOLDER_VECTOR = [1.0]  # article records are looked up by id, never by similarity
_PAGE = 5000  # records per read of a whole collection
_BATCH = 1000  # Chroma caps the records of one call; stay well under it
_ARTICLES_PER_READ = 200  # articles whose chunks one read fetches (a few thousand chunks)
WRITING = "writing-"  # a version that starts so: a write is under way
MIN_FREE_BYTES = 50 * 1024 * 1024  # an embedded index takes no write with less free on its disk


class ChromaStore:
    """A VectorStore on Chroma, embedded (a folder) or a server."""

    def __init__(
        self, client, name: str = "articles", *, where: str = "", folder: Path | None = None, min_free_bytes: int = 0
    ) -> None:
        self._client = client
        self.name = name
        self.where = where or "Chroma"
        self.folder = folder  # an embedded index's folder; None for a server
        self.min_free_bytes = min_free_bytes
        self._write_failure = ""  # set when a write failed for want of disk space
        with self._errors("open the collection"):
            self._chunks = client.get_or_create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
            self._articles = client.get_or_create_collection(f"{name}-articles", embedding_function=None)
            self._changes = ChangeJournal(client.get_or_create_collection(f"{name}-changes", embedding_function=None))

    @classmethod
    def persistent(cls, path: Path, name: str = "articles", *, min_free_bytes: int = MIN_FREE_BYTES) -> ChromaStore:
        import chromadb
        from chromadb.config import Settings

        try:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=Settings(anonymized_telemetry=False))
        except Exception as exc:
            raise StoreError(
                f"Could not open the Chroma index in {path}: {exc}. Check that the folder is writable and no "
                "other program holds it, or set ARTICLE_QA_DATA_DIR to another folder."
            ) from exc
        return cls(client, name, where=f"the Chroma index in {path}", folder=path, min_free_bytes=min_free_bytes)

    @classmethod
    def server(cls, host: str, port: int, name: str = "articles", *, token: str = "", ssl: bool = False) -> ChromaStore:
        """A Chroma server (``chroma run``). The token, if any, goes in the Authorization header."""
        import chromadb
        from chromadb.config import Settings

        where = f"the Chroma server at {host}:{port}"
        headers = {"Authorization": f"Bearer {token}", "X-Chroma-Token": token} if token else None
        try:
            client = chromadb.HttpClient(
                host=host, port=port, ssl=ssl, headers=headers, settings=Settings(anonymized_telemetry=False)
            )
        except Exception as exc:
            raise StoreError(
                f"Could not reach {where} ({type(exc).__name__}). Is `chroma run --host {host} --port {port}` running?"
            ) from exc
        return cls(client, name, where=where)

    def _errors(self, action: str):
        return _StoreErrors(f"Could not {action} in {self.where}", self._what_to_do())

    def _what_to_do(self) -> str:
        if self.folder is None:
            return "Check that the Chroma server is running and reachable, then try again."
        return "Try again; if it persists, run `article-qa ingest` to rebuild what is missing."

    def catalog(self) -> dict[str, Catalogued]:
        with self._errors("read the article list"):
            records = _get_all(self._articles, include=["metadatas"])
        return {
            rid: Catalogued(
                meta["fingerprint"],
                meta.get("content_hash", ""),
                int(meta.get("chunk_count", 0)),
                meta.get("source_path", ""),
            )
            for rid, meta in zip(records["ids"], records["metadatas"])
        }

    def article_ids(self) -> list[str]:
        with self._errors("read the article list"):
            return sorted(_get_all(self._articles, include=[])["ids"])

    def articles(self, ids: Sequence[str] | None = None) -> list[StoredArticle]:
        if ids is not None and not ids:
            return []  # Chroma reads an empty id list as an error, not as "none"
        with self._errors("read articles"):
            if ids is None:
                records = _get_all(self._articles, include=["metadatas", "documents"])
            else:
                records = self._articles.get(ids=list(ids), include=["metadatas", "documents"])
        found = []
        for rid, meta, text in zip(records["ids"], records["metadatas"], records["documents"]):
            article = Article(
                id=rid,
                title=meta.get("title", rid),
                text=text,
                source_path=meta.get("source_path", ""),
                date=meta.get("date") or None,
                language=meta.get("language") or None,
                url=meta.get("url") or None,
                source=meta.get("source") or None,
                removed=tuple(Removal(rule, text) for rule, text in json.loads(meta.get("removed", "[]"))),
                copy_group=meta.get("copy_group", ""),
                **{name: meta.get(name, "") for name in DATING_FIELDS},
            )
            numbers = sorted(int(key[len(BAND_KEY) :]) for key in meta if key.startswith(BAND_KEY))
            keys = tuple(str(meta[f"{BAND_KEY}{number}"]) for number in numbers)
            found.append(StoredArticle(article, meta["fingerprint"], int(meta.get("chunk_count", 0)), keys))
        return sorted(found, key=lambda stored: stored.article.id)

    def replace_article(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        fingerprint: str,
        content_hash: str,
        bands: Sequence[str] = (),
    ) -> None:
        """``write_articles`` of one article."""
        self.write_articles([ArticleWrite(article, chunks, vectors, fingerprint, content_hash, bands)])

    def write_articles(self, writes: Sequence[ArticleWrite]) -> None:
        if not writes:
            return
        self._check_disk_space()
        ids = [write.article.id for write in writes]
        what = f"article {ids[0]!r}" if len(ids) == 1 else f"{len(ids)} articles ({ids[0]!r} ...)"
        with self._errors(f"write {what}"), self._noting_a_full_disk():
            self._bump_version(ids, writing=True)
            self._articles.delete(ids=ids)
            self._chunks.delete(where={"article_id": {"$in": ids}})
            records = [record for write in writes for record in chunk_records(write)]
            for first in range(0, len(records), _BATCH):
                batch = records[first : first + _BATCH]
                self._chunks.add(
                    ids=[chunk_id for chunk_id, _, _, _ in batch],
                    embeddings=[vector for _, vector, _, _ in batch],
                    documents=[text for _, _, text, _ in batch],
                    metadatas=[metadata for _, _, _, metadata in batch],
                )
            self._articles.upsert(  # last: the records are the commit marker
                ids=ids,
                embeddings=[_PLACEHOLDER_VECTOR] * len(ids),
                documents=[write.article.text for write in writes],
                metadatas=[article_record(write) for write in writes],
            )
            self._bump_version(ids)

    def copies(self, *, bands: Sequence[Sequence[str]] = (), group: str = "") -> list[StoredArticle]:
        positions = max((len(keys) for keys in bands), default=0)  # one condition a band, for all the lists at once
        conditions: list[dict] = [
            {f"{BAND_KEY}{number}": {"$in": sorted({keys[number] for keys in bands if number < len(keys)})}}
            for number in range(positions)
        ]
        conditions += [{"copy_group": group}] if group else []
        if not conditions:
            return []
        with self._errors("look for wire copies"):
            found = self._articles.get(where=conditions[0] if len(conditions) == 1 else {"$or": conditions}, include=[])
        return self.articles(found["ids"])

    def set_copy_group(self, ids: Sequence[str], group: str) -> None:
        if not ids:
            return
        self._check_disk_space()  # a write like any other: a full disk must not hang the client
        with self._errors("group wire copies"), self._noting_a_full_disk():
            self._bump_version([], writing=True)  # records only: no chunk changes
            self._articles.update(ids=list(ids), metadatas=[{"copy_group": group} for _ in ids])
            self._bump_version([])

    def _check_disk_space(self) -> None:
        """A write is refused up front when the disk is (nearly) full: Chroma's embedded client
        hangs on every write after one has failed for want of space (the index on disk stays
        valid, and a new process writes again)."""
        if self._write_failure:
            raise StoreError(self._write_failure)
        if self.folder is not None:
            free = shutil.disk_usage(self.folder).free
            if free < self.min_free_bytes:
                raise StoreError(
                    f"Only {free / 2**20:.0f} MiB free on the disk of {self.where} (at least "
                    f"{self.min_free_bytes / 2**20:.0f} MiB needed): nothing was written. "
                    "Free some space and run again."
                )

    @contextmanager
    def _noting_a_full_disk(self):
        try:
            yield
        except Exception as exc:
            if "disk is full" in str(exc) or "No space left" in str(exc):
                self._write_failure = (
                    f"The disk of {self.where} filled up during a write: nothing more is written by this process. "
                    "The index stays valid; free some space and start article-qa again to go on."
                )
                raise StoreError(self._write_failure) from exc
            raise

    def remove_article(self, article_id: str) -> None:
        if self._write_failure:
            raise StoreError(self._write_failure)
        with self._errors(f"remove article {article_id!r}"):
            self._bump_version([article_id], writing=True)
            self._articles.delete(ids=[article_id])
            self._chunks.delete(where={"article_id": article_id})
            self._bump_version([article_id])

    def remove_orphans(self) -> int:
        if self._write_failure:
            raise StoreError(self._write_failure)
        known = list(self.catalog())
        with self._errors("sweep orphan chunks"):
            where = {"article_id": {"$nin": known}} if known else None
            orphans = self._chunks.get(where=where, include=[])["ids"]
            for first in range(0, len(orphans), _BATCH):
                self._chunks.delete(ids=orphans[first : first + _BATCH])
            if orphans:
                self._bump_version(sorted({article_of(chunk_id) for chunk_id in orphans}))
        return len(orphans)

    @property
    def chunk_collection(self):
        """The Chroma collection of chunks, for tools that read it themselves (the benchmark's peer)."""
        return self._chunks

    def version(self) -> str:
        with self._errors("read the index version"):
            metadata = self._client.get_collection(self._articles.name).metadata or {}
        return str(metadata.get("version", ""))

    def _bump_version(self, changed: Sequence[str], *, writing: bool = False) -> None:
        """A new version that changes the chunks of the ``changed`` articles: its journal record
        first, so that a reader who sees the version finds the record."""
        version = (WRITING if writing else "") + uuid.uuid4().hex
        self._changes.record(version, changed)
        self._articles.modify(metadata={"version": version})

    def changed_since(self, version: str) -> set[str] | None:
        with self._errors("read the index's changes"):
            return self._changes.since(version)

    def search(self, vector: Sequence[float], k: int, days: DayRange = DayRange()) -> list[Hit]:
        with self._errors("search"):
            # Chroma returns fewer than ``k`` itself; counting first cost 67 ms a search at 1M chunks
            # (bench/results/scale_search.md), where the query takes 7 ms.
            result = self._chunks.query(
                query_embeddings=[list(map(float, vector))],
                n_results=k,
                where=within(days),
                include=["documents", "metadatas", "distances"],
            )
        found = zip(result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0])
        return [
            hit_of(cid, text, meta, 1.0 - float(distance))
            for cid, text, meta, distance in found
            if is_whole(meta, text)
        ]

    def scored(self, vector: Sequence[float], chunk_ids: Sequence[str], days: DayRange = DayRange()) -> list[Hit]:
        # Chroma's own filtered query (where_document $contains) took 4 to 14 s at 1M chunks
        # (bench/results/scale_search_1m.md): the chunks are named instead, and scored here.
        if not chunk_ids:
            return []
        import numpy as np

        with self._errors("score chunks"):
            found = self._chunks.get(
                ids=list(chunk_ids), where=within(days), include=["embeddings", "documents", "metadatas"]
            )
        query = np.asarray(vector, dtype=np.float32)
        hits = []
        for cid, text, meta, stored in zip(found["ids"], found["documents"], found["metadatas"], found["embeddings"]):
            if is_whole(meta, text):
                stored = np.asarray(stored, dtype=np.float32)
                cosine = float(stored @ query) / float(np.linalg.norm(stored) * np.linalg.norm(query) or 1.0)
                hits.append(hit_of(cid, text, meta, cosine))
        return sorted(hits, key=lambda hit: -hit.score)

    def chunk_texts(self, article_ids: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
        with self._errors("read chunk texts"):
            if article_ids is None:
                records = _get_all(self._chunks, include=["documents", "metadatas"])
            else:
                records = {"ids": [], "documents": [], "metadatas": []}
                for start in range(0, len(article_ids), _ARTICLES_PER_READ):
                    some = list(article_ids[start : start + _ARTICLES_PER_READ])
                    page = self._chunks.get(where={"article_id": {"$in": some}}, include=["documents", "metadatas"])
                    for key, values in records.items():
                        values.extend(page[key])
        return [
            (cid, text, meta.get("language") or "")
            for cid, text, meta in zip(records["ids"], records["documents"], records["metadatas"])
            if meta is not None and text is not None  # deleted by a write while the pages were read
        ]

    def chunk_count(self) -> int:
        with self._errors("count chunks"):
            return self._chunks.count()


def _get_all(collection, *, include: list[str]) -> dict[str, list]:
    """Every record of a collection, read in pages: one read of 100k chunks fails in Chroma's
    SQLite ("too many SQL variables")."""
    merged: dict[str, list] = {"ids": [], **{key: [] for key in include}}
    offset = 0
    while True:
        page = collection.get(include=include, limit=_PAGE, offset=offset)
        for key in merged:
            merged[key].extend(page.get(key) or [])
        if len(page["ids"]) < _PAGE:
            return merged
        offset += _PAGE


class _StoreErrors:
    """Turns whatever Chroma or the network raises into one StoreError with a plain message."""

    def __init__(self, message: str, what_to_do: str) -> None:
        self.message = message
        self.what_to_do = what_to_do

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> Literal[False]:
        if error is None or isinstance(error, StoreError) or not isinstance(error, Exception):
            return False
        if "expecting embedding with dimension" in str(error):  # Chroma's words for vectors of another size
            raise StoreError(
                f"{self.message}: {error}. The index was built with another embedder: use that one again, or "
                "index into a new collection (ARTICLE_QA_COLLECTION) or data folder (ARTICLE_QA_DATA_DIR)."
            ) from error
        raise StoreError(f"{self.message}: {type(error).__name__}: {error}. {self.what_to_do}") from error
