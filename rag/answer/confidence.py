"""How far to trust an answer: a confidence that holds on any article, and where to refuse.

The confidence is the embedder's cosine between the question and the cited sentence least
related to it (``Draft.confidence``): an answer leans on every sentence it cites, and a small
model that takes a figure from a sentence about something else cites a sentence far from the
question. The eval prints the share answered wrongly against the share answered at each
threshold (the risk-coverage curve, ``eval.report``), on news-dev and news-dev2 side by side,
so that the threshold is a choice one can see; ``ARTICLE_QA_MIN_CONFIDENCE`` sets it.
"""

DEFAULT_MIN_CONFIDENCE = 0.0
