"""An answer for export: Markdown for people (a chat reply, a download) and JSON for programs.

``answer_markdown``: the answer's text with its [n] markers, then a "Sources:" list, one line per
citation: ``- [n] title (date): "quote"``. A refusal, or any answer without citations, is its
text alone. ``without_sources`` undoes it: an earlier reply sent back as chat history is the
answer's text again.

``answer_json``: the shape of ``article-qa ask --json`` and of the API's ``/v1/ask`` (the text
under "answer", "refused", "refusal", "refusal_detail", the citations, the passages and the
timings), with JSON's types only: lists, never tuples.

What it leaves out: Markdown escaping. A title or quote is shown as the article wrote it (a
chat client that renders Markdown may set a ``*`` in it as emphasis); the HTML the UI shows is
escaped by ``ui.render``.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from rag.types import Answer, Citation, Passage

SOURCES_HEADING = "Sources:"
_HOW = re.compile(r"\s*\(([^()]*)\)$")  # "about Jan 2026 (from the text)": its last parenthesis
_SOURCES_START = f"\n\n{SOURCES_HEADING}\n"


def answer_markdown(answer: Answer) -> str:
    """The answer's text, then its sources: ``- [1] Title (about Jan 2026, from the text): "the quote"``."""
    if not answer.citations:
        return answer.text
    return answer.text + _SOURCES_START + "\n".join(f"- {source_line(c)}" for c in answer.citations)


def source_line(citation: Citation) -> str:
    """``[n] title (date): "quote"``; without the date when the article has none. The date says
    how it was found, as the UI's cards do: "about Jan 2026, from the text"."""
    date = _HOW.sub(r", \1", citation.when or citation.date or "")
    quote = " ".join(citation.quote.split())
    return f"[{citation.number}] {citation.title}" + (f" ({date})" if date else "") + f': "{quote}"'


def without_sources(text: str) -> str:
    """A reply of ``answer_markdown`` without its sources list: the answer's text."""
    head, found, _ = text.partition(_SOURCES_START)
    return head if found else text


def citation_json(citation: Citation) -> dict[str, Any]:
    """number, article_id, title, quote, start, end, date, when, also_in."""
    return {**asdict(citation), "also_in": list(citation.also_in)}


def passage_json(passage: Passage) -> dict[str, Any]:
    return {**asdict(passage), "also_in": list(passage.also_in)}


def answer_json(answer: Answer) -> dict[str, Any]:
    """``Answer.to_dict()`` with JSON's types only."""
    return {
        **answer.to_dict(),
        "citations": [citation_json(citation) for citation in answer.citations],
        "passages": [passage_json(passage) for passage in answer.passages],
        "timings": dict(answer.timings),
    }
