"""A day and month in an answer gets the year its cited sentence gives it."""

import pytest

from rag.dates import with_years

AGREED = "Einigung auf einen neuen Takt für 38 Buslinien am 12. September 2014 – Landrätin Oberhuber zufrieden."
RESULTS = "Xiaomi will publish its results on March 24, 2026, the company said on 2 February."


@pytest.mark.parametrize(
    "claim, quote, expected",
    [
        ("12 September ", AGREED, "12 September 2014 "),
        ("Am 12. September ", AGREED, "Am 12. September 2014 "),
        ("On September 12th", AGREED, "On September 12th, 2014"),
        ("Am 24. März", RESULTS, "Am 24. März 2026"),  # across languages
        ("24 Mar.", RESULTS, "24 Mar. 2026"),
    ],
)
def test_the_quoted_year_is_added(claim, quote, expected):
    assert with_years(claim, quote) == expected


@pytest.mark.parametrize(
    "claim, quote",
    [
        ("12 September 2014", AGREED),  # has its year
        ("On 13 September", AGREED),  # another day
        ("On 2 February", RESULTS),  # the quote gives that day no year
        ("150 Mai-Filialen", RESULTS),  # a number, not a day
    ],
)
def test_a_claim_with_its_year_or_without_a_matching_day_stays(claim, quote):
    assert with_years(claim, quote) == claim
