"""Choosing what the model reads: the best sentences of the retrieved chunks, within a budget.

Every 100 prompt tokens cost seconds on a CPU, and a small model finds a fact more easily in
a short context, so whole chunks are not pasted. The sentences of the retrieved chunks are
ranked by their similarity to the question; the best are taken while they fit the token
budget, each with its neighbours when those still fit (a fact often spans a sentence and
the one before it). Each chosen sentence is one numbered passage, in reading order under its
article (articles best first), so the marker the model writes names the exact sentence it
used. (Merging touching sentences into one passage was measured against this on the sample
set: 30/39 against 31/39, and a merged passage left the choice of the quoted sentence to a
heuristic.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from index.sentences import sentence_spans
from index.types import Article, Hit
from rag.types import Passage

DEFAULT_BUDGET_TOKENS = 200  # bench/results/answer_budget.md
CHUNK_WEIGHT = 0.75


@dataclass(frozen=True)
class _Sentence:
    article_id: str
    index: int  # position among the article's sentences
    start: int
    end: int
    tokens: int
    score: float
    date: str | None
    chunk_score: float  # the retrieval score of the best chunk that holds it


def select_passages(
    hits: Sequence[Hit],
    articles: Mapping[str, Article],
    *,
    question: str,
    similarity: Callable[[str, Sequence[str], Sequence[str]], Sequence[float]],
    count_tokens: Callable[[str], int],
    budget_tokens: int = DEFAULT_BUDGET_TOKENS,
) -> list[Passage]:
    """Numbered passages of whole sentences from the hits, at most ``budget_tokens`` long in all."""
    candidates = _candidate_sentences(hits, articles)
    if not candidates:
        return []
    texts = [articles[aid].text[s:e] for aid, _, s, e, _, _ in candidates]
    scores = similarity(question, texts, [articles[aid].title for aid, *_ in candidates])
    sentences = {
        (aid, index): _Sentence(aid, index, s, e, count_tokens(text), float(score), date, chunk_score)
        for (aid, index, s, e, date, chunk_score), text, score in zip(candidates, texts, scores)
    }
    chosen: set[tuple[str, int]] = set()
    used = 0
    for sentence in sorted(sentences.values(), key=lambda s: -(s.score + CHUNK_WEIGHT * s.chunk_score)):
        if used + sentence.tokens > budget_tokens and chosen:
            continue  # the best sentence always goes in, even when it alone is too long
        chosen.add((sentence.article_id, sentence.index))
        used += sentence.tokens
    return _numbered(chosen, sentences, articles, hits)


def best_score_per_article(scored: Iterable) -> dict[str, float]:
    """The highest ``score`` of each ``article_id`` among sentences or passages."""
    best: dict[str, float] = {}
    for item in scored:
        best[item.article_id] = max(best.get(item.article_id, 0.0), item.score)
    return best


def _candidate_sentences(hits, articles) -> list[tuple[str, int, int, int, str | None, float]]:
    found: dict[tuple[str, int], tuple[str, int, int, int, str | None, float]] = {}
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for hit in hits:
        article = articles.get(hit.chunk.article_id)
        if article is None:
            continue
        spans = spans_of.setdefault(article.id, sentence_spans(article.text))
        for index, (start, end) in enumerate(spans):
            if start >= hit.chunk.start and end <= hit.chunk.end:
                sentence = (article.id, index, start, end, hit.date or article.date, hit.score)
                found.setdefault((article.id, index), sentence)
    return list(found.values())


def _numbered(chosen, sentences, articles, hits) -> list[Passage]:
    picked = [sentences[key] for key in chosen]
    best = best_score_per_article(picked)
    picked.sort(key=lambda s: (-best[s.article_id], s.article_id, s.index))
    titles = {hit.chunk.article_id: hit.title for hit in hits}
    return [
        Passage(
            number=number,
            article_id=sentence.article_id,
            title=titles.get(sentence.article_id) or articles[sentence.article_id].title,
            text=articles[sentence.article_id].text[sentence.start : sentence.end],
            start=sentence.start,
            end=sentence.end,
            score=round(sentence.score, 4),
            date=sentence.date,
            day=articles[sentence.article_id].firm_day,
            when=articles[sentence.article_id].when,
        )
        for number, sentence in enumerate(picked, start=1)
    ]
