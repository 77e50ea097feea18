"""Actual or expected (rag.answer.status), on made-up sentences in both languages."""

from rag.answer.status import asks_actual, status_mismatch
from rag.types import Citation


def cited(quote: str) -> tuple[Citation, ...]:
    return (Citation(1, "a", "A", quote, 0, len(quote)),)


def test_a_question_in_the_past_without_plans_asks_what_happened():
    assert asks_actual("What did the museum in Ostermoor earn last year?")
    assert asks_actual("Wie viele Besucher hatte das Museum im Vorjahr?")
    assert not asks_actual("How many visitors does the museum expect next year?")
    assert not asks_actual("Wie viele Filialen plant die Bäckerei?")
    assert not asks_actual("How many flats does the cooperative build?")


def test_an_expected_figure_does_not_answer_what_happened():
    quote = "Der Direktor erwartet für das kommende Jahr Einnahmen von 2 Millionen Euro."
    assert status_mismatch("What did the museum earn last year?", "en", "2 million euros", cited(quote))
    english = "The director expects the museum to earn £2m next year."
    assert status_mismatch("What did the museum earn last year?", "en", "£2m", cited(english))


def test_an_actual_figure_or_a_question_about_plans_passes():
    actual = "Das Museum nahm im Vorjahr 1,5 Millionen Euro ein, für heuer erwartet der Direktor 2 Millionen."
    assert status_mismatch("What did the museum earn last year?", "en", "1.5 million euros", cited(actual)) == ""
    plan = "Die Bäckerei plant 40 neue Filialen."
    assert status_mismatch("How many branches does the bakery plan?", "en", "40", cited(plan)) == ""
    assert status_mismatch("How many branches did the bakery open?", "en", "40", ()) == ""


def test_reported_speech_is_no_plan_and_an_answer_without_figures_is_read_in_its_own_clause():
    reported = "Die Firma soll sich vor kurzem Geld zu einer Bewertung von 46 Millionen Euro besorgt haben."
    assert status_mismatch("At what valuation did the firm raise money?", "en", "46 million", cited(reported)) == ""
    two = "Die Fährlinie Kestwick Nord wurde im Herbst eingestellt, eine neue Linie soll im Frühjahr folgen."
    assert status_mismatch("Which ferry line was closed?", "en", "Kestwick Nord", cited(two)) == ""
    assert status_mismatch("Which ferry line was opened?", "en", "a new line", cited(two))  # "soll ... folgen": a plan
