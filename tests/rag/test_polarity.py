"""A yes that its cited sentence denies is answered no."""

from rag.polarity import denied_yes_answered
from rag.types import Citation

DENIES = Citation(1, "ford", "T", "Xiaomi verkauft seine Produkte nicht in den Vereinigten Staaten.", 0, 10)
SHOP = Citation(2, "usa", "T", "Xiaomi werde dafür einen Online-Shop in den USA eröffnen.", 0, 10)
NOT_ONLY = Citation(3, "x", "T", "Xiaomi verkauft nicht nur Telefone, sondern auch Autos.", 0, 10)
QUESTION = "Does Xiaomi currently sell its products in the United States?"


def test_a_yes_against_a_denying_sentence_becomes_no_with_its_marker():
    assert denied_yes_answered("Yes [1].", QUESTION, "en", [DENIES]) == "No [1]."
    german = "Verkauft Xiaomi aktuell Produkte in den Vereinigten Staaten?"
    assert denied_yes_answered("Ja, Xiaomi verkauft dort [1].", german, "de", [DENIES]) == "Nein [1]."


def test_a_yes_that_its_sentence_supports_or_a_no_stays():
    assert (
        denied_yes_answered("Yes, an online shop opens [2].", QUESTION, "en", [SHOP])
        == "Yes, an online shop opens [2]."
    )
    assert denied_yes_answered("No, it does not [1].", QUESTION, "en", [DENIES]) == "No, it does not [1]."
    assert denied_yes_answered("Yes [3].", "Does Xiaomi sell cars?", "en", [NOT_ONLY]) == "Yes [3]."  # "not only"
    assert denied_yes_answered("Yes [1] [2].", QUESTION, "en", [DENIES, SHOP]) == "Yes [1] [2]."  # one sentence agrees


def test_each_paragraph_is_read_on_its_own_and_other_questions_are_left_alone():
    text = "No, it sells nothing there [1].\n\nYes [2]."
    assert denied_yes_answered("Yes [1].\n\nYes [2].", QUESTION, "en", [DENIES, SHOP]) == "No [1].\n\nYes [2]."
    assert denied_yes_answered(text, QUESTION, "en", [DENIES, SHOP]) == text
    assert denied_yes_answered("Yes [1].", "Who sells products in the US?", "en", [DENIES]) == "Yes [1]."
    assert denied_yes_answered("Yes [1].", "Does Xiaomi not sell in the US?", "en", [DENIES]) == "Yes [1]."


def test_a_bare_no_or_ja_with_its_marker_is_an_answer():
    from rag.citations import has_words

    assert has_words("No [1].") and has_words("Ja [2].") and not has_words("[1].")
