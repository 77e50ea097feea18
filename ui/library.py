"""The article library behind the UI: the table of indexed articles, and uploads.

An upload's own file name is never used as a path: only a cleaned form of its last part
names the copy kept in the uploads folder (it becomes the article's id), and the type and
size are checked before anything is written.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Sequence

from rag import ARTICLE_FILE_SUFFIXES, StoredArticle

UPLOAD_SUFFIXES = tuple(ARTICLE_FILE_SUFFIXES)
_UNSAFE = re.compile(r"[^\w-]+")


@dataclass
class Uploaded:
    """What an upload did before ingest: the copies to index, and the files refused with why."""

    saved: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def safe_name(original: str) -> str | None:
    """``original``'s last path part as ``stem.suffix`` of letters, digits, ``-`` and ``_``;
    None when its type is not one the library reads."""
    last = _last_part(original)
    suffix = PurePosixPath(last).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return None
    stem = _UNSAFE.sub("-", last[: -len(suffix)]).strip("-_")[:80] or "upload"
    return stem + suffix


def _last_part(name: str) -> str:
    """The part after the last separator, either kind: "a/b\\c.md" -> "c.md"."""
    return PureWindowsPath(PurePosixPath(name).name).name


def store_uploads(files: Sequence[tuple[str, Path]], folder: Path, *, max_bytes: int) -> Uploaded:
    """Copy each (original name, temporary path) into ``folder`` under its safe name."""
    result = Uploaded()
    folder.mkdir(parents=True, exist_ok=True)
    for original, temporary in files:
        shown = _last_part(original)
        name = safe_name(original)
        if name is None:
            result.refused.append((shown, f"not a supported type ({', '.join(UPLOAD_SUFFIXES)})"))
            continue
        size = Path(temporary).stat().st_size
        if size == 0:
            result.refused.append((shown, "empty file"))
            continue
        if size > max_bytes:
            result.refused.append((shown, f"{size:,} bytes is over the {max_bytes:,}-byte limit"))
            continue
        target = folder / name
        shutil.copyfile(temporary, target)
        result.saved.append(target)
    return result


def library_rows(stored: Sequence[StoredArticle], query: str = "") -> list[list]:
    """Rows of the library table, filtered by a case-insensitive title (or id) search."""
    needle = query.strip().casefold()
    return [
        [s.article.id, s.article.title, s.article.date or "", s.article.language or "", s.chunk_count]
        for s in stored
        if not needle or needle in s.article.title.casefold() or needle in s.article.id.casefold()
    ]
