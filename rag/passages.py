"""Choosing what the model reads: the best sentences of the retrieved chunks, within a budget.

Every 100 prompt tokens cost seconds on a CPU, and a small model finds a fact more easily in
a short context, so whole chunks are not pasted. The sentences of the retrieved chunks are
ranked by their similarity to the question; the best are taken while they fit the token
budget, each with its neighbours when those still fit (a fact often spans a sentence and
the one before it). Selected sentences that touch are merged into one passage, a contiguous
span of the article, so citations still resolve to exact sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from index.sentences import sentence_spans
from index.types import Article, Hit
from rag.types import Passage

DEFAULT_BUDGET_TOKENS = 250


@dataclass(frozen=True)
class _Sentence:
    article_id: str
    index: int  # position among the article's sentences
    start: int
    end: int
    tokens: int
    score: float
    date: str | None


def select_passages(
    hits: Sequence[Hit],
    articles: Mapping[str, Article],
    *,
    question: str,
    similarity: Callable[[str, Sequence[str]], Sequence[float]],
    count_tokens: Callable[[str], int],
    budget_tokens: int = DEFAULT_BUDGET_TOKENS,
) -> list[Passage]:
    """Numbered passages of whole sentences from the hits, at most ``budget_tokens`` long in all."""
    candidates = _candidate_sentences(hits, articles)
    if not candidates:
        return []
    texts = [articles[aid].text[s:e] for aid, _, s, e, _ in candidates]
    scores = similarity(question, texts)
    sentences = {
        (aid, index): _Sentence(aid, index, s, e, count_tokens(text), float(score), date)
        for (aid, index, s, e, date), text, score in zip(candidates, texts, scores)
    }
    chosen: set[tuple[str, int]] = set()
    used = 0
    for sentence in sorted(sentences.values(), key=lambda s: -s.score):
        for key in (
            (sentence.article_id, sentence.index),
            (sentence.article_id, sentence.index - 1),
            (sentence.article_id, sentence.index + 1),
        ):
            neighbour = sentences.get(key)
            if neighbour is None or key in chosen:
                continue
            if used + neighbour.tokens > budget_tokens:
                if key == (sentence.article_id, sentence.index) and not chosen:
                    chosen.add(key)  # the best sentence always goes in, even when it alone is too long
                    used += neighbour.tokens
                continue
            chosen.add(key)
            used += neighbour.tokens
    return _merge(sorted(chosen), sentences, articles, hits)


def _candidate_sentences(hits, articles) -> list[tuple[str, int, int, int, str | None]]:
    found: dict[tuple[str, int], tuple[str, int, int, int, str | None]] = {}
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for hit in hits:
        article = articles.get(hit.chunk.article_id)
        if article is None:
            continue
        spans = spans_of.setdefault(article.id, sentence_spans(article.text))
        for index, (start, end) in enumerate(spans):
            if start >= hit.chunk.start and end <= hit.chunk.end:
                found.setdefault((article.id, index), (article.id, index, start, end, hit.date or article.date))
    return list(found.values())


def _merge(chosen, sentences, articles, hits) -> list[Passage]:
    runs: list[list[_Sentence]] = []
    for key in chosen:
        sentence = sentences[key]
        if runs and runs[-1][-1].article_id == sentence.article_id and runs[-1][-1].index + 1 == sentence.index:
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    runs.sort(key=lambda run: -max(s.score for s in run))
    titles = {hit.chunk.article_id: hit.title for hit in hits}
    passages = []
    for number, run in enumerate(runs, start=1):
        article = articles[run[0].article_id]
        start, end = run[0].start, run[-1].end
        passages.append(
            Passage(
                number=number,
                article_id=article.id,
                title=titles.get(article.id) or article.title,
                text=article.text[start:end],
                start=start,
                end=end,
                score=round(max(s.score for s in run), 4),
                date=run[0].date,
            )
        )
    return passages
