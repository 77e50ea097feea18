"""The article in a web page: trafilatura's main text, with what a reader does not see taken out first.

On 23 real news pages with gold text (``bench/results/html_extraction.md``) trafilatura, with
``favor_precision`` and hidden elements removed before it reads the page, scored token F1
0.96 and left 3% boilerplate lines; ``index.html_text`` alone scored 0.68 and left 29% (it
keeps whole ``<article>`` elements, teasers and all, and found no text on pages that spread
the article over ``<div>``s). trafilatura (htmldate) also dated all 16 pages with a date,
ours 12. So a page is read by trafilatura; our extractor is still run for what trafilatura does
not give: the hidden passages for the article's notes, and the ``<html lang>``. It is also the
fallback when trafilatura finds no text (short pages are below its thresholds).

Hidden means what ``index.html_text.is_hidden`` says (``hidden``, ``aria-hidden``, inline
``display: none``); comments go too. Article ids from URLs are readable, stable and unique:
the host, the last part of the path and a short hash of the whole URL.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from index.feeds import iso_date
from index.formats import RawArticle
from index.html_text import HtmlArticle, extract, is_hidden

if TYPE_CHECKING:
    from trafilatura.settings import Document

_SLUG = re.compile(r"[^a-z0-9]+")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)
MAX_SLUG_CHARS = 60


def page_text(html: str, *, url: str | None = None) -> HtmlArticle:
    """Title, main text, date (ISO when it can be read), language and hidden passages of a page."""
    ours = extract(html)
    document = _trafilatura(html, url)
    text = (document.text or "") if document is not None else ""
    if document is None or not text.strip():
        return HtmlArticle(ours.title, ours.text, iso_date(ours.date) or ours.date, ours.language, ours.hidden)
    title = _one_line(document.title) or ours.title
    date, metadata_date = iso_date(document.date), iso_date(ours.date)
    if metadata_date and (not date or metadata_date.startswith(date)):  # the same day, with its time
        date = metadata_date
    language = ours.language or (document.language or None)
    return HtmlArticle(title, text, date, language, ours.hidden)


def _trafilatura(html: str, url: str | None) -> Document | None:
    import trafilatura
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):  # a comment or a processing instruction
            if element.getparent() is not None:
                element.drop_tree()
        elif element.getparent() is not None and is_hidden({k.lower(): v for k, v in element.attrib.items()}):
            element.drop_tree()
        elif element.tag == "time" and element.getparent() is not None:
            element.drop_tag()  # trafilatura drops <time> with its text: "am <time>24. März</time>" kept whole
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
        )
    except (ValueError, TypeError, RecursionError):  # a tree it cannot walk: our extractor reads it
        return None
    return document if isinstance(document, Document) else None


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def article_id(url: str) -> str:
    """``host-slug-hash``: e.g. ``example.org-xiaomi-store-1a2b3c4d``."""
    parts = urlsplit(url)
    host = (parts.hostname or "web").removeprefix("www.")
    segments = [segment for segment in parts.path.split("/") if segment]
    slug = _SLUG.sub("-", _EXTENSION.sub("", segments[-1]).lower()).strip("-") if segments else ""
    slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    digest = hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:8]
    return "-".join(part for part in (host, slug, digest) if part)


def page_article(
    html: str, *, url: str, source: str | None, date: str | None = None, title: str | None = None
) -> RawArticle:
    """A page as a raw article. ``date`` and ``title`` come from the feed entry and win over the
    page's; but a feed cannot make a page older than the page's own metadata says it is (a date
    decides which wire copy answers, ``rag.copies``), so an earlier day claimed for it is not taken."""
    page = page_text(html, url=url)
    if date and page.date and page.date[:10] > date[:10]:
        date = page.date
    return RawArticle(
        id=article_id(url),
        text=page.text,
        title=title or page.title or None,
        date=date or page.date,
        url=url,
        source=source,
        language=page.language,
        hidden=page.hidden,
    )
