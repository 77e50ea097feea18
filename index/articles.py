"""Reading articles from files and folders: decode, parse by format, clean, describe.

A file's name without extension is its article's id (feeds carry their own ids); ids and
titles hold no control characters. Files and records that cannot be read as an article are
skipped with a one-line reason; the rest of the run goes on. So are symlinks that lead out of
the folder being read, and files or folders that vanish while it is read. An article longer
than ``DEFAULT_MAX_ARTICLE_CHARS`` is cut there, and says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from index.cleaning import clean, without_invisible
from index.dates import dating
from index.errors import ArticleError
from index.formats import SUFFIXES, RawArticle, parse, printable
from index.language import detect_language
from index.types import Article, Removal

DEFAULT_MAX_FILE_BYTES = 20_000_000
# About 30,000 words, three times the longest long read. Its some 300 chunks embed in about half
# a minute at the 9.3 chunks/s measured for ingest on a CPU (bench/results/latest.md), so no one
# file can hold an ingest for long.
DEFAULT_MAX_ARTICLE_CHARS = 200_000
LEAVES_THE_FOLDER = "symlink leaves the folder"


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def require_existing(path: Path) -> None:
    """Raises the one clear error for a path to ingest that is not there."""
    if not path.exists():
        raise ArticleError(f"{path} does not exist. Give a file or folder of articles.")


@dataclass
class FolderReading:
    """The files of a file or folder, read one at a time: ``articles()`` yields each article as its
    file is read, and ``skipped`` grows with what was passed over and why."""

    files: list[Path]
    skipped: list[Skipped]
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS

    def articles(self) -> Iterator[Article]:
        seen: dict[str, str] = {}  # id -> file: the same id in two files is read once
        for file in self.files:
            found, problems = read_file(
                file, max_file_bytes=self.max_file_bytes, max_article_chars=self.max_article_chars
            )
            self.skipped.extend(Skipped(str(file), problem) for problem in problems)
            for article in found:
                if article.id in seen:
                    self.skipped.append(
                        Skipped(str(file), f"article id {article.id!r} is already used by {seen[article.id]}")
                    )
                    continue
                seen[article.id] = str(file)
                yield article


def reading(
    path: Path,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
) -> FolderReading:
    """The files of a file or folder (recursively), listed now and read later.

    A path given is read even when it is a symlink; inside a folder, symlinks are followed
    only where they stay inside it.
    """
    require_existing(path)
    if path.is_dir():
        files, skipped = _files_in(path)
    elif path.is_file():
        files, skipped = [path], []
    else:
        require_existing(path)  # it may have vanished meanwhile
        files, skipped = [], [Skipped(str(path), "not a regular file or folder")]
    return FolderReading(files, skipped, max_file_bytes, max_article_chars)


def read_folder(
    path: Path,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
) -> tuple[list[Article], list[Skipped]]:
    """Every article in a file or folder (recursively), and what was skipped and why."""
    found = reading(path, max_file_bytes=max_file_bytes, max_article_chars=max_article_chars)
    articles = list(found.articles())
    return articles, found.skipped


def _files_in(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The files under ``folder`` but hidden ones (.git, .DS_Store), sorted, and what was passed over."""
    root = folder.resolve()
    files: list[Path] = []
    skipped: list[Skipped] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError as exc:
            reason = _unlistable(exc)
            if current == folder:
                raise ArticleError(f"{folder}: {reason}; nothing was read. Check the folder and try again.") from None
            skipped.append(Skipped(str(current), reason))
            continue
        for entry in entries:
            path = current / entry.name
            if entry.is_symlink():
                _take_symlink(path, root, files, skipped)
            elif entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
    return sorted(files), skipped


def _unlistable(exc: OSError) -> str:
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return "the folder vanished before it could be read"
    return f"cannot read the folder: {exc.strerror or exc}"


def _take_symlink(link: Path, root: Path, files: list[Path], skipped: list[Skipped]) -> None:
    """A symlink inside the folder: its file is read when it stays inside; one that leaves is reported."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        skipped.append(Skipped(str(link), "symlink to nothing"))
        return
    if not target.is_relative_to(root):
        skipped.append(Skipped(str(link), LEAVES_THE_FOLDER))
    elif target.is_file():
        files.append(link)
    # a folder inside the folder is read where it is


def read_file(
    file: Path,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
) -> tuple[list[Article], list[str]]:
    """The articles in one file, and a reason for everything in it that was skipped or cut."""
    if file.suffix.lower() not in SUFFIXES:
        return [], [f"unsupported file type {file.suffix or '(none)'}"]
    try:
        raw_articles, problems = parse(file, _bytes_of(file, max_file_bytes))
    except ArticleError as exc:
        return [], [str(exc)]
    except FileNotFoundError:
        return [], ["the file vanished before it could be read"]
    except OSError as exc:
        return [], [f"cannot read: {exc.strerror or exc}"]
    articles = []
    for raw in raw_articles:
        label = f"{printable(raw.id)}: " if len(raw_articles) > 1 else ""
        try:
            article = to_article(raw, source_path=str(file), max_chars=max_article_chars)
        except ArticleError as exc:
            problems.append(f"{label}{exc}")
            continue
        articles.append(article)
        problems.extend(
            f"{label}cut after {len(article.text):,} characters: {removal.text}"
            for removal in article.removed
            if removal.rule == "cut"
        )
    return articles, problems


def _bytes_of(file: Path, max_file_bytes: int) -> bytes:
    """The file's bytes; never more than the limit is read, even from a file that grows meanwhile."""
    size = file.stat().st_size
    if size == 0:
        raise ArticleError("empty file")
    if size > max_file_bytes:
        raise ArticleError(f"{size:,} bytes is over the {max_file_bytes:,}-byte limit")
    with file.open("rb") as stream:
        data = stream.read(size + 1)  # a buffer of the size asked for is made at once
        if len(data) > size:
            data += stream.read(max_file_bytes + 1 - len(data))
    if len(data) > max_file_bytes:
        raise ArticleError(f"the file grew past the {max_file_bytes:,}-byte limit while it was read")
    return data


def to_article(raw: RawArticle, *, source_path: str = "", max_chars: int = DEFAULT_MAX_ARTICLE_CHARS) -> Article:
    """Clean a raw article's text and fill in its title and language."""
    visible, invisible = without_invisible(raw.text)
    capped, cut = _capped(visible, max_chars)
    text, removed = clean(capped)
    hidden = (Removal("hidden", text) for text in raw.hidden)
    notes = (*raw.removed, *removed, *hidden, *filter(None, (invisible, cut)))
    article_id = printable(raw.id).strip()
    if not article_id:
        raise ArticleError("the id has no printable characters")
    if not text.strip():
        raise ArticleError("no text in the file" if not removed else "nothing left after cleaning")
    first_line = next((line for line in map(_one_line, text.splitlines()) if line), "")
    when = dating(text, raw.date)
    return Article(
        id=article_id,
        title=_one_line(raw.title or "") or first_line or article_id,
        text=text,
        source_path=source_path,
        date=when.date or None,  # the metadata's only: an inferred date is a range, shown to people
        date_how=when.how,
        date_earliest=when.earliest,
        date_latest=when.latest,
        date_evidence=when.evidence,
        language=(raw.language or detect_language(text))[:2].lower(),
        url=raw.url,
        source=raw.source,
        removed=notes,
    )


def _one_line(title: str) -> str:
    return " ".join(printable(" ".join(title.split())).split())


def _capped(text: str, max_chars: int) -> tuple[str, Removal | None]:
    """``text`` cut at the last line break (else space) before ``max_chars``, and a note of what was cut."""
    if len(text) <= max_chars:
        return text, None
    cut = text.rfind("\n", max_chars * 9 // 10, max_chars)
    if cut <= 0:
        cut = text.rfind(" ", max(0, max_chars - 1_000), max_chars)
    if cut <= 0:
        cut = max_chars
    note = f"{len(text) - cut:,} more characters were not read (an article is read up to {max_chars:,} characters)"
    return text[:cut], Removal("cut", note)
