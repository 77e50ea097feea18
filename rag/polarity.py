"""A "yes" that its own source denies becomes "no".

The 1.5B model reads negations badly: asked "Does Xiaomi currently sell its products in the
United States?", it answered "Yes [1]" citing "Xiaomi verkauft seine Produkte und
Dienstleistungen nicht in den Vereinigten Staaten". For a yes/no question that does not itself
negate, a reply paragraph that opens with "Yes"/"Ja" while every sentence it cites negates
("nicht", "kein", "not", "never", but not "nicht nur", "not only") is answered "No"/"Nein"
with the same markers: the cited sentence, on its card, says why.
"""

from __future__ import annotations

import re
from typing import Sequence

from rag.citations import MARKER
from rag.reading import asks_yes_or_no
from rag.types import Citation

_YES = re.compile(r"\s*(?:yes|ja)\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|never|no longer|none|nothing|nicht|kein\w*|nie|niemals|nichts)\b|n't\b", re.IGNORECASE
)
_NOT_ONLY = re.compile(r"\b(?:not only|not just|nicht nur|nicht bloß|nicht allein)\b", re.IGNORECASE)
NO = {"en": "No", "de": "Nein"}


def denied_yes_answered(text: str, question: str, language: str, citations: Sequence[Citation]) -> str:
    """The reply with each paragraph that says yes against all its cited sentences answered no."""
    if not asks_yes_or_no(question, language) or _negates(question):
        return text
    quotes = {citation.number: citation.quote for citation in citations}
    return "\n\n".join(_answered(paragraph, quotes, language) for paragraph in text.split("\n\n"))


def _answered(paragraph: str, quotes: dict[int, str], language: str) -> str:
    markers = [match.group().strip() for match in MARKER.finditer(paragraph)]
    cited = [quotes.get(int(n)) for marker in markers for n in re.findall(r"\d+", marker)]
    if not _YES.match(paragraph) or not cited or not all(quote and _negates(quote) for quote in cited):
        return paragraph
    return f"{NO.get(language, NO['en'])} {' '.join(dict.fromkeys(markers))}."


def _negates(text: str) -> bool:
    return bool(_NEGATION.search(_NOT_ONLY.sub(" ", text)))
