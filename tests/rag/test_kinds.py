"""The kind of answer a question asks for, the kind an answer's figures give (rag.answer.kinds),
on made-up sentences in both languages."""

import pytest

from rag.answer.kinds import asked_kind, given_kinds, mismatch, only_a_time
from rag.answer.quantities import quantities


def asks_for_money(question: str) -> bool:
    return asked_kind(question).kind == "money"


def names_money(text: str) -> bool:
    return "money" in given_kinds(text, "")


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
        "Wie hoch fiel das Betriebsergebnis der Tiroler Seilbahnwerke Holding 2018 aus?",
        "What operating result did Ostalb Wärme report for 2018?",
        "How large a loss did Brandvik's truck business make in 2007?",
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
        "What first-leg result did Dunmore defend in Kestwick?",  # a score, not an operating result
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


@pytest.mark.parametrize("text", ["61 Millionen Smartphones", "25.5 percent", "in 2019 dollarization"])
def test_other_figures_are_not_money(text):
    assert not names_money(text)


@pytest.mark.parametrize(
    "question, claims",
    [
        ("Von welchem Flugplatz flogen die Segelflieger nach Ungarn?", "Am Montag "),
        ("Where did the gliders land?", "On Monday, 24 August "),
        ("Who won the race?", "Last weekend."),
    ],
)
def test_a_time_alone_does_not_answer_a_question_for_something_else(question, claims):
    assert only_a_time(question, claims)


@pytest.mark.parametrize(
    "question, claims",
    [
        ("When did the gliders land?", "On Monday "),
        ("In welchem Jahr stieg Brandvik ein?", "1974 "),
        ("Where did the gliders land?", "In Ostermoor on Monday "),
        ("How many stores will open?", "150 "),  # a number is no time
        ("Who won the race?", "The "),
    ],
)
def test_a_time_asked_for_or_a_claim_with_more_passes(question, claims):
    assert not only_a_time(question, claims)


@pytest.mark.parametrize(
    "question, kind, measures",
    [
        ("What share of the voters in Ostermoor turned out?", "share", ()),
        ("Wie hoch ist der Anteil der Frauen im Vorstand?", "share", ()),
        ("How many percent of the flats are empty?", "share", ()),
        ("Wie viel kostete der Umbau des Rathauses?", "money", ()),
        ("When did the ferry to Kestwick start?", "date", ()),
        ("In welchem Jahr wurde die Brücke eröffnet?", "date", ()),
        ("Wie lang wird die neue Brücke über die Ems?", "measure", ("length",)),
        ("How fast can the new tram go?", "measure", ("speed",)),
        ("How far is the airfield from the town, in miles?", "measure", ("length",)),
        ("How much power does the plant deliver in megawatts?", "measure", ("power",)),
        ("How long did the strike at the port last?", "measure", ("duration",)),
        ("How many flats will the cooperative build?", "count", ()),
        ("Wie viele Wohnungen baut die Genossenschaft?", "count", ()),
        ("Who coaches the Dunmore club?", "person", ()),
        ("How high is the damage after the storm?", "", ()),  # damage: money or a level, it cannot tell
        ("By how much did the revenue grow?", "", ()),  # a change: money or a percentage
        ("How many people came to the fair in 2019?", "count", ()),  # "in 2019" is no unit
        ("What gross margin did the EV segment reach?", "share", ()),  # "EV" is no electronvolt
    ],
)
def test_the_kind_a_question_asks_for(question, kind, measures):
    asked = asked_kind(question)
    assert (asked.kind, tuple(sorted(asked.measures))) == (kind, measures)


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("Die Brücke wird 2019 eröffnet und 350 Meter lang.", ["year", "length"]),
        ("Der Umbau kostete 35 Millionen Euro, 35 Prozent mehr als geplant.", ["money", "share"]),
        ("£4.6m was paid to 120 staff", ["money", "count"]),
        ("It rose by 3.5 per cent to 1.2 million voters", ["share", "count"]),
        ("Die Tram fährt mit 80 km/h in 14 Tagen 2,5 Gigawattstunden", ["speed", "duration", "energy"]),
        ("USD 5 bn and 7 Mio. EUR and 2000 Menschen", ["money", "money", "count"]),
        ("It sold 2019 cars in March 2015", ["count", "year"]),
        ("The KX-40 jets", []),  # part of a name
    ],
)
def test_what_a_figure_measures(text, kinds):
    assert [quantity.kind for quantity in quantities(text)] == kinds


@pytest.mark.parametrize(
    "question, claims, quote, why",
    [
        ("What share of the voters turned out?", "1.2 million", "Rund 1,2 Millionen Wähler, 64 Prozent", "a share"),
        ("How many flats will the cooperative build?", "120 million euros", "", "a count asked, a sum of money"),
        ("Wie lang wird die neue Brücke?", "2019", "Die Brücke soll 2019 fertig sein.", "a length asked, a year"),
        ("Wie teuer war der Umbau?", "35 Prozent", "", "a sum of money asked, a share"),
        ("How fast can the tram go, in km/h?", "300 kilometres", "", "a speed asked, a length"),
        ("When did the bridge open?", "350 metres", "", "a date asked, a length"),
        ("How long did the strike last?", "12 percent", "", "a duration asked, a share"),
        (
            "What is the cooperative's revenue?",
            "12",
            "Der Umsatz stieg um 12 Prozent.",
            "a share given",
        ),  # from the quote
    ],
)
def test_a_figure_of_another_kind_is_a_mismatch(question, claims, quote, why):
    assert why in mismatch(asked_kind(question), claims, quote)


@pytest.mark.parametrize(
    "question, claims, quote",
    [
        ("What share of the voters turned out?", "64 percent", ""),
        ("What share of the voters turned out?", "Two thirds", ""),
        ("Wie viel Prozent der Wohnungen stehen leer?", "Jede dritte", ""),
        ("How many flats will the cooperative build?", "300", "Sie baut 300 Wohnungen für 120 Millionen Euro."),
        ("Wie lang wird die neue Brücke?", "350 Meter", ""),
        ("Wie teuer war der Umbau?", "35 Millionen", "Der Umbau kostete 35 Millionen Euro."),
        ("When did the bridge open?", "In 2019", ""),
        ("How long did the strike last?", "14 days", ""),
        ("How many years did the rebuild take?", "Five years", ""),
        ("How high is the damage?", "2 million euros", ""),
        ("Who coaches the club?", "Hans Meier", ""),
    ],
)
def test_a_figure_of_the_asked_kind_or_one_it_cannot_tell_passes(question, claims, quote):
    assert mismatch(asked_kind(question), claims, quote) == ""


def test_a_money_level_after_a_change_is_still_money_and_a_score_is_one_clause():
    assert asks_for_money("To what level did the cooperative's net profit fall in 2015?")
    assert not asks_for_money("By how much did the cooperative's net profit fall?")
    from rag.answer.clauses import clauses

    assert clauses("Im Rückspiel verteidigt Dunmore ein 1:0 bei Kestwick United.") == [
        "Im Rückspiel verteidigt Dunmore ein 1:0 bei Kestwick United."
    ]
