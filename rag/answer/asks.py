"""Two parts, two answers: a question that asks two things gets both, or says which part the
articles do not answer.

"In which town did the ferry start, and who runs it?" asks a place and a person. A small model
often answers the first and, for the second, writes something that is no answer ("The ferry
is run by its operator [2]"). The question is split into its asks at "and" / "und" before a
question word; an ask for a person, a date or a year, or a figure of a kind
(``rag.answer.kinds``) counts as answered when some sentence of the answer gives a new name,
a year or date, or a figure of that kind. An ask left unanswered is named at the end of the
answer: "The articles don't answer this part: who runs it?", so that no half answer passes
for a whole one.

What it leaves out: asks joined without a question word ("How many ferries and buses run?"),
and asks for things that are neither names, dates nor figures ("why", "how").
"""

from __future__ import annotations

import re

from index.dates import MONTH
from index.lexicon import YEAR
from rag.answer.kinds import TIME_WORDS, Asked, asked_kind, mismatch
from rag.answer.quantities import quantities
from rag.citations import claims as claim_spans
from rag.constraints import asked_part, name_runs, name_supported

_QUESTION_WORD = (
    r"(?:who|whom|whose|what|which|when|where|how|in (?:what|which)|wer|wen|wem|wessen|was|welche\w*|wann|wo|wie"
    r"|in welche\w*|an welche\w*|seit wann|bis wann)\b"
)
_JOIN = re.compile(rf",?\s+(?:and|und|sowie)\s+(?={_QUESTION_WORD})", re.IGNORECASE)
_UNANSWERED = {"en": "The articles don't answer this part: {ask}", "de": "Dazu steht nichts in den Artikeln: {ask}"}


def asks(question: str) -> list[str]:
    """The question's asks: one, or two and more joined by "and" before a question word."""
    return [part.strip() for part in _JOIN.split(asked_part(question)) if part.strip()]


def unanswered(question: str, language: str, claims: str, quotes: str) -> list[str]:
    """The asks of a question of two asks or more that no sentence of the answer answers."""
    parts = asks(question)
    if len(parts) < 2:
        return []
    sentences = [text for _, _, text in claim_spans(claims) if text.strip()]
    answers = sentences if len(sentences) == len(parts) else [claims] * len(parts)  # in order, when one each
    return [
        part
        for part, answer in zip(parts, answers)
        if not _answered(asked_kind(part), question, language, answer, quotes)
    ]


def note_unanswered(text: str, asks_left: list[str], language: str) -> str:
    """The answer with a sentence naming each ask the articles do not answer."""
    template = _UNANSWERED.get(language, _UNANSWERED["en"])
    notes = [template.format(ask=ask if ask.endswith("?") else f"{ask}?") for ask in asks_left]
    return " ".join([text, *notes])


def _answered(asked: Asked, question: str, language: str, claims: str, quotes: str) -> bool:
    if asked.kind == "person":
        names = name_runs(claims, language, skip_first=False)
        return any(not name_supported(name, question, share=0.5) for name in names)
    if asked.kind == "date":
        words = set(re.findall(r"[^\W\d_]+", claims.casefold()))
        return bool(
            YEAR.search(claims) or re.search(rf"(?<!\w){MONTH}(?!\w)", claims, re.IGNORECASE) or words & TIME_WORDS
        )
    if asked.kind in ("money", "share", "count", "measure"):
        return bool(quantities(claims)) and not mismatch(asked, claims, quotes)
    return True  # what it cannot tell, it takes as answered
