"""Two parts, two answers (rag.answer.asks), on made-up questions in both languages."""

from rag.answer.asks import asks, note_unanswered, unanswered


def test_a_question_is_split_into_its_asks_at_and_before_a_question_word():
    assert asks("In which town did the ferry start, and who runs it?") == [
        "In which town did the ferry start",
        "who runs it?",
    ]
    assert asks("Wer leitet die Fähre und wann fuhr sie zum ersten Mal?") == [
        "Wer leitet die Fähre",
        "wann fuhr sie zum ersten Mal?",
    ]
    assert asks("How many ferries and buses run?") == ["How many ferries and buses run?"]


def test_an_ask_that_no_sentence_answers_is_named():
    question = "In which town did the ferry to Kestwick start, and who runs the ferry company?"
    half = "The ferry started in Ostermoor. The company runs the ferry."
    assert unanswered(question, "en", half, "") == ["who runs the ferry company?"]
    assert unanswered(question, "en", "The ferry started in Ostermoor. Hanna Lüdtke runs it.", "") == []
    german = "Wer leitet die Fähre nach Kestwick, und in welchem Jahr fuhr sie zum ersten Mal?"
    assert unanswered(german, "de", "Hanna Lüdtke leitet die Fähre.", "") == [
        "in welchem Jahr fuhr sie zum ersten Mal?"
    ]
    assert unanswered(german, "de", "Hanna Lüdtke, seit 1998.", "") == []
    assert unanswered("Who runs the ferry?", "en", "The company.", "") == []  # one ask: the other checks judge it


def test_the_note_says_which_part_the_articles_do_not_answer_in_the_questions_language():
    assert note_unanswered("Hanna Lüdtke [1].", ["wann fuhr sie?"], "de") == (
        "Hanna Lüdtke [1]. Dazu steht nichts in den Artikeln: wann fuhr sie?"
    )
    assert note_unanswered("In Ostermoor [1].", ["who runs it"], "en").endswith("this part: who runs it?")
