"""Reading articles from files and folders.

A plain-text or Markdown file is one article: its file name without extension is the
article id, its first non-empty line the title, and its whole text (newlines normalised to
``\\n``) the stored text that citation spans index into. Files that cannot be read as an
article are skipped with a reason instead of stopping the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.errors import ArticleError
from index.language import detect_language
from index.types import Article

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown")
DEFAULT_MAX_BYTES = 5_000_000
_ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


def read_folder(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Article], list[Skipped]]:
    """Every article in a file or folder (recursively), and what was skipped and why."""
    if not path.exists():
        raise ArticleError(f"{path} does not exist. Give a file or folder of articles.")
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen_ids: dict[str, Path] = {}
    for file in files:
        if file.name.startswith("."):
            continue
        if file.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append(Skipped(str(file), f"unsupported file type {file.suffix or '(none)'}"))
            continue
        try:
            article = read_article(file, max_bytes=max_bytes)
        except ArticleError as exc:
            skipped.append(Skipped(str(file), str(exc)))
            continue
        if article.id in seen_ids:
            skipped.append(Skipped(str(file), f"same article id {article.id!r} as {seen_ids[article.id]}"))
            continue
        seen_ids[article.id] = file
        articles.append(article)
    return articles, skipped


def read_article(file: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    size = file.stat().st_size
    if size == 0:
        raise ArticleError("empty file")
    if size > max_bytes:
        raise ArticleError(f"{size:,} bytes is over the {max_bytes:,}-byte limit")
    text = decode(file.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError("no text in the file")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    return Article(
        id=file.stem,
        title=title,
        text=text,
        source_path=str(file),
        language=detect_language(text),
    )


def decode(data: bytes) -> str:
    """Text from bytes in UTF-8 (with or without BOM) or Windows-1252; binary is refused."""
    if b"\x00" in data[:8192]:
        raise ArticleError("binary file (contains NUL bytes)")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # maps every byte, so the text is never lost
