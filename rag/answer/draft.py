"""The draft: a model's reply with everything the repairs and checks read, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from index.language import detect_language
from index.types import Article
from rag.answer.kinds import Asked, asked_kind
from rag.answer.support import without_unsupported
from rag.citations import MARKER, Similarity, resolve
from rag.constraints import asked_part
from rag.prompt import NOT_FOUND
from rag.types import Citation, Passage


@dataclass(frozen=True)
class Draft:
    """A reply on its way to an answer: what was asked, what the model said, what it cites."""

    question: str  # as searched (a follow-up rewritten to stand alone)
    language: str  # the question's
    raw: str  # the model's reply as it came
    text: str = ""  # the reply's supported sentences, markers renumbered to match ``citations``
    citations: tuple[Citation, ...] = ()
    uncited_claims: tuple[str, ...] = ()  # sentences that carry no valid marker
    dropped: tuple[str, ...] = ()  # sentences no passage supports, taken out (``rag.answer.support``)
    passages: tuple[Passage, ...] = ()
    articles: Mapping[str, Article] = field(default_factory=dict)  # the passages' articles
    asked: Asked = Asked("")  # the kind of answer the question asks for
    confidence: float | None = None  # the weakest cited sentence's cosine to the question (None: none cited)
    min_confidence: float = 0.0  # below it, the answer is refused (``low_confidence``)
    probability: float | None = None  # the model's probability of its answer (None: the backend gives none)
    min_probability: float = 0.0  # below it, the answer is refused (``unlikely_answer``)

    @property
    def said_not_found(self) -> bool:
        return NOT_FOUND.lower() in self.raw.lower()

    @property
    def claims(self) -> str:
        """The text without its markers."""
        return MARKER.sub("", self.text)

    @property
    def quotes(self) -> str:
        """The cited sentences, one after the other."""
        return " ".join(citation.quote for citation in self.citations)

    @property
    def cited(self) -> list[Article]:
        """The cited articles, in id order."""
        ids = {citation.article_id for citation in self.citations}
        return [article for article_id, article in sorted(self.articles.items()) if article_id in ids]

    @property
    def not_cited(self) -> list[Article]:
        """The articles read but not cited, in id order."""
        ids = {citation.article_id for citation in self.citations}
        return [article for article_id, article in sorted(self.articles.items()) if article_id not in ids]

    def in_language(self, articles: Sequence[Article]) -> bool:
        """Whether all these articles are in the question's language."""
        return all((article.language or detect_language(article.text)) == self.language for article in articles)


def draft_of(
    raw: str,
    *,
    question: str,
    language: str,
    passages: Sequence[Passage],
    articles: Mapping[str, Article],
    similarity: Similarity | None = None,
    min_confidence: float = 0.0,
    probability: float | None = None,
    min_probability: float = 0.0,
) -> Draft:
    """The reply drafted: unsupported sentences dropped, markers resolved to sentence citations,
    and its confidence: how close the least related sentence it cites is to the question (the
    embedder's cosine, across languages). ``probability``: the model's of its reply
    (``rag.answer.confidence.answer_probability``)."""
    draft = Draft(
        question=question,
        language=language,
        raw=raw,
        passages=tuple(passages),
        articles=articles,
        asked=asked_kind(asked_part(question)),
        min_confidence=min_confidence,
        probability=probability,
        min_probability=min_probability,
    )
    if draft.said_not_found:
        return draft
    kept, dropped = without_unsupported(raw, passages, language)
    resolved = resolve(kept, passages, articles, question=question, similarity=similarity)
    confidence = None
    if similarity is not None and resolved.citations:
        confidence = round(float(min(similarity(question, [c.quote for c in resolved.citations]))), 4)
    return replace(
        draft,
        text=resolved.text,
        citations=resolved.citations,
        uncited_claims=resolved.uncited_claims,
        dropped=tuple(dropped),
        confidence=confidence,
    )
