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

from rag.answer.clauses import clauses_about
from rag.numbers import numbers_in
from rag.types import Citation

_PAST_QUESTION = re.compile(
    r"\b(did|was|were|had|has been|have been|last year|ago|hat|haben|hatte|hatten|war|waren|wurde|wurden"
    r"|vergangenen|letzten jahr|vorjahr)\b",
    re.IGNORECASE,
)
# a clause that plans or expects: its verbs and modals (a "target" that was hit is no plan)
_FORECAST = re.compile(
    r"\b(expects?|expected to|forecasts?|forecast to|predicts?|predicted to|plans?|planned|planning|aims? to|"
    r"hopes? to|intends?|projected|will|is to|are to|is due|are due|set to|likely to|"
    r"erwarte[nt]?|prognostizier\w*|rechne[nt]? mit|plan(?:t|en)|geplant\w*|soll|sollen|will|wollen|"
    r"dürfte|dürften|voraussichtlich\w*|angepeilt\w*|anpeil\w*|hoff(?:t|en)|künftig\w*)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"\b(?:haben|sein|worden|gewesen)\b", re.IGNORECASE)
# a question about plans, expectations or targets, also in German compounds ("Umsatzziel")
_FORECAST_ASKED = re.compile(
    r"\b(expect\w*|forecast\w*|predict\w*|plan\w*|aim\w*|target\w*|hope\w*|intend\w*|projected|will|"
    r"going to|next year|\w*erwart\w*|\w*prognos\w*|rechne\w*|\w*plan\w*|geplant\w*|soll\w*|will|wollen|"
    r"\w*ziel\w*|angepeilt\w*|künftig\w*|nächste[nms]? jahr\w*)\b",
    re.IGNORECASE,
)


def asks_actual(question: str) -> bool:
    """Whether a question asks what happened: put in the past, and not about plans or forecasts."""
    return bool(_PAST_QUESTION.search(question)) and not _FORECAST_ASKED.search(question)


def status_mismatch(question: str, language: str, claims: str, citations: Sequence[Citation]) -> str:
    """ "an expected figure given" when the question asks what happened and every cited clause
    holding the answer only expects or plans it; "" otherwise."""
    if not citations or not asks_actual(question):
        return ""
    holding = [clause for citation in citations for clause in clauses_about(citation.quote, claims)]
    if holding and all(_expects(clause) for clause in holding):
        return "a planned or expected figure given" if numbers_in(claims) else "a planned or expected event given"
    return ""


def _expects(clause: str) -> bool:
    """Whether the clause plans or expects; German "soll ... haben" reports what is said to have
    happened ("soll sich Geld besorgt haben": it reportedly raised money), no plan."""
    found = [match.group().casefold() for match in _FORECAST.finditer(clause)]
    if found and all(word in ("soll", "sollen") for word in found) and _REPORTED.search(clause):
        return False
    return bool(found)
