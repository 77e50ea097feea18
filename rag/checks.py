"""The checks a model's reply must pass before it is shown as an answer, and the reasons for a
refusal when it does not.

Each check is a pure function of the question, the reply with its resolved citations, and the
passages and articles the model read; ``first_failure`` runs them in order and says why the
first one failed. A reply that fails any check is replaced by a refusal: the model's own words
are never shown as if the articles said them.

Reasons (``Answer.refusal``):

    nothing_relevant     no passage reached the similarity threshold; the model was not asked
    model_not_found      the model replied NOT FOUND
    no_valid_citation    no marker of the reply points at a passage, or the reply is only markers
    unsupported_claim    no sentence of the reply is supported by the passages (``rag.support``)
    unsupported_number   a number of the reply is in neither the passages nor the question
    unsupported_name     a name of the reply is in neither the passages nor the question
    unsupported_noun     a number of the reply counts a thing ("90 Alben") its cited sentence never names
    not_a_sum_of_money   the question asks for an amount of money and the reply names no currency
    only_a_time          the reply gives nothing but a time ("Am Montag") to a question that asks for none
    constraint_not_met   the question names a year, number, person, place or role the cited articles never mention
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from index.language import detect_language
from index.types import Article
from rag.answer_type import asks_for_money, names_money, only_a_time
from rag.citations import MARKER, Resolved, has_words
from rag.constraints import name_runs, name_supported, unmet
from rag.figures import counted_nouns
from rag.numbers import unsupported_numbers
from rag.types import Passage

NOTHING_RELEVANT = "nothing_relevant"
MODEL_NOT_FOUND = "model_not_found"
NO_VALID_CITATION = "no_valid_citation"
UNSUPPORTED_CLAIM = "unsupported_claim"
UNSUPPORTED_NUMBER = "unsupported_number"
UNSUPPORTED_NAME = "unsupported_name"
UNSUPPORTED_NOUN = "unsupported_noun"
NOT_A_SUM_OF_MONEY = "not_a_sum_of_money"
ONLY_A_TIME = "only_a_time"
CONSTRAINT_NOT_MET = "constraint_not_met"


@dataclass(frozen=True)
class Failure:
    reason: str  # one of the names above
    detail: str  # what failed, for a person: "2013", "Claudia Kalisch"


def first_failure(
    *,
    question: str,
    language: str,
    resolved: Resolved,
    passages: Sequence[Passage],
    articles: Mapping[str, Article],
) -> Failure | None:
    """Why the resolved reply cannot be shown, or None when it passes every check."""
    if not resolved.citations or not has_words(resolved.text):
        return Failure(NO_VALID_CITATION, "")
    claims = MARKER.sub("", resolved.text)
    evidence = " ".join([question, *(passage.title for passage in passages), *(passage.text for passage in passages)])
    if numbers := unsupported_numbers(claims, evidence):
        return Failure(UNSUPPORTED_NUMBER, ", ".join(numbers))
    read_in_language = _all_in(language, articles.values())
    if names := unsupported_names(claims, language, evidence, same_language=read_in_language):
        return Failure(UNSUPPORTED_NAME, ", ".join(names))
    cited_ids = {citation.article_id for citation in resolved.citations}
    cited = [article for aid, article in sorted(articles.items()) if aid in cited_ids]
    cited_in_language = _all_in(language, cited)
    quotes = " ".join(citation.quote for citation in resolved.citations)
    if cited_in_language and (nouns := [noun for noun in counted_nouns(claims) if not name_supported(noun, quotes)]):
        return Failure(UNSUPPORTED_NOUN, ", ".join(nouns))  # in another language the noun is translated
    if asks_for_money(question) and not names_money(f"{claims} {quotes}"):
        return Failure(NOT_A_SUM_OF_MONEY, "")
    if only_a_time(question, claims):
        return Failure(ONLY_A_TIME, claims.strip().rstrip("."))
    others = [f"{article.title}\n{article.text}" for aid, article in sorted(articles.items()) if aid not in cited_ids]
    texts = [f"{article.title}\n{article.text}" for article in cited]
    if missing := unmet(question, language, texts, same_language=cited_in_language, others=others):
        return Failure(CONSTRAINT_NOT_MET, ", ".join(constraint.text for constraint in missing))
    return None


def _all_in(language: str, articles) -> bool:
    return all((article.language or detect_language(article.text)) == language for article in articles)


def unsupported_names(answer: str, language: str, evidence: str, *, same_language: bool = True) -> list[str]:
    """Names in the answer that the evidence (passages, titles, question) does not hold: a small
    model fills a gap with a name from its worked examples or from what it knows. An answer in
    another language than its passages translates names of things ("the Council" for "der
    Rat"): there only names of several words count, and one of their words must be found."""
    names = name_runs(answer, language, skip_first=False)
    if not same_language:
        names = [name for name in names if len(name.split()) > 1]
    return [name for name in names if not name_supported(name, evidence, share=0.5 if same_language else 0.0)]
