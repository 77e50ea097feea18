"""What the chat shows, as escaped HTML and Markdown: answers with linked markers, source cards
with the quoted sentence in its paragraph, and each cited article whole.

Everything an article or the model says goes through ``html.escape`` here, so an article that
contains ``<script>`` shows as text. Pure functions: the app wires them to Gradio.
"""

from __future__ import annotations

import html
import re
from typing import Mapping, Sequence

from rag import Answer, Article, Citation, Passage

MARKER = re.compile(r"\[(\d{1,2})\]")
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]()#+\-.!|~>=]")
PREVIEW_CHARS = 400


def answer_markdown(answer: Answer) -> str:
    """The finished answer: markers link to their source cards; a refusal is set apart."""
    if answer.refused:  # an HTML block: no Markdown inside; its markers link to the closest sentences
        linked = MARKER.sub(_anchor, html.escape(answer.text))
        return f'<div class="aqa-refusal">{linked}</div>'
    seconds = answer.timings.get("total_s", 0.0)
    return f"{link_markers(answer.text)}\n\n<sub>{seconds:.1f} s</sub>"


def streaming_markdown(text: str) -> str:
    """The answer while it is generated: escaped, markers not linked yet."""
    return escape_markdown(text) or "…"


def link_markers(text: str) -> str:
    """Escape the text and turn each [n] into a link to source card n."""
    pieces, cursor = [], 0
    for match in MARKER.finditer(text):
        pieces.append(escape_markdown(text[cursor : match.start()]))
        pieces.append(_anchor(match))
        cursor = match.end()
    return "".join(pieces) + escape_markdown(text[cursor:])


def _anchor(match: re.Match) -> str:
    return f'<a class="aqa-cite" href="#aqa-source-{match[1]}">[{match[1]}]</a>'


def escape_markdown(text: str) -> str:
    """Text as text: HTML escaped, and every character Markdown could read as a link, image,
    emphasis, heading, list, quote or table escaped with a backslash."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", html.escape(text, quote=False))


def passages_html(passages: Sequence[Passage], *, done: bool = False) -> str:
    """The retrieved passages, shown while the model reads them (and when nothing was found)."""
    if not passages:
        return '<h3>Sources</h3><p class="aqa-refused">No passage in the articles is close to this question.</p>'
    note = "No passage answers this question." if done else "Reading these passages…"
    cards = [
        f'<div class="aqa-card aqa-passage"><h4>{html.escape(p.title)}</h4>'
        f'<div class="aqa-meta">{_meta(p.article_id, p.when)} · similarity {p.score:.2f}</div>'
        f"{html.escape(_preview(p.text))}</div>"
        for p in passages
    ]
    return f'<h3>Retrieved passages</h3><p class="{"aqa-refused" if done else "aqa-note"}">{note}</p>' + "".join(cards)


def sources_html(answer: Answer, articles: Mapping[str, Article]) -> str:
    """One card per citation: title, date, the quote highlighted in its paragraph, and the whole
    article (hidden until "Open article") with the quote highlighted."""
    if not answer.citations:
        return passages_html(answer.passages, done=True)
    heading = "Closest in the articles" if answer.refused else "Sources"
    return f"<h3>{heading}</h3>" + "".join(_card(c, articles.get(c.article_id)) for c in answer.citations)


def _card(citation: Citation, article: Article | None) -> str:
    n = citation.number
    head = (
        f'<div class="aqa-card" id="aqa-source-{n}"><h4>[{n}] {html.escape(citation.title)}</h4>'
        f'<div class="aqa-meta">{_meta(citation.article_id, citation.when)}{_also_in(citation.also_in)}</div>'
    )
    if article is None or article.text[citation.start : citation.end] != citation.quote:
        return head + f'<p class="aqa-paragraph"><mark>{html.escape(citation.quote)}</mark></p></div>'
    start, end = paragraph_around(article.text, citation.start, citation.end)
    paragraph = _highlight(article.text, start, end, citation)
    whole = _highlight(article.text, 0, len(article.text), citation)
    return (
        head + f'<p class="aqa-paragraph">{paragraph}</p>'
        f'<button class="aqa-open" type="button" data-source="{n}">Open article</button>'
        f'<div class="aqa-article" id="aqa-article-{n}" hidden>'
        f"<h4>{html.escape(article.title)}</h4><div class='aqa-article-text'>{whole}</div></div></div>"
    )


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the paragraph (line) of ``text`` that holds ``text[start:end]``."""
    before = text.rfind("\n", 0, start)
    after = text.find("\n", end)
    return before + 1, len(text) if after == -1 else after


def _highlight(text: str, start: int, end: int, citation: Citation) -> str:
    return (
        html.escape(text[start : citation.start])
        + f'<mark class="aqa-quote">{html.escape(citation.quote)}</mark>'
        + html.escape(text[citation.end : end])
    )


def _also_in(copies: Sequence[str]) -> str:
    return f" · also in {html.escape(', '.join(copies))}" if copies else ""


def _meta(article_id: str, date: str | None) -> str:
    return html.escape(article_id) + (f" · {html.escape(date)}" if date else "")


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"
