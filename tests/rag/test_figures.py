"""Which of a sentence's figures the question asks for: a change or a level, an old or a new value, a unit."""

import pytest

from rag.figures import asked_unit, repaired
from rag.types import Citation

STAFF = "Die Belegschaft der Molkerei Hollerbach ist 2019 um 37 Personen auf 1415 geschrumpft."
EBITDA = "Die Reederei Halvorsen erwartet ein Plus von 412,6 Mio. Euro im Jahr davor auf etwa 468 Mio. Euro."
ENERGY = "Die Stromerzeugung der Talsperre Grauach wuchs um 4,2 Prozent auf 13.604 Gigawattstunden."
DEAL = "Der Verlag habe eine 64 Millionen Pfund (83 Millionen Euro) schwere Lizenz erworben."
TOLL = "The cap on what hauliers pay for the Kellmoor bridge toll each year will go from £14,500 to £16,250 in June."
INVEST = "Mit Ausgaben von 215 Millionen Euro soll bis 2028 der Anteil der Elektrobusse auf 60 Prozent steigen."


def fix(answer, question, quote):
    return repaired(answer, question, [Citation(1, "a", "T", quote, 0, len(quote))])


@pytest.mark.parametrize(
    "answer, question, quote, expected",
    [
        ("37 [1].", "To how many employees did the workforce shrink?", STAFF, "1415 [1]."),
        ("1415 [1].", "By how many people did the workforce shrink?", STAFF, "37 [1]."),
        ("412.6 Mio. Euro [1].", "What EBITDA does the company expect?", EBITDA, "468 Mio. Euro [1]."),
        ("4,2 Prozent [1].", "Auf wie viele Gigawattstunden wuchs sie?", ENERGY, "13.604 Gigawattstunden [1]."),
        ("83 million pounds [1].", "How much is the licence worth in British pounds?", DEAL, "64 million pounds [1]."),
        ("£14,500 [1].", "To what level will the cap rise?", TOLL, "£16,250 [1]."),
    ],
)
def test_the_figure_the_question_asks_for_replaces_its_neighbour(answer, question, quote, expected):
    assert fix(answer, question, quote) == expected


@pytest.mark.parametrize(
    "answer, question, quote",
    [
        ("412.6 Mio. Euro [1].", "What EBITDA did the company report the previous year?", EBITDA),
        ("4,2 Prozent [1].", "Um wie viel Prozent ist die Erzeugung gewachsen?", ENERGY),
        ("215 Millionen Euro [1].", "Wie viel will die Stadt bis 2028 ausgeben?", INVEST),  # no "auf" right after
        ("83 million euros [1].", "How much is the licence worth?", DEAL),  # no unit asked: the model's choice stands
    ],
)
def test_a_figure_that_fits_the_question_or_no_rule_stays(answer, question, quote):
    assert fix(answer, question, quote) == answer


def test_only_one_named_unit_counts():
    assert asked_unit("How much is the licence worth in British pounds?") == "pound"
    assert asked_unit("How many euros, or dollars?") is None and asked_unit("Who won?") is None


def test_a_cited_day_and_month_get_their_year():
    quote = "Einigung auf einen neuen Takt für 38 Buslinien am 12. September 2014."
    assert fix("12 September [1].", "On what date was it agreed?", quote) == "12 September 2014 [1]."
