"""Scoring an answer against what was expected, without an LLM judge.

Text matching normalises as SQuAD's official script does before it looks for an expected
text in the answer: case, accents, punctuation between words ("24. March" matches "24 March";
"108.796" keeps its dot), articles (English and German: "the Council" holds "Council") and
runs of whitespace. A number is expected within a relative tolerance (0.1 passes 135..165
for 150) and is read in English or German notation. What is scored is the answer's own text:
the labels an answer from several articles carries (their titles and dates) are left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Sequence

from rag.citations import MARKER
from rag.numbers import numbers_in

_ARTICLES = frozenset("a an the der die das den dem des ein eine einen einem einer eines".split())
_BETWEEN_WORDS = re.compile(r"[^\w\s](?!\d)|(?<!\d)[^\w\s]")  # punctuation, unless it sits inside a number


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")
    return " ".join(_BETWEEN_WORDS.sub(" ", without_accents).split())


def without_articles(text: str) -> str:
    """The normalised text without articles, as SQuAD's script compares answers."""
    return " ".join(word for word in normalize(text).split() if word not in _ARTICLES)


def contains_any(answer: str, alternatives: Sequence[str]) -> bool:
    haystack = without_articles(answer)
    return any(without_articles(alternative) in haystack for alternative in alternatives if alternative.strip())


def own_text(answer: str, titles: Sequence[str]) -> str:
    """The answer without the labels naming its articles: "According to “Title” (Jan 2026): ..."."""
    for title in sorted(set(titles), key=len, reverse=True):
        answer = re.sub(rf"[“„\"]{re.escape(title)}[”“\"](?:\s*\([^)]*\))?", " ", answer)
    return answer


def number_matches(answer: str, expected: float, tolerance: float = 0.0) -> bool:
    """True when any number in ``answer`` is within ``tolerance`` (relative) of ``expected``."""
    allowed = abs(expected) * tolerance
    return any(abs(value - expected) <= allowed for value in numbers_in(answer))


def answer_matches(answer: str, expect) -> tuple[bool, str]:
    """Whether an (unrefused) answer meets an Expectation, and why not. Citation markers do not count."""
    answer = MARKER.sub("", answer)
    if expect.number is not None and not number_matches(answer, expect.number, expect.tolerance):
        return False, f"no number within {expect.tolerance:.0%} of {expect.number:g}"
    if expect.any and not contains_any(answer, expect.any):
        return False, f"none of {list(expect.any)}"
    for group in expect.all:
        if not contains_any(answer, group):
            return False, f"missing any of {list(group)}"
    return True, ""


def token_f1(answer: str, alternatives: Sequence[str]) -> float:
    """SQuAD's token F1 against the best alternative: partial credit for "Powiaty" against
    "Landkreise oder Powiaty". Articles (English and German) and punctuation are ignored."""

    def tokens(text: str) -> list[str]:
        return without_articles(MARKER.sub("", text)).split()

    predicted = tokens(answer)
    best = 0.0
    for alternative in alternatives:
        gold = tokens(alternative)
        common = sum((Counter(predicted) & Counter(gold)).values())
        if common:
            precision, recall = common / len(predicted), common / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def citations_cover(cited_article_ids: Sequence[str], sources: Sequence[str]) -> bool:
    return set(sources) <= set(cited_article_ids)


def first_hit_rank(retrieved_article_ids: Sequence[str], sources: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved article that is one of the sources."""
    for rank, article_id in enumerate(retrieved_article_ids, start=1):
        if article_id in sources:
            return rank
    return None
