"""The answer checks as pure functions of a draft: each failure says why."""

import re
from pathlib import Path

import pytest

from index.types import Article
from rag.answer import CHECKS, REASONS, Draft, Failure, finished
from rag.answer.checks import unsupported_names
from rag.answer.kinds import asked_kind
from rag.types import Citation, Passage

TEXT = "Innerhalb der nächsten vier Jahre plant Xiaomi rund 150 neue Stores auf dem britischen Markt im Jahr 2026."
ARTICLE = Article("ford", "Xiaomi: Ford-Gerücht dementiert", TEXT, language="de")
PASSAGE = Passage(1, "ford", ARTICLE.title, TEXT, 0, len(TEXT), 0.8)
CITATION = Citation(1, "ford", ARTICLE.title, TEXT, 0, len(TEXT))


def failure(answer, question="How many stores does Xiaomi plan in the UK?", citations=(CITATION,), language="en"):
    draft = Draft(
        question=question,
        language=language,
        raw=answer,
        text=answer,
        citations=tuple(citations),
        passages=(PASSAGE,),
        articles={"ford": ARTICLE},
        asked=asked_kind(question),
    )
    found = finished(draft)
    return (found.reason, found.detail) if isinstance(found, Failure) else None


def test_a_cited_answer_whose_numbers_and_names_the_passages_hold_passes():
    assert failure("About 150 stores [1].") is None
    assert failure("Xiaomi plans 150 stores in the UK [1].") is None  # "UK" is "britisch" by the place names


def test_each_failed_check_gives_its_reason_and_what_failed():
    assert failure("About 150 stores.", citations=()) == ("no_valid_citation", "")
    assert failure("[1]") == ("no_valid_citation", "")
    assert failure("About 160 stores [1].") == ("unsupported_number", "160")
    assert failure("The mayor is Claudia Kalisch [1].") == ("unsupported_name", "Claudia Kalisch")
    assert failure("150 [1].", question="What revenue did Xiaomi make in the UK?") == (
        "wrong_kind",
        "a sum of money asked, a count given",
    )
    where = "Where will Xiaomi open 150 stores?"
    assert failure("Im Jahr 2026 [1].", question=where) == ("wrong_kind", "only a time given: Im Jahr 2026")
    assert failure("NOT FOUND") == ("model_not_found", "")
    assert failure("150 [1].", question="How many stores will Xiaomi open in Germany?") == (
        "constraint_not_met",
        "Germany",
    )
    assert failure("150 [1].", question="How many stores will Xiaomi open in 2027?") == ("constraint_not_met", "2027")


def test_across_languages_only_names_of_several_words_are_checked_and_one_word_found_is_enough():
    passages = "Das Europäische Parlament und der Rat der Europäischen Union haben ein Vetorecht."
    answer = "The European Parliament and the Council [1]. The mayor Claudia Kalisch agreed."
    assert unsupported_names(answer, "en", passages, same_language=False) == ["Claudia Kalisch"]
    assert unsupported_names(answer, "en", passages, same_language=True) == ["Council", "Claudia Kalisch"]


def test_a_number_that_counts_what_its_sentence_never_names_is_refused():
    german = "Wie viele Filialen plant Xiaomi?"
    assert failure("150 Filialen [1].", question=german, language="de") == ("unsupported_noun", "Filialen")
    assert failure("150 Stores [1].", question=german, language="de") is None
    assert failure("150 new stores within four years [1].") is None  # English answer, German source: not checked


def test_every_check_has_a_reason_and_every_reason_a_line_in_the_design_doc():
    design = (Path(__file__).resolve().parents[2] / "docs" / "design.md").read_text(encoding="utf-8")
    assert all(reason in REASONS for reason, _ in CHECKS)
    documented = set(re.findall(r"^\s*- `(\w+)`", design, re.MULTILINE))
    assert set(REASONS) <= documented, sorted(set(REASONS) - documented)


def test_an_answer_below_the_confidence_threshold_is_refused_and_none_is_by_default():
    draft = Draft(question="How many stores?", language="en", raw="150 [1].", text="150 [1].", citations=(CITATION,))
    draft = Draft(**{**draft.__dict__, "passages": (PASSAGE,), "articles": {"ford": ARTICLE}, "confidence": 0.31})
    assert finished(draft) == draft  # the default threshold, 0, refuses nothing
    strict = Draft(**{**draft.__dict__, "min_confidence": 0.4})
    assert finished(strict) == Failure("low_confidence", "0.31 < 0.40")


def test_an_answer_the_model_itself_gives_a_low_probability_is_refused_and_one_without_any_is_not():
    from rag.answer.confidence import answer_probability
    from rag.backends import Piece

    sure = [Piece("Zwei", -0.05), Piece(" Parks", -0.1), Piece(" [", -0.01), Piece("1", 0.0), Piece("]", 0.0)]
    unsure = [Piece("Drei", -2.2), Piece(" Parks", -0.6), Piece(" [", -0.01), Piece("1", 0.0), Piece("]", 0.0)]
    assert answer_probability(sure) == pytest.approx(0.9048, abs=1e-4)  # e^-0.1: the least likely before the marker
    assert answer_probability(unsure) == pytest.approx(0.1108, abs=1e-4)
    assert answer_probability(["Zwei Parks [1]"]) is None  # a backend without log-probabilities

    def refused(probability):
        answer = "About 150 stores [1]."
        draft = Draft(
            question="How many stores does Xiaomi plan in the UK?",
            language="en",
            raw=answer,
            text=answer,
            citations=(CITATION,),
            passages=(PASSAGE,),
            articles={"ford": ARTICLE},
            asked=asked_kind("How many stores?"),
            probability=probability,
            min_probability=0.08,
        )
        found = finished(draft)
        return (found.reason, found.detail) if isinstance(found, Failure) else None

    assert refused(0.06) == ("unlikely_answer", "the model gave a word of its answer a probability of 6.0%, under 8%")
    assert refused(0.09) is None and refused(None) is None
