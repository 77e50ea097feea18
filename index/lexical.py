"""BM25 over chunk texts: the lexical signal for names, numbers and same-language questions.

Tokens are lower-cased words and numbers; German and English stop words are dropped and
words are reduced by the Snowball stemmer of the text's language (nltk's, which needs no
downloaded data). Numbers keep their digits only ("108.796" and "108,796" both become
"108796"), so a number matches across notations.

What it leaves out: compound splitting, synonyms, anything across languages but shared
names and numbers (the dense retriever covers that).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

from index.language import detect_language

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+", re.UNICODE)
STOP_WORDS = frozenset(
    """
    der die das und ist nicht ein eine einen einem einer eines dem den des mit von zu im in auf für wie was wer
    wo wann warum welche welcher welches viele hat haben sich auch noch nach bei aus sind wird werden es sie er
    über am an als um oder aber dass wurde wurden sein seine ihr ihre zum zur vom
    the and is are not a an of to in on for with what who where when why which how many much does do did has
    have it its by from at that this will was were be been as or but there their they he she his her
    """.split()
)
K1, B = 1.5, 0.75


@lru_cache(maxsize=2)
def _stemmer(language: str):
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("german" if language == "de" else "english")


def tokens(text: str, language: str | None = None) -> list[str]:
    stem = _stemmer(language or detect_language(text)).stem
    found = []
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            found.append(re.sub(r"[.,]", "", token))
        elif token not in STOP_WORDS and len(token) > 1:
            found.append(stem(token))
    return found


class BM25:
    """Okapi BM25 over a fixed list of documents, identified by their position."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        self.term_counts = [Counter(doc) for doc in documents]
        self.lengths = [sum(counts.values()) for counts in self.term_counts]
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        document_frequency: Counter = Counter()
        for counts in self.term_counts:
            document_frequency.update(counts.keys())
        n = len(self.term_counts)
        self.idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()}
        self.postings: dict[str, list[int]] = {}
        for index, counts in enumerate(self.term_counts):
            for term in counts:
                self.postings.setdefault(term, []).append(index)

    def __len__(self) -> int:
        return len(self.term_counts)

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        """Score of every document that shares a term with the query."""
        scores: dict[int, float] = {}
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for index in self.postings[term]:
                frequency = self.term_counts[index][term]
                norm = K1 * (1 - B + B * self.lengths[index] / (self.average_length or 1))
                scores[index] = scores.get(index, 0.0) + idf * frequency * (K1 + 1) / (frequency + norm)
        return scores

    def score(self, query: Sequence[str], index: int) -> float:
        """The score of one document: what ``scores`` gives it, without touching any other."""
        counts = self.term_counts[index]
        norm = K1 * (1 - B + B * self.lengths[index] / (self.average_length or 1))
        total = 0.0
        for term in set(query):
            frequency = counts.get(term, 0)
            if frequency:
                total += self.idf[term] * frequency * (K1 + 1) / (frequency + norm)
        return total

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        return sorted(self.scores(query).items(), key=lambda item: -item[1])[:k]
