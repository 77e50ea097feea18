"""Whose figure it is, and datelines (rag.answer.entities), on made-up sentences in both languages."""

from rag.answer.entities import figure_of_another, only_a_dateline
from rag.types import Citation


def cited(quote: str) -> tuple[Citation, ...]:
    return (Citation(1, "a", "A", quote, 0, len(quote)),)


def test_a_figure_in_a_clause_about_another_entity_is_not_the_asked_ones():
    english = "Graz has ordered 40 trams, and Linz is also interested."
    assert "Graz" in figure_of_another("How many trams has Linz ordered?", "en", "40", cited(english), {})
    german = "Die Halle wurde von der Stadt, dem Land und mit zwölf Prozent auch von der Firma Kestwick Bau bezahlt."
    question = "What share of the Ostermoor hall did the European Union pay?"
    assert "Kestwick Bau" in figure_of_another(question, "en", "12 percent", cited(german), {"a": "de"})


def test_a_clause_about_the_asked_entity_or_about_nothing_named_passes():
    english = "Linz has ordered 40 trams, and Graz is also interested."
    assert figure_of_another("How many trams has Linz ordered?", "en", "40", cited(english), {}) == ""
    pronoun = "Linz wants new trams; it has ordered 40 of them."
    assert figure_of_another("How many trams has Linz ordered?", "en", "40", cited(pronoun), {}) == ""
    assert figure_of_another("How many trams were ordered?", "en", "40", cited(english), {}) == ""  # no name asked
    assert figure_of_another("Who ordered trams in Linz?", "en", "Graz", cited(english), {}) == ""  # no figure


def test_an_answer_that_is_only_the_dateline_answers_nothing():
    quote = "Hamburg/Kiel – Auf einem Flugplatz nahe der Küste sind am Montag zwei Segelflieger gelandet."
    assert only_a_dateline("In Hamburg/Kiel ", cited(quote))
    assert only_a_dateline("Hamburg ", cited(quote))
    assert not only_a_dateline("On an airfield near the coast ", cited(quote))
    assert not only_a_dateline("Hamburg ", cited("In Hamburg landeten am Montag zwei Segelflieger."))
