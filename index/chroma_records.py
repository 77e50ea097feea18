"""How an article and its chunks become Chroma records, and how records become hits again."""

from __future__ import annotations

import json

from index.types import DATING_FIELDS, Article, Chunk, DayRange, Hit
from index.vector_store import ArticleWrite

BAND_KEY = "copy_band_"  # an article record's MinHash band keys: copy_band_0, copy_band_1, ...


def is_whole(meta, text) -> bool:
    """False for a record deleted by a write between Chroma's two reads (the version says so)."""
    return meta is not None and text is not None


def hit_of(chunk_id: str, text: str, meta: dict, score: float) -> Hit:
    chunk = Chunk(
        id=chunk_id,
        article_id=meta["article_id"],
        ordinal=int(meta["ordinal"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
    )
    language = meta.get("language") or None
    return Hit(chunk=chunk, title=meta.get("title", ""), score=score, date=meta.get("date") or None, language=language)


def shared_fields(article: Article) -> dict:
    """What an article's chunk records and its own record both hold."""
    return {
        "title": article.title,
        "date": article.date or "",
        "source": article.source or "",
        "url": article.url or "",
        "language": article.language or "",
    }


def chunk_records(write: ArticleWrite) -> list[tuple[str, list[float], str, dict]]:
    """(id, vector, text, metadata) of each chunk; the day is the chunks' own copy, for Chroma to filter by."""
    shared = {"article_id": write.article.id, **shared_fields(write.article), "day": day_number(write.article.day)}
    return [
        (chunk.id, list(map(float, vector)), chunk.text,
         {**shared, "ordinal": chunk.ordinal, "start": chunk.start, "end": chunk.end})
        for chunk, vector in zip(write.chunks, write.vectors)
    ]  # fmt: skip


def article_record(write: ArticleWrite) -> dict:
    article = write.article
    return {
        **shared_fields(article),
        "fingerprint": write.fingerprint,
        "content_hash": write.content_hash,
        "chunk_count": len(write.chunks),
        "source_path": article.source_path,
        "removed": json.dumps([[r.rule, r.text] for r in article.removed], ensure_ascii=False),
        **{name: getattr(article, name) for name in DATING_FIELDS},
        "copy_group": article.copy_group,
        **{f"{BAND_KEY}{number}": key for number, key in enumerate(write.bands)},
    }


def day_number(day: str) -> int:
    """An ISO day as the number Chroma compares: 20260101; 0 when undated."""
    return int(day.replace("-", "")) if day else 0


def within(days: DayRange) -> dict | None:
    """Chroma's filter for chunks of articles in ``days``; undated ones (0) are never in a range."""
    if not days:
        return None
    bounds = [{"day": {"$gte": day_number(days.since) if days.since else 1}}]
    if days.until:
        bounds.append({"day": {"$lte": day_number(days.until)}})
    return bounds[0] if len(bounds) == 1 else {"$and": bounds}
