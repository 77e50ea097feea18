"""How far to trust an answer: two signals that hold on any article, and where each refuses.

- **The model's probability of its answer** (``Draft.probability``): the probability it gave
  the least likely piece of the text it wrote before its first marker, read from the backend's
  token log-probabilities (``rag.backends.Piece``; None from a backend that gives none). A
  small model picking one figure among several hesitates there. Answers under
  ``ARTICLE_QA_MIN_ANSWER_PROBABILITY`` are refused (``unlikely_answer``).
- **The cited sentence's closeness** (``Draft.confidence``): the embedder's cosine between the
  question and the cited sentence least related to it: a model that takes a figure from a
  sentence about something else cites a sentence far from the question.
  ``ARTICLE_QA_MIN_CONFIDENCE`` sets its threshold.

Both thresholds are 0 (off) by default, because no threshold held across the sets
(bench/results/quality.md). At 0.2, the probability removes one wrong answer of news-dev and
none of its right ones, four wrong and two right of news-dev2, and two right answers and no
wrong one of samples.yaml; the joint probability of the whole text (tried first) refused
long answers that were right. The cosine trades about one right answer per wrong one on
every set. The eval prints the share answered wrongly against the share answered at each
probability threshold (the risk-coverage curve, ``eval.report``), so that a deployment that
prefers fewer answers to any wrong one can choose its point.
"""

from __future__ import annotations

import math
from typing import Sequence

DEFAULT_MIN_CONFIDENCE = 0.0
DEFAULT_MIN_ANSWER_PROBABILITY = 0.0


def answer_probability(pieces: Sequence[str]) -> float | None:
    """The probability the model gave the least likely piece of its reply's text (before the
    first marker, "[1]"); None when a piece carries no log-probability, or no text comes before
    a marker. The least likely piece, not the whole text: a long answer is not a less sure one."""
    least: float | None = None
    for piece in pieces:
        logprob = getattr(piece, "logprob", None)
        if logprob is None:
            return None
        if "[" in piece:
            break
        least = logprob if least is None else min(least, logprob)
    return None if least is None else round(math.exp(least), 4)
