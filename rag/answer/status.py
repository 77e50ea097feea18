"""Actual or expected: a figure that is planned, forecast or hoped for does not answer a question
about what happened.

"What did the museum earn last year?" is not answered by "the director expects 2 million euros
for next year", nor "How many trams were delivered?" by "40 trams are to be delivered". A
question asks for an actual result when it is put in the past ("did", "was", "hat ...
verdient", "wurde") and says nothing of plans or expectations itself; the cited sentence gives
an expected one when the clause that holds the answer's figure (or, for an answer without a
figure, the sentence) speaks in the words of plans and forecasts ("expects", "plans", "is to",
"soll", "rechnet mit", "Prognose"). Such an answer is refused with what the sentence is: the
refusal shows the sentence, so a reader still sees the forecast.

What it leaves out: the other way round (a forecast asked, an actual result cited: a result
is often the best answer there is), and tenses it cannot see in a single word.
"""

from __future__ import annotations

import re
from typing import Sequence

from rag.numbers import NUMBER, readings
from rag.types import Citation

_PAST_QUESTION = re.compile(
    r"\b(did|was|were|had|has been|have been|last year|ago|hat|haben|hatte|hatten|war|waren|wurde|wurden"
    r"|vergangenen|letzten jahr|vorjahr)\b",
    re.IGNORECASE,
)
_FORECAST = re.compile(
    r"\b(expect\w*|forecast\w*|predict\w*|plan|plans|planned|planning|aim\w*|target\w*|hope\w*|intend\w*|"
    r"projected|will|would|could|might|is to|are to|was to|were to|is due|are due|set to|likely|"
    r"erwart\w*|prognos\w*|rechne[nt]?|rechnete|plan\w*|geplant\w*|soll|sollen|sollte|sollten|will|wollen|"
    r"dürfte|dürften|könnte|könnten|voraussichtlich\w*|ziel\w*|angepeilt\w*|anpeil\w*|hoff\w*|künftig\w*)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[;:]|,(?!\d)|\s+(?:and|but|while|whereas|und|aber|während|doch|sondern)\s+|\s+[-–]\s+")


def asks_actual(question: str) -> bool:
    """Whether a question asks what happened: put in the past, and not about plans or forecasts."""
    return bool(_PAST_QUESTION.search(question)) and not _FORECAST.search(question)


def status_mismatch(question: str, language: str, claims: str, citations: Sequence[Citation]) -> str:
    """ "an expected figure given" when the question asks what happened and every cited clause
    holding the answer only expects or plans it; "" otherwise."""
    if not citations or not asks_actual(question):
        return ""
    values = set().union(*(readings(match.group()) for match in NUMBER.finditer(claims))) if claims else set()
    clauses = [clause for citation in citations for clause in _clauses_with(citation.quote, values)]
    if clauses and all(_FORECAST.search(clause) for clause in clauses):
        return "a planned or expected figure given" if values else "a planned or expected event given"
    return ""


def _clauses_with(sentence: str, values: set[float]) -> list[str]:
    """The clauses of a sentence that hold one of the values (all of it when there are none)."""
    if not values:
        return [sentence]
    clauses = _CLAUSE_END.split(sentence)
    return [clause for clause in clauses if any(readings(match.group()) & values for match in NUMBER.finditer(clause))]
