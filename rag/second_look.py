"""When to ask the model again, with the best passage alone.

A small model misreads a crowded context in two ways that the passages' scores give away: it
says NOT FOUND although one passage matches the question closely, or it answers from a
sentence far less related to the question than the best one (asked which bank predicted a
hard year, it names the bank of the sentence after the one about Citigroup). In both cases the
best passage is shown to it once more, alone, then with the next best; its reply is taken
when it answers and passes the same checks as the first (otherwise the first reply stands).
Measured in bench/results/second_look.md. The streamed text is the first reply; the Answer
that ends the stream is the one to show.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from rag.types import Answer, Passage

REFUSAL_MIN_SCORE = 0.6  # a refusal is looked at again when the best passage reaches this
CITED_GAP = 0.25  # an answer is looked at again when its best cited sentence is this far below the best passage
LOOK_SIZES = 2  # contexts tried: the best passage, then the best two


def needs_second_look(answer: Answer, passages: Sequence[Passage]) -> bool:
    """Whether the passages' scores say that the model probably misread them."""
    if not passages:
        return False
    best = max(passage.score for passage in passages)
    if answer.refused:
        return best >= REFUSAL_MIN_SCORE
    cited = [_score_of(citation, passages) for citation in answer.citations]
    return bool(cited) and max(cited) <= best - CITED_GAP


def focused_contexts(passages: Sequence[Passage]) -> list[list[Passage]]:
    """The contexts of the second look, tried in turn: the best passage alone, then the best two
    (in reading order), each numbered from [1]."""
    ranked = sorted(passages, key=lambda passage: -passage.score)
    contexts = []
    for size in range(1, min(LOOK_SIZES, len(ranked)) + 1):
        chosen = sorted(ranked[:size], key=lambda passage: passage.number)
        contexts.append([replace(passage, number=i) for i, passage in enumerate(chosen, start=1)])
    return contexts


def _score_of(citation, passages: Sequence[Passage]) -> float:
    """The score of the passage a citation quotes from (0 when none holds it)."""
    return max(
        (
            p.score
            for p in passages
            if p.article_id == citation.article_id and p.start <= citation.start and citation.end <= p.end
        ),
        default=0.0,
    )
