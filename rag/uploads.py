"""Uploaded article files, stored for ``ingest``: shared by the UI's and the API's uploads.

An upload's own file name is never used as a path: only a cleaned form of its last part
names the copy kept in the uploads folder (it becomes the article's id), and the type and
size are checked before anything is written. An upload never replaces anything: a name
already used by an upload or an indexed article gets a number ("notes-2"). Messages name an
upload as its sender did, never by a path on the server.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Collection, Sequence

from index.formats import SUFFIXES as ARTICLE_FILE_SUFFIXES

UPLOAD_SUFFIXES = tuple(ARTICLE_FILE_SUFFIXES)
_UNSAFE = re.compile(r"[^\w-]+")
# An absolute path in a message (a POSIX one, or a Windows one with its drive), up to the
# first space, quote, comma, semicolon or colon after it; a URL's "//" is not one.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/\\])(?:[A-Za-z]:)?[/\\][^\s:;,'\"()]+")


@dataclass
class Uploaded:
    """What an upload did before ingest: the copies to index, and the files refused with why.

    ``names`` gives each copy's name as uploaded; ``renamed`` each copy numbered because its
    own id was in use, with that id.
    """

    saved: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    names: dict[Path, str] = field(default_factory=dict)
    renamed: dict[Path, str] = field(default_factory=dict)


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


def store_uploads(
    files: Sequence[tuple[str, Path]], folder: Path, *, max_bytes: int, taken_ids: Collection[str] = ()
) -> Uploaded:
    """Copy each (original name, temporary path) into ``folder`` under its safe name, numbered
    when that name's id is one of ``taken_ids`` (the indexed articles) or an upload's."""
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
        target = _copy_under_a_free_name(Path(temporary), folder, name, taken_ids)
        result.saved.append(target)
        result.names[target] = shown
        if target.name != name:
            result.renamed[target] = PurePosixPath(name).stem
    return result


def _copy_under_a_free_name(source: Path, folder: Path, name: str, taken_ids: Collection[str]) -> Path:
    """Copy ``source`` to ``folder`` as ``name``, or as ``stem-2.suffix``, ``stem-3.suffix`` ...
    when the id is taken; ids compare ignoring case, as file names do on some systems."""
    taken = {article_id.casefold() for article_id in taken_ids}
    taken |= {upload.stem.casefold() for upload in folder.iterdir()}
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    candidate, number = stem, 1
    while True:
        if candidate.casefold() not in taken:
            try:
                with source.open("rb") as incoming, (folder / (candidate + suffix)).open("xb") as copy:
                    shutil.copyfileobj(incoming, copy)
                return folder / (candidate + suffix)
            except FileExistsError:  # made meanwhile by another upload
                pass
        number += 1
        candidate = f"{stem}-{number}"


def shown_without_paths(text: str, copy: Path, name: str) -> str:
    """``text`` about an upload with its copy's path shown as the upload's ``name``, and any
    other path on the server as its last part only."""
    text = text.replace(str(copy), name)
    return _ABSOLUTE_PATH.sub(lambda match: _last_part(match.group()), text)
