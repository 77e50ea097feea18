"""Which articles each write to a Chroma store changed, so a reader can follow it cheaply.

Every new version of the store (index/store.py: before and after each write) gets a record in a
collection of its own, ``{name}-changes``: its id is the version, its document the ids of the
articles the write changes, its metadata the time it was made. A reader that holds the index as
of a version asks for the articles changed since (``since``) and reads only their chunks: at 1M
chunks, reading every chunk text took two minutes and reading the article list (to compare it)
half a minute at 100k articles (bench/results/scale_search.md); this reads a few records.

Records are kept for ``KEEP_S``; a version whose record is gone (or an index written before the
journal) answers None, and the reader reads everything, as a fresh process does. Records made
up to ``CLOCK_SLACK_S`` before the reader's version are included too, so that a write stamped
by a machine whose clock is behind is not missed (reading an article twice is harmless).
"""

from __future__ import annotations

import json
import time
from typing import Sequence

KEEP_S = 7 * 24 * 3600
CLOCK_SLACK_S = 600.0
_PLACEHOLDER_VECTOR = [1.0]  # looked up by id and time, never by similarity


class ChangeJournal:
    def __init__(self, collection) -> None:
        self._records = collection

    def record(self, version: str, article_ids: Sequence[str]) -> None:
        """Note that ``version`` changes ``article_ids`` (none for a change of records only)."""
        now = time.time()
        self._records.add(
            ids=[version],
            embeddings=[_PLACEHOLDER_VECTOR],
            documents=[json.dumps(list(article_ids), ensure_ascii=False)],
            metadatas=[{"at": now}],
        )
        self._records.delete(where={"at": {"$lt": now - KEEP_S}})

    def since(self, version: str) -> set[str] | None:
        """The ids of the articles changed by the versions after ``version`` (and by those made up
        to ``CLOCK_SLACK_S`` before it); None when ``version`` has no record."""
        if not version:
            return None
        held = self._records.get(ids=[version], include=["metadatas"])
        if not held["ids"]:
            return None
        at = float(held["metadatas"][0]["at"])
        later = self._records.get(where={"at": {"$gte": at - CLOCK_SLACK_S}}, include=["documents"])
        documents = [document for id, document in zip(later["ids"], later["documents"]) if id != version]
        return {article_id for document in documents for article_id in json.loads(document)}
