"""The checks a draft must pass before it is shown as an answer, each a pure function of the
draft that says what failed, or None. A draft that fails one is replaced by a refusal with the
check's reason (``rag.answer.steps`` lists them in order): the model's own words are never
shown as if the articles said them.
"""

from __future__ import annotations

from rag.answer.draft import Draft
from rag.answer.entities import figure_of_another, only_a_dateline
from rag.answer.kinds import mismatch, only_a_time
from rag.answer.status import status_mismatch
from rag.citations import has_words
from rag.constraints import name_runs, name_supported, unmet
from rag.figures import counted_nouns
from rag.numbers import unsupported_numbers


def said_not_found(draft: Draft) -> str | None:
    return "" if draft.said_not_found else None


def nothing_supported(draft: Draft) -> str | None:
    """Every sentence of the reply was dropped as unsupported (``rag.answer.support``)."""
    return " ".join(draft.dropped) if draft.dropped and not has_words(draft.claims) else None


def no_valid_citation(draft: Draft) -> str | None:
    return "" if not draft.citations or not has_words(draft.text) else None


def unsupported_number(draft: Draft) -> str | None:
    return ", ".join(unsupported_numbers(draft.claims, _evidence(draft))) or None


def unsupported_name(draft: Draft) -> str | None:
    same_language = draft.in_language(list(draft.articles.values()))
    names = unsupported_names(draft.claims, draft.language, _evidence(draft), same_language=same_language)
    return ", ".join(names) or None


def unsupported_noun(draft: Draft) -> str | None:
    """A number counts a thing ("64 Bücher") its cited sentence never names (checked only when the
    cited articles are in the question's language: in another, the noun is translated)."""
    if not draft.in_language(draft.cited):
        return None
    nouns = [noun for noun in counted_nouns(draft.claims) if not name_supported(noun, draft.quotes)]
    return ", ".join(nouns) or None


def wrong_kind(draft: Draft) -> str | None:
    """The answer's figure is of another kind than the question asks for (``rag.answer.kinds``)."""
    if found := mismatch(draft.asked, draft.claims, draft.quotes):
        return found
    if only_a_time(draft.question, draft.claims):
        return f"only a time given: {draft.claims.strip().rstrip('.')}"
    if only_a_dateline(draft.claims, draft.citations):
        return f"only the article's dateline given: {draft.claims.strip().rstrip('.')}"
    return None


def constraint_not_met(draft: Draft) -> str | None:
    """The question names a year, number, person, place or role the cited articles never mention."""
    texts = [f"{article.title}\n{article.text}" for article in draft.cited]
    others = [f"{article.title}\n{article.text}" for article in draft.not_cited]
    same_language = draft.in_language(draft.cited)
    missing = unmet(draft.question, draft.language, texts, same_language=same_language, others=others)
    return ", ".join(constraint.text for constraint in missing) or None


def other_entity(draft: Draft) -> str | None:
    """The clause that holds the answer's figure speaks of another entity than the question
    (``rag.answer.entities``)."""
    languages = {article.id: article.language or "" for article in draft.cited}
    return figure_of_another(draft.question, draft.language, draft.claims, draft.citations, languages) or None


def other_status(draft: Draft) -> str | None:
    """The question asks what happened; the cited sentence only expects, plans or estimates it (or
    the other way round) (``rag.answer.status``)."""
    return status_mismatch(draft.question, draft.language, draft.claims, draft.citations) or None


def low_confidence(draft: Draft) -> str | None:
    """The sentence the answer leans on least is further from the question than the threshold."""
    if draft.confidence is None or draft.confidence >= draft.min_confidence:
        return None
    return f"{draft.confidence:.2f} < {draft.min_confidence:.2f}"


def unlikely_answer(draft: Draft) -> str | None:
    """The model gave the least likely word of its answer a probability under the threshold."""
    if draft.probability is None or draft.probability >= draft.min_probability:
        return None
    given, least = f"{draft.probability:.1%}", f"{draft.min_probability:.0%}"
    return f"the model gave a word of its answer a probability of {given}, under {least}"


def unsupported_names(answer: str, language: str, evidence: str, *, same_language: bool = True) -> list[str]:
    """Names in the answer that the evidence (passages, titles, question) does not hold: a small
    model fills a gap with a name from its worked examples or from what it knows. An answer in
    another language than its passages translates names of things ("the Council" for "der
    Rat"): there only names of several words count, and one of their words must be found."""
    names = name_runs(answer, language, skip_first=False)
    if not same_language:
        names = [name for name in names if len(name.split()) > 1]
    return [name for name in names if not name_supported(name, evidence, share=0.5 if same_language else 0.0)]


def _evidence(draft: Draft) -> str:
    return " ".join([draft.question, *(p.title for p in draft.passages), *(p.text for p in draft.passages)])
