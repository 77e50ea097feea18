"""The article of a web page (its main text read by ``index.main_text``), and a URL's article id.

Article ids from URLs are readable, stable and unique: the host, the last part of the path and
a short hash of the whole URL.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from index.formats import RawArticle
from index.main_text import page_text

_SLUG = re.compile(r"[^a-z0-9]+")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)
MAX_SLUG_CHARS = 60


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
    page, invisible = page_text(html, url=url)
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
        removed=(invisible,) if invisible else (),
    )
