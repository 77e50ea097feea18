"""One question on its way to an answer: what was asked, what was read, and how long it took."""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Sequence

from index import Article, QuestionError
from index.types import DayRange
from rag.copies import also_in
from rag.types import Answer, Passage

MAX_QUESTION_CHARS = 2000
# A chat's earlier turns, as an API may send them: more is refused (422), not read. Only the last
# few are read, and each cut short (rag.prompt.REWRITE_TURNS, REWRITE_PART_CHARS).
MAX_HISTORY_TURNS = 100
MAX_HISTORY_CHARS = 100_000


@dataclass
class Turn:
    """One question on its way to an answer."""

    question: str
    language: str
    started: float
    standalone: str = ""  # the rewritten follow-up, when there was history
    days: DayRange = DayRange()  # only articles written in these days, when set
    copies: dict[str, tuple[Article, ...]] = field(default_factory=dict)  # each read article's wire copies
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
        self,
        text: str,
        *,
        refused: bool = False,
        citations=(),
        uncited_claims=(),
        refusal="",
        refusal_detail="",
        confidence: float | None = None,
        probability: float | None = None,
    ) -> Answer:
        return Answer(
            question=self.question,
            text=text,
            citations=tuple(replace(c, also_in=also_in(c.quote, self.copies.get(c.article_id, ()))) for c in citations),
            refused=refused,
            refusal=refusal,
            refusal_detail=refusal_detail,
            language=self.language,
            passages=tuple(self.passages),
            timings=self.timings_so_far(),
            uncited_claims=tuple(uncited_claims),
            standalone_question=self.standalone,
            confidence=confidence,
            probability=probability,
        )


def clean_question(question: str) -> str:
    """The question on one line without control characters; QuestionError when empty or too long."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in question).split())
    if not cleaned:
        raise QuestionError("The question is empty. Ask something about the articles.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is {len(cleaned):,} characters long; keep it under {MAX_QUESTION_CHARS:,}.")
    return cleaned


def check_history(history: Sequence[tuple[str, str]]) -> None:
    """A QuestionError naming the limit when a chat's earlier turns are too many or too long."""
    if len(history) > MAX_HISTORY_TURNS:
        raise QuestionError(
            f"The chat history has {len(history):,} turns; at most {MAX_HISTORY_TURNS:,} are taken. Send fewer."
        )
    characters = sum(len(asked) + len(answered) for asked, answered in history)
    if characters > MAX_HISTORY_CHARS:
        raise QuestionError(
            f"The chat history is {characters:,} characters long; at most {MAX_HISTORY_CHARS:,} are taken. "
            "Send fewer or shorter turns."
        )


_PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")  # ASCII digits: "٢٠٢٦" is no year here


def day_range(since: str | date | None = None, until: str | date | None = None) -> DayRange:
    """The days from ``since`` to ``until``, each a day, a month or a year ("2026-01-15", "2026-01",
    "2026"; ``since`` from its first day, ``until`` to its last); QuestionError when one is not a date."""
    first = _bound(since, "since", last=False)
    last = _bound(until, "until", last=True)
    if first and last and first > last:
        raise QuestionError(f"--since {first} is after --until {last}: no article can be in between.")
    return DayRange(first, last)


def _bound(value: str | date | None, name: str, *, last: bool) -> str:
    if isinstance(value, date):
        return value.isoformat()
    text = (value or "").strip()
    if not text:
        return ""
    found = _PERIOD.fullmatch(text)
    try:
        if found is None:
            raise ValueError
        year, month, day = int(found.group(1)), found.group(2), found.group(3)
        if month is None:
            return date(year, 12, 31).isoformat() if last else date(year, 1, 1).isoformat()
        if day is None:
            end = calendar.monthrange(year, int(month))[1] if last else 1
            return date(year, int(month), end).isoformat()
        return date(year, int(month), int(day)).isoformat()
    except ValueError:
        raise QuestionError(
            f"{name} {text[:40]!r} is not a date: give a day, a month or a year, like 2026-01-15, 2026-01 or 2026."
        ) from None
