"""How the passages are put to the model: in one call, or in one call per strong article.

Sources that disagree: when two or more articles each hold a passage nearly as relevant as the
best one, each article is asked on its own and the replies are shown one after the other, each
labelled with its article (one says Xiaomi sells nothing in the US, another that it opens a US
shop; asked once, a small model gives one side).

(Questions that ask two things were also split into two calls, one per part, each with the
sentences that fit it best. On news-dev it changed no item's result and cost a second call
for such questions, so it was dropped; the per-article calls already give a two-article
question both articles' facts.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from rag.citations import MARKER
from rag.passages import best_score_per_article
from rag.types import Answer, Passage

SEPARATE_MIN_SCORE = 0.55  # an article is asked on its own when its best passage reaches this...
SEPARATE_MARGIN = 0.15  # ...and is within this of the best passage overall

ACCORDING_TO = {"en": "According to “{title}”{date}: {reply}", "de": "Laut „{title}“{date}: {reply}"}


def article_groups(passages: Sequence[Passage]) -> list[list[Passage]]:
    """The passages to answer from, one group per article when several articles are strong,
    else all together."""
    best = best_score_per_article(passages)
    top = max(best.values(), default=0.0)
    strong = [aid for aid, score in best.items() if score >= max(SEPARATE_MIN_SCORE, top - SEPARATE_MARGIN)]
    if len(strong) < 2:
        return [list(passages)] if passages else []
    strong.sort(key=lambda aid: -best[aid])
    return [[passage for passage in passages if passage.article_id == aid] for aid in strong]


def local(passages: Sequence[Passage]) -> list[Passage]:
    """Passages numbered from [1], as one call shows them."""
    return [replace(passage, number=i) for i, passage in enumerate(passages, start=1)]


def global_markers(reply: str, passages: Sequence[Passage]) -> str:
    """A reply with its local markers [1], [2] turned back into the passages' own numbers."""

    def renumber(match: re.Match) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        shown = [str(passages[n - 1].number) for n in numbers if 1 <= n <= len(passages)]
        return " [" + ", ".join(shown) + "]" if shown else ""

    return MARKER.sub(renumber, reply)


def labelled(answer: Answer, groups: Sequence[Sequence[Passage]], language: str) -> Answer:
    """An answer from several articles' replies, one paragraph each, each labelled with its
    article. The labels are added after the citations are resolved: a title's words and
    numbers ("GM pays $2bn ...") would otherwise count as the claim's own."""
    paragraphs = answer.text.split("\n\n")
    if len(paragraphs) != len(groups):
        return answer
    template = ACCORDING_TO.get(language, ACCORDING_TO["en"])
    labelled_paragraphs = [
        template.format(title=group[0].title, date=f" ({group[0].date})" if group[0].date else "", reply=paragraph)
        for group, paragraph in zip(groups, paragraphs)
    ]
    return replace(answer, text=" ".join(labelled_paragraphs))
