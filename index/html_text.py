"""The article in an HTML page: its main text, title and date, without the page around it.

What is dropped: scripts, styles, forms, navigation, headers, footers, asides, any element
whose id, class, role or aria-label marks it as a cookie banner, consent dialog, menu, share
bar, newsletter box, advert or related-links list, and what a reader does not see: comments,
and elements hidden with ``display: none``, ``visibility: hidden``, the ``hidden`` attribute
or ``aria-hidden="true"`` (what they held comes back in ``hidden``, for the article's notes).
When the page has an ``<article>`` (or else ``<main>``), only that is read. Block elements end
lines, so paragraphs stay apart. Elements nested deeper than ``MAX_DEPTH`` are read as if they
were not nested further, except that a hidden one still hides what it holds.

Title: ``og:title``, else the first ``<h1>``, else ``<title>``. Date: ``article:published_time``
and similar meta tags, else the first ``<time datetime>``, else JSON-LD ``datePublished``.
What it leaves out: pages that build their text with JavaScript, and hiding done by rules in
a stylesheet rather than on the element.

The tokenizer is our own, after the HTML standard's: it reads each character once; a tag left
open at the end is dropped and a comment left open runs to the end, as in a browser. Python
3.11's ``html.parser`` rereads unclosed constructs: 40 KB of ``<p `` took it 21 s.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from typing import Iterator, NamedTuple

# Browsers stop nesting there too (Chromium's HTML parser: 512 levels).
MAX_DEPTH = 512
MAX_NOTES = 20  # hidden texts kept as notes of one article; the rest are counted
MAX_NOTE_CHARS = 500

_SKIP_TAGS = frozenset(  # with <title>: the page's title is not the article's text
    "script style noscript template svg form nav header footer aside iframe button select object canvas dialog "
    "figcaption title".split()
)
_BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol blockquote pre table tr br hr figure dd dt address".split()
)
_VOID_TAGS = frozenset("br hr img meta link input source area base col embed wbr track".split())
_BOILERPLATE = re.compile(
    r"cookie|consent|gdpr|banner|navbar|\bnav\b|menu|breadcrumb|share|social|newsletter|subscribe|"
    r"advert|\bads?\b|promo|sponsor|related|recommend|teaser-list|comment|sidebar|footer|header|paywall|popup|modal",
    re.IGNORECASE,
)
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)", re.IGNORECASE)
_DATE_META = tuple(
    "article:published_time og:article:published_time datepublished date pubdate publishdate dc.date "
    "dc.date.issued sailthru.date parsely-pub-date".split()
)
_TAG_NAME = re.compile(r"[a-zA-Z][^\s/>]*")
_PLAIN_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)>")  # most tags: no attributes
_ATTRIBUTE = re.compile(r"""[\s/]*(?:([^\s/>"'=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'][^\s>]*)))?)?""")
_RAW_TEXT_TAGS = frozenset("script style xmp iframe noembed noframes noscript".split())  # no tags inside
_ESCAPABLE_RAW_TEXT_TAGS = frozenset(("title", "textarea"))  # no tags inside, but &amp; and the like
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}(?=[\s/>])", re.I) for tag in _RAW_TEXT_TAGS | _ESCAPABLE_RAW_TEXT_TAGS}


class Token(NamedTuple):
    kind: str  # "start" | "end" | "data" | "comment" | "declaration"
    start: int
    end: int
    tag: str = ""
    attrs: dict[str, str] = {}
    text: str = ""
    self_closing: bool = False


@dataclass(frozen=True)
class HtmlArticle:
    title: str
    text: str
    date: str | None
    language: str | None
    hidden: tuple[str, ...] = ()


def extract(html: str) -> HtmlArticle:
    """Main text, title, date and declared language of a page."""
    scope = (
        "article"
        if re.search(r"<article[\s>]", html, re.IGNORECASE)
        else ("main" if re.search(r"<main[\s>]", html, re.IGNORECASE) else None)
    )
    reader = _Extractor(scope)
    for token in tokens(html):
        reader.take(token)
    lines = [" ".join(line.split()) for line in "".join(reader.text).split("\n")]
    title = reader.meta.get("og:title") or reader.h1 or reader.title or ""
    date = next((reader.meta[name] for name in _DATE_META if reader.meta.get(name)), None)
    return HtmlArticle(
        title=" ".join(title.split()),
        text="\n".join(line for line in lines if line),
        date=date or reader.time or reader.json_ld_date,
        language=reader.language,
        hidden=bounded_notes(reader.hidden),
    )


def without_hidden_markup(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` (Markdown, say) without its HTML comments and hidden HTML elements, and what they held.

    Everything else stays as it is. A comment is found wherever it starts, whatever comes before
    it, as a Markdown renderer finds it; a comment or hidden element never closed hides the rest.
    """
    text, notes = _without_comments(text)
    kept: list[str] = []
    position = 0
    stream = tokens(text)
    for token in stream:
        if token.kind == "start" and token.tag not in _VOID_TAGS and is_hidden(token.attrs):
            cut_end, inside = _element_end(stream, token, len(text))
            kept.append(text[position : token.start])
            notes.append(inside)
            position = cut_end
    kept.append(text[position:])
    return "".join(kept), bounded_notes(notes)


def _without_comments(text: str) -> tuple[str, list[str]]:
    kept: list[str] = []
    comments: list[str] = []
    position = 0
    while (opening := text.find("<!--", position)) >= 0:
        comment = _comment_at(text, opening)
        kept.append(text[position:opening])
        comments.append(comment.text)
        position = comment.end
    kept.append(text[position:])
    return "".join(kept), comments


def is_hidden(attrs: dict[str, str]) -> bool:
    return (
        "hidden" in attrs
        or attrs.get("aria-hidden", "").strip().lower() == "true"
        or bool(_HIDING_STYLE.search(attrs.get("style", "")))
    )


def bounded_notes(texts: list[str]) -> tuple[str, ...]:
    """At most ``MAX_NOTES`` of the non-empty ``texts``, each cut to ``MAX_NOTE_CHARS``, and a count of the rest."""
    notes = [" ".join(text.split()) for text in texts]
    notes = [note if len(note) <= MAX_NOTE_CHARS else note[:MAX_NOTE_CHARS] + "…" for note in notes if note]
    if len(notes) > MAX_NOTES:
        notes[MAX_NOTES:] = [f"and {len(notes) - MAX_NOTES:,} more hidden passages"]
    return tuple(notes)


def tokens(html: str) -> Iterator[Token]:
    """Tags, text (with character references decoded), comments and declarations, in order."""
    position, end = 0, len(html)
    while position < end:
        opening = html.find("<", position)
        if opening < 0:
            yield Token("data", position, end, text=unescape(html[position:]))
            return
        if opening > position:
            yield Token("data", position, opening, text=unescape(html[position:opening]))
        token = _markup_at(html, opening)
        if token is None:  # a tag left open at the end of the text
            return
        yield token
        position = token.end
        if token.kind == "start" and token.tag in _RAW_TEXT_END and not token.self_closing:
            closing = _RAW_TEXT_END[token.tag].search(html, position)
            stop = closing.start() if closing else end
            raw = html[position:stop]
            if raw:
                yield Token(
                    "data", position, stop, text=unescape(raw) if token.tag in _ESCAPABLE_RAW_TEXT_TAGS else raw
                )
            position = stop


def _markup_at(html: str, opening: int) -> Token | None:
    plain = _PLAIN_TAG.match(html, opening)
    if plain:
        return Token("end" if plain.group(1) else "start", opening, plain.end(), plain.group(2).lower())
    if html.startswith("<!--", opening):
        return _comment_at(html, opening)
    if html.startswith("</", opening):
        name = _TAG_NAME.match(html, opening + 2)
        close = html.find(">", opening + 2)
        if close < 0:
            return None
        if name is None:
            return Token("declaration", opening, close + 1)
        return Token("end", opening, close + 1, tag=name.group().lower())
    if html.startswith(("<!", "<?"), opening):  # a doctype, CDATA, a processing instruction
        close = html.find(">", opening + 2)
        return None if close < 0 else Token("declaration", opening, close + 1)
    name = _TAG_NAME.match(html, opening + 1)
    if name is None:
        return Token("data", opening, opening + 1, text="<")
    return _start_tag(html, opening, name.group().lower(), name.end())


def _comment_at(html: str, opening: int) -> Token:
    for empty in ("<!-->", "<!--->"):
        if html.startswith(empty, opening):
            return Token("comment", opening, opening + len(empty))
    close = html.find("-->", opening + 4)
    if close < 0:
        return Token("comment", opening, len(html), text=html[opening + 4 :])
    return Token("comment", opening, close + 3, text=html[opening + 4 : close])


def _start_tag(html: str, opening: int, tag: str, position: int) -> Token | None:
    attrs: dict[str, str] = {}
    while True:
        match = _ATTRIBUTE.match(html, position)
        if match and match.end() > position:
            name, *values = match.groups()
            if name:
                attrs.setdefault(name.lower(), unescape(next((v for v in values if v is not None), "")))
            position = match.end()
        elif position >= len(html):
            return None
        elif html[position] == ">":
            return Token("start", opening, position + 1, tag, attrs, self_closing=html[position - 1] == "/")
        elif html[position] in "\"'":  # a stray quote: what it opens is skipped
            close = html.find(html[position], position + 1)
            if close < 0:
                return None
            position = close + 1
        else:
            position += 1


def _element_end(stream: Iterator[Token], opened: Token, text_end: int) -> tuple[int, str]:
    """Where the element just opened ends (after its end tag, or at the end of the text), and its text."""
    depth, inside = 1, []
    for token in stream:
        if token.kind == "data":
            inside.append(token.text)
        elif token.tag == opened.tag and token.kind == "start" and not token.self_closing:
            depth += 1
        elif token.tag == opened.tag and token.kind == "end":
            depth -= 1
            if depth == 0:
                return token.end, "".join(inside)
    return text_end, "".join(inside)


@dataclass
class _Open:
    tag: str
    skipped: bool
    hidden: bool
    opened_scope: bool


@dataclass
class _Extractor:
    """Reads the tokens of a page; counts what is open, so that no step walks the stack."""

    scope: str | None
    text: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)
    title: str | None = None
    h1: str | None = None
    time: str | None = None
    json_ld_date: str | None = None
    language: str | None = None
    _stack: list[_Open] = field(default_factory=list)
    _open_tags: Counter = field(default_factory=Counter)
    _skipped: int = 0  # open elements that are skipped
    _hidden: int = 0  # open elements that are hidden
    _in_scope: int = 0
    _too_deep: int = 0  # open elements past MAX_DEPTH, not on the stack
    _too_deep_hidden_from: int | None = None  # the _too_deep count where a hidden one of them opened
    _capture: str | None = None  # "title" | "h1" | "ld"
    _buffer: list[str] = field(default_factory=list)
    _hidden_buffer: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._in_scope = 0 if self.scope else 1

    @property
    def _reading(self) -> bool:
        return self._in_scope > 0 and not self._skipped and not self._hidden and self._too_deep_hidden_from is None

    def take(self, token: Token) -> None:
        if token.kind == "start":
            self._start(token.tag, token.attrs)
        elif token.kind == "end":
            self._end(token.tag)
        elif token.kind == "data":
            self._data(token.text)
        elif token.kind == "comment" and self._reading and len(token.text.split()) > 1:
            self.hidden.append(token.text)

    def _start(self, tag: str, values: dict[str, str]) -> None:
        if tag in ("html", "meta", "time"):
            self._note_page_facts(tag, values)
        if tag in _VOID_TAGS:
            if tag == "br" and self._reading:
                self.text.append("\n")
            return
        skipped, hidden = tag in _SKIP_TAGS, False
        if values:
            marker = " ".join(values.get(name, "") for name in ("id", "class", "role", "aria-label"))
            skipped = skipped or bool(marker.strip() and _BOILERPLATE.search(marker))
            hidden = is_hidden(values)
        if tag == "script" and "ld+json" in values.get("type", ""):
            self._capture, self._buffer = "ld", []
        elif tag == "title" and self.title is None:
            self._capture, self._buffer = "title", []
        elif tag == "h1" and self.h1 is None and self._in_scope:
            self._capture, self._buffer = "h1", []
        if tag in _BLOCK_TAGS and self._reading:
            self.text.append("\n")
        if len(self._stack) >= MAX_DEPTH:
            if (hidden or skipped) and self._too_deep_hidden_from is None:
                self._too_deep_hidden_from = self._too_deep
            self._too_deep += 1
            return
        opens_scope = tag == self.scope and not self._skipped
        self._push(_Open(tag, skipped and not opens_scope, hidden, opens_scope))

    def _note_page_facts(self, tag: str, values: dict[str, str]) -> None:
        if tag == "html" and values.get("lang"):
            self.language = values["lang"].split("-")[0].lower()
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"].strip()
        elif tag == "time" and self.time is None and values.get("datetime"):
            self.time = values["datetime"].strip()

    def _end(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if self._capture and tag in ("title", "h1", "script"):
            self._finish_capture()
        if self._too_deep:
            self._too_deep -= 1
            if self._too_deep_hidden_from is not None and self._too_deep <= self._too_deep_hidden_from:
                self._too_deep_hidden_from = None
        elif self._open_tags[tag]:  # close up to the matching tag; a stray end tag is ignored
            while self._pop().tag != tag:
                pass
        if tag in _BLOCK_TAGS and self._reading:
            self.text.append("\n")

    def _push(self, element: _Open) -> None:
        self._stack.append(element)
        self._open_tags[element.tag] += 1
        self._skipped += element.skipped
        self._in_scope += element.opened_scope
        if element.hidden:
            self._hidden += 1
            if self._hidden == 1:
                self._hidden_buffer = []

    def _pop(self) -> _Open:
        element = self._stack.pop()
        self._open_tags[element.tag] -= 1
        self._skipped -= element.skipped
        self._in_scope -= element.opened_scope
        if element.hidden:
            self._hidden -= 1
            if self._hidden == 0:
                self.hidden.append("".join(self._hidden_buffer))
        return element

    def _data(self, data: str) -> None:
        if self._capture:
            self._buffer.append(data)
        if self._reading:
            self.text.append(data)
        elif self._hidden and self._in_scope and not self._skipped:
            self._hidden_buffer.append(data)

    def _finish_capture(self) -> None:
        content = "".join(self._buffer).strip()
        if self._capture == "title":
            self.title = content
        elif self._capture == "h1":
            self.h1 = content
        elif self._capture == "ld" and self.json_ld_date is None:
            self.json_ld_date = _json_ld_date(content)
        self._capture, self._buffer = None, []


def _json_ld_date(content: str) -> str | None:
    try:
        data = json.loads(content)
    except ValueError:
        return None
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
            return item["datePublished"]
    return None
