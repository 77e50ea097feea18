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
``display: none``); comments go too. Pages fetched (``index.pages``) and the ``.html`` files of
a folder (``index.formats``) are read the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.cleaning import without_invisible
from index.dates import iso_date
from index.html_text import HtmlArticle, extract, is_hidden
from index.types import Removal

if TYPE_CHECKING:
    from trafilatura.settings import Document


def page_text(html: str, *, url: str | None = None) -> tuple[HtmlArticle, Removal | None]:
    """Title, main text, date (ISO when it can be read), language and hidden passages of a page;
    and the note of the zero-width characters taken out of it first (trafilatura would drop them
    unsaid, and an article's notes say what was removed)."""
    html, invisible = without_invisible(html)
    return _read(html, url), invisible


def _read(html: str, url: str | None) -> HtmlArticle:
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
