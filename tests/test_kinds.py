import pytest

from rag.answer_type import asks_for_money, names_money, only_a_time


@pytest.mark.parametrize(
    "question",
    [
        "How much revenue did Xiaomi make in the UK last year?",
        "At what total valuation did Xiaomi reportedly raise money from investors?",
        "What was Xiaomi's share price at the end of January?",
        "How much does the Mi Note cost?",
        "Wie hoch war der Umsatz von Xiaomi in Deutschland?",
        "Was kostet das Mi Note?",
        "Wie teuer ist das Mi Note?",
        "Wie hoch war das Betriebsergebnis der Wiener Stadtwerke Holding im Jahr 2015?",
        "What operating result did Wien Energie report for 2015?",
        "How large a loss did Fiat's car business make in 2004?",
        "Wie hoch war der Konzerngewinn?",
    ],
)
def test_questions_for_a_sum_of_money(question):
    assert asks_for_money(question)


@pytest.mark.parametrize(
    "question",
    [
        "Which bank cut its revenue and profit forecasts for Xiaomi for 2026 and 2027?",  # asks for a bank
        "Welche Bank senkte die Umsatzprognose?",
        "What gross margin did Xiaomi's EV segment reach?",  # a share
        "By how much did revenue grow?",  # a change: a percentage is an answer
        "How does Xiaomi want to make its money?",
        "How many stores does Xiaomi plan to open in the UK?",
        "What first-leg result did Benfica defend in St. Petersburg?",  # a score, not an operating result
        "Wie lautete das Endergebnis?",
    ],
)
def test_questions_for_something_else(question):
    assert not asks_for_money(question)


@pytest.mark.parametrize(
    "text",
    ["144 million US dollars", "Umsatz von 144 Millionen US-Dollar", "46 Millionen Dollar", "$5", "3 Euro", "€ 20"],
)
def test_currencies_are_seen(text):
    assert names_money(text)


@pytest.mark.parametrize("text", ["61 Millionen Smartphones", "25.5 percent", "dollarization"])
def test_other_figures_are_not_money(text):
    assert not names_money(text)


@pytest.mark.parametrize(
    "question, claims",
    [
        ("Von welchem Stützpunkt flogen die Jets nach Polen?", "Am Montag "),
        ("Where did the jets land?", "On Monday, 24 August "),
        ("Who won the race?", "Last weekend."),
    ],
)
def test_a_time_alone_does_not_answer_a_question_for_something_else(question, claims):
    assert only_a_time(question, claims)


@pytest.mark.parametrize(
    "question, claims",
    [
        ("When did the jets land?", "On Monday "),
        ("In welchem Jahr stieg Fiat ein?", "1969 "),
        ("Where did the jets land?", "In Łask on Monday "),
        ("How many stores will open?", "150 "),  # a number is no time
        ("Who won the race?", "The "),
    ],
)
def test_a_time_asked_for_or_a_claim_with_more_passes(question, claims):
    assert not only_a_time(question, claims)
