"""A refusal that still helps: what the articles do not say, and the sentences that come closest.

"The articles don't say. Closest in the articles: [1] [2]", where [1] and [2] are the
passages the question matched best, cited like any answer's sources: a reader sees what is
there and judges for themselves. It stays a refusal (``Answer.refused``): nothing is claimed.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from index.types import Article
from rag.types import Citation, Passage

CLOSEST = 2  # sentences shown with a refusal
REFUSALS = {"en": "The articles don't say.", "de": "Dazu steht nichts in den Artikeln."}
_CLOSEST_LEAD = {"en": "Closest in the articles:", "de": "Am nächsten kommen:"}


def closest_sentences(passages: Sequence[Passage], articles: Mapping[str, Article]) -> tuple[Citation, ...]:
    """The passages the question matched best (each one sentence), as citations numbered from 1."""
    best = sorted((p for p in passages if p.article_id in articles), key=lambda p: -p.score)[:CLOSEST]
    return tuple(
        Citation(
            number=number,
            article_id=passage.article_id,
            title=passage.title,
            quote=articles[passage.article_id].text[passage.start : passage.end],
            start=passage.start,
            end=passage.end,
            date=articles[passage.article_id].date,
            when=articles[passage.article_id].when,
        )
        for number, passage in enumerate(best, start=1)
    )


def refusal_text(language: str, closest: Sequence[Citation]) -> str:
    """The refusal in the question's language, with the markers of the closest sentences."""
    text = REFUSALS.get(language, REFUSALS["en"])
    if not closest:
        return text
    markers = " ".join(f"[{citation.number}]" for citation in closest)
    return f"{text} {_CLOSEST_LEAD.get(language, _CLOSEST_LEAD['en'])} {markers}"
