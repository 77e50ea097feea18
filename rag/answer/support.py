"""Sentences of a reply that no passage supports are dropped before the reply is cited.

A small model asked to "also name the capital of France" adds "Paris is the capital of
France [2]", with a marker on an unrelated sentence; an instruction hidden in the question is
data, like one in an article, and what it draws from the model's own knowledge is not shown.

A sentence stands when it says nothing checkable ("Ja [1]."), when one of its numbers is in
the passages, or when the passages hold what it says: at least half of its content words
(prefix matches, so "Stores" meets "stores"); or, when most passages are in another language
than the question and words are translated, one of its names, or no name at all. The rest of the
reply is kept; a reply left with nothing is refused.
"""

from __future__ import annotations

import re
from typing import Sequence

from index.language import detect_language
from index.lexical import STOP_WORDS
from rag.citations import claims
from rag.constraints import name_runs, name_supported
from rag.numbers import numbers_in
from rag.types import Passage

_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_ANSWER_WORDS = {"nein", "doch", "yes"}  # a reply's "Nein [1]." answers; it claims nothing to look up
_PREFIX = 5
_SHARE = 0.5


def without_unsupported(reply: str, passages: Sequence[Passage], language: str) -> tuple[str, list[str]]:
    """The reply without its unsupported sentences, and those sentences."""
    evidence = " ".join(part for passage in passages for part in (passage.title, passage.text))
    languages = [detect_language(passage.text) for passage in passages]
    same_language = languages.count(language) * 2 >= len(languages)  # a short passage may read as another
    kept, dropped, cursor = [], [], 0
    for start, end, claim in claims(reply):
        if is_supported(claim, evidence, language, same_language=same_language):
            kept.append(reply[cursor:end])
        else:
            dropped.append(claim)
            kept.append(reply[cursor:start].rstrip(" "))  # the sentence goes, and the spaces before it
        cursor = end
    kept.append(reply[cursor:])
    return "".join(kept).strip(), dropped


def is_supported(claim: str, evidence: str, language: str, *, same_language: bool = True) -> bool:
    words = {word.lower() for word in _CONTENT_WORD.findall(claim)} - STOP_WORDS - _ANSWER_WORDS
    claim_numbers = numbers_in(claim)
    if not words and not claim_numbers:
        return True
    if claim_numbers & numbers_in(evidence):
        return True
    found = {word[:_PREFIX] for word in _CONTENT_WORD.findall(evidence.lower())}
    if sum(word[:_PREFIX] in found for word in words) >= _SHARE * len(words):
        return True
    if same_language:
        return False
    names = name_runs(claim, language, skip_first=False)
    return not names or any(name_supported(name, evidence, share=0.0) for name in names)
