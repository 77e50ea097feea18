"""Reading articles from files and folders: decode, parse by format, clean, describe.

A file's name without extension is its article's id (feeds carry their own ids). Files and
records that cannot be read as an article are skipped with a one-line reason; the rest of
the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.cleaning import clean
from index.errors import ArticleError
from index.formats import SUFFIXES, RawArticle, parse
from index.language import detect_language
from index.types import Article

DEFAULT_MAX_FILE_BYTES = 20_000_000


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def require_existing(path: Path) -> None:
    """Raises the one clear error for a path to ingest that is not there."""
    if not path.exists():
        raise ArticleError(f"{path} does not exist. Give a file or folder of articles.")


def read_folder(path: Path, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[list[Article], list[Skipped]]:
    """Every article in a file or folder (recursively), and what was skipped and why."""
    require_existing(path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for file in files:
        if any(part.startswith(".") for part in file.relative_to(path).parts) and file != path:
            continue  # hidden files and folders (.git, .DS_Store)
        found, problems = read_file(file, max_file_bytes=max_file_bytes)
        skipped.extend(Skipped(str(file), problem) for problem in problems)
        for article in found:
            if article.id in seen:
                skipped.append(Skipped(str(file), f"article id {article.id!r} is already used by {seen[article.id]}"))
                continue
            seen[article.id] = str(file)
            articles.append(article)
    return articles, skipped


def read_file(file: Path, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[list[Article], list[str]]:
    """The articles in one file, and a reason for everything in it that was skipped."""
    if file.suffix.lower() not in SUFFIXES:
        return [], [f"unsupported file type {file.suffix or '(none)'}"]
    try:
        size = file.stat().st_size
        if size == 0:
            raise ArticleError("empty file")
        if size > max_file_bytes:
            raise ArticleError(f"{size:,} bytes is over the {max_file_bytes:,}-byte limit")
        raw_articles, problems = parse(file, file.read_bytes())
    except ArticleError as exc:
        return [], [str(exc)]
    except OSError as exc:
        return [], [f"cannot read: {exc.strerror or exc}"]
    articles = []
    for raw in raw_articles:
        try:
            articles.append(to_article(raw, source_path=str(file)))
        except ArticleError as exc:
            problems.append(f"{raw.id}: {exc}" if len(raw_articles) > 1 else str(exc))
    return articles, problems


def to_article(raw: RawArticle, *, source_path: str = "") -> Article:
    """Clean a raw article's text and fill in its title and language."""
    text, removed = clean(raw.text)
    if not text.strip():
        raise ArticleError("no text in the file" if not removed else "nothing left after cleaning")
    title = raw.title or next(line.strip() for line in text.splitlines() if line.strip())
    return Article(
        id=raw.id,
        title=" ".join(title.split()),
        text=text,
        source_path=source_path,
        date=raw.date,
        language=(raw.language or detect_language(text))[:2].lower(),
        url=raw.url,
        source=raw.source,
        removed=removed,
    )
