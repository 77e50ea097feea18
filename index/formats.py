"""Turning one file's bytes into raw articles, by format.

- ``.txt``: one article; the title is its first non-empty line (after cleaning).
- ``.md`` / ``.markdown``: one article; YAML front matter (``title``, ``date``, ``url``,
  ``source``, ``language``, ``id``) is honoured and Markdown syntax is reduced to plain text.
- ``.html`` / ``.htm``: one article, its main text (see ``index.html_text``).
- ``.json``: a list of records, an object holding one (``articles``, ``items`` or
  ``records``), or a single record. ``.jsonl``: one record per line. A record has ``id``,
  ``title`` and ``text``, and may have ``date``, ``url``, ``source``, ``language``. A bad record
  is skipped with its reason; the others in the file are kept.

Text is read as UTF-8 (with or without BOM), else Windows-1252, which also reads Latin-1 text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import ArticleError
from index.html_text import extract

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RawArticle:
    """An article as found in a file, before cleaning."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None


def parse(path: Path, data: bytes) -> tuple[list[RawArticle], list[str]]:
    """The articles in one file, and a reason for each record that had to be skipped."""
    suffix = path.suffix.lower()
    text = decode(data)
    if suffix == ".txt":
        return [RawArticle(id=path.stem, text=text)], []
    if suffix in (".md", ".markdown"):
        return [_markdown(path, text)], []
    if suffix in (".html", ".htm"):
        page = extract(text)
        if not page.text.strip():
            raise ArticleError("no article text found in the HTML")
        return [
            RawArticle(id=path.stem, text=page.text, title=page.title or None, date=page.date, language=page.language)
        ], []
    if suffix == ".json":
        try:
            data_ = json.loads(text)
        except ValueError as exc:
            raise ArticleError(f"invalid JSON: {exc}") from exc
        records = _records_in(data_)
        return _from_records(path, [(f"record {i + 1}", record) for i, record in enumerate(records)])
    if suffix == ".jsonl":
        numbered = []
        problems = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((f"line {number}", json.loads(line)))
            except ValueError:
                problems.append(f"line {number}: invalid JSON")
        if problems and not numbered:
            return [], problems
        articles, more = _from_records(path, numbered)
        return articles, problems + more
    raise ArticleError(f"unsupported file type {suffix or '(none)'}")


def decode(data: bytes) -> str:
    """Text from bytes in UTF-8 (with or without BOM) or Windows-1252 / Latin-1; binary is refused."""
    if b"\x00" in data[:65536]:
        raise ArticleError("binary file (contains NUL bytes)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ArticleError("undecodable bytes: not UTF-8, Windows-1252 or Latin-1 text")
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise ArticleError("binary file (control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _markdown(path: Path, text: str) -> RawArticle:
    meta: dict = {}
    match = _FRONT_MATTER.match(text)
    if match:
        import yaml

        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise ArticleError(f"invalid front matter: {exc}") from exc
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[match.end() :]
    return RawArticle(
        id=_field(meta, "id") or path.stem,
        text=markdown_to_text(text),
        title=_field(meta, "title"),
        date=_field(meta, "date"),
        url=_field(meta, "url"),
        source=_field(meta, "source"),
        language=_field(meta, "language") or _field(meta, "lang"),
    )


def markdown_to_text(text: str) -> str:
    """Markdown reduced to its words: no heading marks, emphasis, link targets or images."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their text
    text = re.sub(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", r"\1", text, flags=re.MULTILINE)  # headings
    text = re.sub(r"^[ \t]{0,3}>[ \t]?", "", text, flags=re.MULTILINE)  # quotes
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)  # bold
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", text)  # italics
    text = re.sub(r"`([^`]+)`", r"\1", text)
    text = re.sub(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", "", text, flags=re.MULTILINE)  # rules
    return text


def _records_in(data) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("articles", "items", "records", "data"):
            if isinstance(data.get(key), list):
                return data[key]
        return [data]
    raise ArticleError("JSON is neither a record nor a list of records")


def _from_records(path: Path, numbered: list[tuple[str, object]]) -> tuple[list[RawArticle], list[str]]:
    if not numbered:
        raise ArticleError("no records in the file")
    articles, problems = [], []
    for label, record in numbered:
        if not isinstance(record, dict):
            problems.append(f"{label}: not an object")
            continue
        article_id, text = _field(record, "id"), record.get("text")
        if not article_id:
            problems.append(f"{label}: no id")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"{label} ({article_id}): no text")
        else:
            articles.append(
                RawArticle(
                    id=article_id,
                    text=text.replace("\r\n", "\n").replace("\r", "\n"),
                    title=_field(record, "title"),
                    date=_field(record, "date"),
                    url=_field(record, "url"),
                    source=_field(record, "source"),
                    language=_field(record, "language"),
                )
            )
    return articles, problems


def _field(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value).strip()  # dates from YAML, numeric ids
    return value or None
