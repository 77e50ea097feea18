"""Turning one file's bytes into raw articles, by format.

- ``.txt``: one article; the title is its first non-empty line (after cleaning).
- ``.md`` / ``.markdown``: one article; YAML front matter (``title``, ``date``, ``url``,
  ``source``, ``language``, ``id``) is honoured and Markdown syntax is reduced to plain text.
- ``.html`` / ``.htm``: one article, its main text, read as a fetched page is (``index.main_text``).
- ``.json``: a list of records, an object holding one (``articles``, ``items`` or
  ``records``), or a single record. ``.jsonl``: one record per line. A record has ``id``,
  ``title`` and ``text``, and may have ``date``, ``url``, ``source``, ``language``. A bad record
  is skipped with its reason; the others in the file are kept.

Text is read as UTF-16 or UTF-32 when it starts with their byte order mark, else as UTF-8
(with or without BOM), where a stray byte that is not UTF-8 becomes U+FFFD and the lines
around it stay as they are. Only a file with no UTF-8 in it at all (no valid multi-byte
sequence, or far fewer than bytes that are not UTF-8) is read as Windows-1252, which also
reads Latin-1 text. HTML comments and hidden HTML elements in Markdown are not text (see
``index.html_text``); what they held comes back in ``RawArticle.hidden``. Control characters
are removed from every field but the text.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import ArticleError
from index.html_text import without_hidden_markup
from index.main_text import page_text
from index.types import Removal

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Control and format characters (Unicode Cc and the Cf a terminal or a page would act on): no
# field but the text may hold them, so that an id or a title can be shown and typed.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_WIDE_UNICODE = (  # UTF-32's little-endian mark starts with UTF-16's, so it is tried first
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NOT_UTF8_PER_UTF8 = 4  # more bytes that are not UTF-8 than this per valid sequence: the file is not UTF-8
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\([^()\n]*\)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*)$", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC_STARS = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC_UNDERSCORES = re.compile(r"(?<![\w*])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w*])")
_CODE = re.compile(r"`([^`]+)`")
_RULE = re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE)


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
    hidden: tuple[str, ...] = ()  # what comments and hidden elements held
    removed: tuple[Removal, ...] = ()  # what was taken out before the text was read (zero-width characters)


def printable(value: str) -> str:
    """``value`` without control and invisible format characters."""
    return _UNPRINTABLE.sub("", value)


def parse(path: Path, data: bytes) -> tuple[list[RawArticle], list[str]]:
    """The articles in one file, and a reason for each record that had to be skipped."""
    suffix = path.suffix.lower()
    text = decode(data)
    if suffix == ".txt":
        return [RawArticle(id=path.stem, text=text)], []
    if suffix in (".md", ".markdown"):
        return [_markdown(path, text)], []
    if suffix in (".html", ".htm"):
        page, invisible = page_text(text)
        if not page.text.strip():
            raise ArticleError("no article text found in the HTML")
        article = RawArticle(
            id=path.stem,
            text=page.text,
            title=page.title or None,
            date=page.date,
            language=page.language,
            hidden=page.hidden,
            removed=(invisible,) if invisible else (),
        )
        return [article], []
    if suffix == ".json":
        try:
            data_ = json.loads(text)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than Python allows
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
            except (ValueError, RecursionError):
                problems.append(f"line {number}: invalid JSON")
        if problems and not numbered:
            return [], problems
        articles, more = _from_records(path, numbered)
        return articles, problems + more
    raise ArticleError(f"unsupported file type {suffix or '(none)'}")


def decode(data: bytes) -> str:
    """Text from bytes in UTF-16/32 with a BOM, UTF-8 or Windows-1252 / Latin-1; binary is refused."""
    text = _wide_unicode(data)
    if text is None:
        if b"\x00" in data[:65536]:
            raise ArticleError("binary file (contains NUL bytes)")
        text = _utf8_or_windows_1252(data)
    if len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise ArticleError("binary file (control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _wide_unicode(data: bytes) -> str | None:
    for mark, encoding in _WIDE_UNICODE:
        if data.startswith(mark):
            text = data.decode(encoding, errors="replace")
            if text.count("\ufffd") > max(2, len(text) // 100):
                raise ArticleError(f"binary file (starts like {encoding.upper()} text, but is not)")
            return text
    return None


def _utf8_or_windows_1252(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    not_utf8 = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    utf8 = len(text) - len(text.encode("ascii", errors="ignore")) - not_utf8  # valid multi-byte sequences
    if utf8 > 0 and not_utf8 <= utf8 * _NOT_UTF8_PER_UTF8:
        return text
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ArticleError("undecodable bytes: not UTF-8, Windows-1252 or Latin-1 text") from None


def _markdown(path: Path, text: str) -> RawArticle:
    meta: dict = {}
    match = _FRONT_MATTER.match(text)
    if match:
        import yaml

        try:
            loaded = yaml.safe_load(match.group(1))
        except (yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: an int of 5,000 digits
            raise ArticleError(f"invalid front matter: {exc}") from exc
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[match.end() :]
    text, hidden = without_hidden_markup(text)
    return RawArticle(
        id=_field(meta, "id") or path.stem,
        text=markdown_to_text(text),
        hidden=hidden,
        title=_field(meta, "title"),
        date=_field(meta, "date"),
        url=_field(meta, "url"),
        source=_field(meta, "source"),
        language=_field(meta, "language") or _field(meta, "lang"),
    )


def markdown_to_text(text: str) -> str:
    """Markdown reduced to its words: no heading marks, emphasis, link targets or images.

    Each pattern stops at the next mark of its kind or the end of the line, so the time is
    linear in the length of the text however many marks are left open.
    """
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)  # links keep their text
    text = _HEADING.sub(_heading_text, text)
    text = _QUOTE.sub("", text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC_STARS.sub(r"\1", text)
    text = _ITALIC_UNDERSCORES.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    return _RULE.sub("", text)


def _heading_text(match: re.Match) -> str:
    """A heading's words, without the closing run of ``#`` (after a space, or alone)."""
    words = match.group(1).rstrip(" \t")
    before_closing = words.rstrip("#")
    if not before_closing.strip() or before_closing.endswith((" ", "\t")):
        words = before_closing
    return words.rstrip(" \t")


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
    value = printable(str(value)).strip()  # dates from YAML, numeric ids
    return value or None
