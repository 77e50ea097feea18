"""The article in an HTML page: its main text, title and date, without the page around it.

Built on the standard library's tolerant ``html.parser``. What is dropped: scripts, styles,
forms, navigation, headers, footers, asides, and any element whose id, class, role or
aria-label marks it as a cookie banner, consent dialog, menu, share bar, newsletter box,
advert or related-links list. When the page has an ``<article>`` (or else ``<main>``), only
that is read. Block elements end lines, so paragraphs stay apart.

Title: ``og:title``, else the first ``<h1>``, else ``<title>``. Date: ``article:published_time``
and similar meta tags, else the first ``<time datetime>``, else JSON-LD ``datePublished``.
What it leaves out: pages that build their text with JavaScript.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "form",
    "nav",
    "header",
    "footer",
    "aside",
    "iframe",
    "button",
    "select",
    "object",
    "canvas",
    "dialog",
    "figcaption",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "br",
    "hr",
    "figure",
    "dd",
    "dt",
    "address",
}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "area", "base", "col", "embed", "wbr", "track"}
_BOILERPLATE = re.compile(
    r"cookie|consent|gdpr|banner|navbar|\bnav\b|menu|breadcrumb|share|social|newsletter|subscribe|"
    r"advert|\bads?\b|promo|sponsor|related|recommend|teaser-list|comment|sidebar|footer|header|paywall|popup|modal",
    re.IGNORECASE,
)
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)


@dataclass(frozen=True)
class HtmlArticle:
    title: str
    text: str
    date: str | None
    language: str | None


def extract(html: str) -> HtmlArticle:
    """Main text, title, date and declared language of a page."""
    scope = (
        "article"
        if re.search(r"<article[\s>]", html, re.IGNORECASE)
        else ("main" if re.search(r"<main[\s>]", html, re.IGNORECASE) else None)
    )
    parser = _Extractor(scope)
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.text).split("\n")]
    text = "\n".join(line for line in lines if line)
    title = parser.meta.get("og:title") or parser.h1 or parser.title or ""
    date = next((parser.meta[name] for name in _DATE_META if parser.meta.get(name)), None)
    date = date or parser.time or parser.json_ld_date
    return HtmlArticle(title=" ".join(title.split()), text=text, date=date, language=parser.language)


class _Extractor(HTMLParser):
    def __init__(self, scope: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.scope = scope
        self.text: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self.h1: str | None = None
        self.time: str | None = None
        self.json_ld_date: str | None = None
        self.language: str | None = None
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, opened the scope)
        self._in_scope = 0 if scope else 1
        self._capture: str | None = None  # "title" | "h1" | "ld"
        self._buffer: list[str] = []

    @property
    def _skipping(self) -> bool:
        return any(skipped for _, skipped, _ in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "html" and values.get("lang"):
            self.language = values["lang"].split("-")[0].lower()
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"].strip()
            return
        if tag == "time" and self.time is None and values.get("datetime"):
            self.time = values["datetime"].strip()
        if tag in _VOID_TAGS:
            if tag == "br" and self._in_scope and not self._skipping:
                self.text.append("\n")
            return
        marker = " ".join(values.get(name, "") for name in ("id", "class", "role", "aria-label"))
        skipped = tag in _SKIP_TAGS or bool(marker.strip() and _BOILERPLATE.search(marker))
        if tag == "script" and "ld+json" in values.get("type", ""):
            self._capture, self._buffer = "ld", []
        elif tag == "title" and self.title is None:
            self._capture, self._buffer = "title", []
        elif tag == "h1" and self.h1 is None and self._in_scope:
            self._capture, self._buffer = "h1", []
        opens_scope = tag == self.scope and not self._skipping
        if opens_scope:
            self._in_scope += 1
            skipped = False
        self._stack.append((tag, skipped, opens_scope))
        if tag in _BLOCK_TAGS:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if self._capture and tag in ("title", "h1", "script"):
            self._finish_capture()
        while self._stack:  # close up to the matching tag; tolerate unclosed children
            open_tag, _, opened_scope = self._stack.pop()
            if opened_scope:
                self._in_scope -= 1
            if open_tag == tag:
                break
        if tag in _BLOCK_TAGS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._buffer.append(data)
        if self._in_scope > 0 and not self._skipping and not any(t == "title" for t, _, _ in self._stack):
            self.text.append(data)

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
