from rag.second_look import CITED_GAP, REFUSAL_MIN_SCORE, focused_contexts, needs_second_look
from rag.types import Answer, Citation, Passage


def passage(number, score, start):
    return Passage(number, "a", "A", f"sentence {number}", start, start + 10, score)


PASSAGES = [passage(1, 0.30, 0), passage(2, 0.70, 20), passage(3, 0.65, 40)]


def answer(*, refused=False, cited_start=None):
    citations = () if cited_start is None else (Citation(1, "a", "A", "quote", cited_start, cited_start + 5),)
    return Answer("q", "text", citations, refused, "en")


def test_a_refusal_is_looked_at_again_only_when_a_passage_matches_the_question_closely():
    assert needs_second_look(answer(refused=True), PASSAGES)
    weak = [passage(1, REFUSAL_MIN_SCORE - 0.01, 0)]
    assert not needs_second_look(answer(refused=True), weak)
    assert not needs_second_look(answer(refused=True), [])


def test_an_answer_citing_a_sentence_far_below_the_best_is_looked_at_again():
    assert PASSAGES[1].score - PASSAGES[0].score >= CITED_GAP
    assert needs_second_look(answer(cited_start=0), PASSAGES)  # cites the 0.30 sentence; 0.70 is best
    assert not needs_second_look(answer(cited_start=40), PASSAGES)  # cites the 0.65 sentence
    assert not needs_second_look(answer(cited_start=20), PASSAGES)


def test_the_contexts_are_the_best_passage_then_the_best_two_in_reading_order_numbered_from_one():
    first, second = focused_contexts(PASSAGES)
    assert [(p.number, p.text) for p in first] == [(1, "sentence 2")]
    assert [(p.number, p.text) for p in second] == [(1, "sentence 2"), (2, "sentence 3")]
    assert focused_contexts(PASSAGES[:1]) == [[PASSAGES[0]]]
