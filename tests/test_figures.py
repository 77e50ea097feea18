"""Which of a sentence's figures the question asks for: a change or a level, an old or a new value, a unit."""

import pytest

from rag.figures import asked_unit, repaired
from rag.types import Citation

STAFF = "Die Zahl der Mitarbeiter hat sich 2015 um 51 Personen auf 2680 verringert."
EBITDA = "Das Unternehmen rechnet mit einem Anstieg von 771,2 Mio. Euro im Vorjahr auf rund 850 Mio. Euro."
ENERGY = "Der Energieabsatz ist um 3,5 Prozent auf 21.758 Gigawattstunden gestiegen."
DEAL = "Sie habe einen 90 Millionen Pfund (117 Millionen Euro) schweren Vertrag unterzeichnet."
TAX = "The level where people start paying inheritance tax will also rise from £263,000 to £275,000 from April."
INVEST = "Mit Investitionen von 870 Millionen Euro soll bis 2020 der Anteil Erneuerbarer auf 40 Prozent steigen."


def fix(answer, question, quote):
    return repaired(answer, question, [Citation(1, "a", "T", quote, 0, len(quote))])


@pytest.mark.parametrize(
    "answer, question, quote, expected",
    [
        ("51 [1].", "To how many employees did the workforce shrink?", STAFF, "2680 [1]."),
        ("2680 [1].", "By how many people did the workforce shrink?", STAFF, "51 [1]."),
        ("771.2 Mio. Euro [1].", "What EBITDA does the company expect?", EBITDA, "850 Mio. Euro [1]."),
        ("3,5 Prozent [1].", "Auf wie viele Gigawattstunden stieg der Absatz?", ENERGY, "21.758 Gigawattstunden [1]."),
        ("117 million pounds [1].", "How much is the deal worth in British pounds?", DEAL, "90 million pounds [1]."),
        ("£263,000 [1].", "To what level will the threshold rise?", TAX, "£275,000 [1]."),
    ],
)
def test_the_figure_the_question_asks_for_replaces_its_neighbour(answer, question, quote, expected):
    assert fix(answer, question, quote) == expected


@pytest.mark.parametrize(
    "answer, question, quote",
    [
        ("771.2 Mio. Euro [1].", "What EBITDA did the company report the previous year?", EBITDA),
        ("3,5 Prozent [1].", "Um wie viel Prozent ist der Absatz gestiegen?", ENERGY),
        ("870 Millionen Euro [1].", "Wie viel will Wien Energie bis 2020 investieren?", INVEST),  # no "auf" right after
        ("117 million euros [1].", "How much is the deal worth?", DEAL),  # no unit asked: the model's choice stands
    ],
)
def test_a_figure_that_fits_the_question_or_no_rule_stays(answer, question, quote):
    assert fix(answer, question, quote) == answer


def test_only_one_named_unit_counts():
    assert asked_unit("How much is the deal worth in British pounds?") == "pound"
    assert asked_unit("How many euros, or dollars?") is None and asked_unit("Who won?") is None


def test_a_cited_day_and_month_get_their_year():
    quote = "Einigung auf zweisprachige Tafeln in 164 Orten am 26. April 2011."
    assert fix("26 April [1].", "On what date was it agreed?", quote) == "26 April 2011 [1]."
