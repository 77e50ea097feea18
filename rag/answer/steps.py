"""How a model's reply becomes an answer, in one list: the draft, the repairs, the checks.

1. The draft (``rag.answer.draft``): the reply's sentences that no passage supports are dropped,
   its markers resolved to the exact sentences they cite, and what the question asks for read
   once (``rag.answer.kinds``).
2. The repairs, in order, each a draft in and a draft out (``REPAIRS``).
3. The checks, in order, each a draft in and what failed out (``CHECKS``). The first that fails
   makes the answer a refusal with its reason (``Answer.refusal``) and what failed
   (``Answer.refusal_detail``).

The reasons, with ``nothing_relevant`` (no passage reached the similarity threshold, so the
model was not asked), are listed in ``REASONS``; docs/design.md's "How an answer is made" has a
line for each, and a test keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from rag.answer import checks
from rag.answer.asks import note_unanswered, unanswered
from rag.answer.draft import Draft
from rag.figures import repaired
from rag.polarity import denied_yes_answered


@dataclass(frozen=True)
class Failure:
    reason: str  # a key of REASONS
    detail: str  # what failed, for a person: "2013", "a share asked, a count given"


def figures_in_place(draft: Draft) -> Draft:
    """The figure the question asks for among its cited sentence's figures: the level, not the
    change; the new value, not the old; the asked unit (``rag.figures``)."""
    return replace(draft, text=repaired(draft.text, draft.question, draft.citations))


def denied_yes_is_no(draft: Draft) -> Draft:
    """A "yes" whose every cited sentence negates becomes "no" (``rag.polarity``)."""
    return replace(draft, text=denied_yes_answered(draft.text, draft.question, draft.language, draft.citations))


def unanswered_asks_named(draft: Draft) -> Draft:
    """An ask of a two-part question that no sentence answers is named as unanswered
    (``rag.answer.asks``)."""
    left = unanswered(draft.question, draft.language, draft.claims, draft.quotes)
    return replace(draft, text=note_unanswered(draft.text, left, draft.language)) if left else draft


REPAIRS: tuple[Callable[[Draft], Draft], ...] = (figures_in_place, denied_yes_is_no, unanswered_asks_named)

NOTHING_RELEVANT = "nothing_relevant"
MODEL_NOT_FOUND = "model_not_found"
UNSUPPORTED_CLAIM = "unsupported_claim"
NO_VALID_CITATION = "no_valid_citation"
UNSUPPORTED_NUMBER = "unsupported_number"
UNSUPPORTED_NAME = "unsupported_name"
UNSUPPORTED_NOUN = "unsupported_noun"
WRONG_KIND = "wrong_kind"
CONSTRAINT_NOT_MET = "constraint_not_met"
OTHER_ENTITY = "other_entity"
OTHER_STATUS = "other_status"
LOW_CONFIDENCE = "low_confidence"
UNLIKELY_ANSWER = "unlikely_answer"

CHECKS: tuple[tuple[str, Callable[[Draft], str | None]], ...] = (
    (MODEL_NOT_FOUND, checks.said_not_found),
    (UNSUPPORTED_CLAIM, checks.nothing_supported),
    (NO_VALID_CITATION, checks.no_valid_citation),
    (UNSUPPORTED_NUMBER, checks.unsupported_number),
    (UNSUPPORTED_NAME, checks.unsupported_name),
    (UNSUPPORTED_NOUN, checks.unsupported_noun),
    (WRONG_KIND, checks.wrong_kind),
    (CONSTRAINT_NOT_MET, checks.constraint_not_met),
    (OTHER_ENTITY, checks.other_entity),
    (OTHER_STATUS, checks.other_status),
    (LOW_CONFIDENCE, checks.low_confidence),
    (UNLIKELY_ANSWER, checks.unlikely_answer),
)

REASONS = {
    NOTHING_RELEVANT: "no passage reached the similarity threshold; the model was not asked",
    MODEL_NOT_FOUND: "the model replied NOT FOUND",
    UNSUPPORTED_CLAIM: "no sentence of the reply is supported by the passages",
    NO_VALID_CITATION: "no marker of the reply points at a passage, or the reply is only markers",
    UNSUPPORTED_NUMBER: "a number of the reply is in neither the passages nor the question",
    UNSUPPORTED_NAME: "a name of the reply is in neither the passages nor the question",
    UNSUPPORTED_NOUN: 'a number of the reply counts a thing ("90 albums") its cited sentence never names',
    WRONG_KIND: "the answer's figure is of another kind than the question asks for (a share, a sum of money, "
    "a count, a measure, a date), or it is only a time where none was asked, or only its article's dateline",
    CONSTRAINT_NOT_MET: "the question names a year, number, person, place or role the cited articles never mention",
    OTHER_ENTITY: "the clause that holds the answer's figure names another entity and none the question names",
    OTHER_STATUS: "the question asks what happened, and the cited sentence only plans or expects it",
    LOW_CONFIDENCE: "the cited sentence least related to the question is below ARTICLE_QA_MIN_CONFIDENCE",
    UNLIKELY_ANSWER: "the model gave a word of its answer a probability under ARTICLE_QA_MIN_ANSWER_PROBABILITY",
}


def finished(draft: Draft) -> Draft | Failure:
    """The draft after every repair, or the first check it fails."""
    for repair in REPAIRS:
        draft = repair(draft)
    for reason, check in CHECKS:
        detail = check(draft)
        if detail is not None:
            return Failure(reason, detail)
    return draft
