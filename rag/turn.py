"""One question on its way to an answer: what was asked, what was read, and how long it took."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from index import Article, QuestionError
from rag.types import Answer, Passage

MAX_QUESTION_CHARS = 2000


@dataclass
class Turn:
    """One question on its way to an answer."""

    question: str
    language: str
    started: float
    standalone: str = ""  # the rewritten follow-up, when there was history
    passages: list[Passage] = field(default_factory=list)
    articles: dict[str, Article] = field(default_factory=dict)  # the passages' articles, as read with them
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def search_question(self) -> str:
        return self.standalone or self.question

    def timings_so_far(self) -> dict[str, float]:
        timings = {**self.timings, "total_s": time.perf_counter() - self.started}
        return {key: round(value, 3) for key, value in timings.items()}

    def answer(
        self, text: str, *, refused: bool = False, citations=(), uncited_claims=(), refusal="", refusal_detail=""
    ) -> Answer:
        return Answer(
            question=self.question,
            text=text,
            citations=tuple(citations),
            refused=refused,
            refusal=refusal,
            refusal_detail=refusal_detail,
            language=self.language,
            passages=tuple(self.passages),
            timings=self.timings_so_far(),
            uncited_claims=tuple(uncited_claims),
            standalone_question=self.standalone,
        )


def clean_question(question: str) -> str:
    """The question on one line without control characters; QuestionError when empty or too long."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in question).split())
    if not cleaned:
        raise QuestionError("The question is empty. Ask something about the articles.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is {len(cleaned):,} characters long; keep it under {MAX_QUESTION_CHARS:,}.")
    return cleaned
