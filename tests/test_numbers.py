import pytest

from rag.numbers import numbers_in, readings


@pytest.mark.parametrize(
    "token, values",
    [
        ("150", {150.0}),
        ("108.796", {108796.0, 108.796}),  # German thousands or English decimals: both kept
        ("108,796", {108796.0, 108.796}),
        ("25,5", {25.5}),
        ("25.5", {25.5}),
        ("1.234.567", {1234567.0}),
        ("1,234.5", {1234.5}),
        ("1.234,5", {1234.5}),
    ],
)
def test_readings_in_english_and_german_notation(token, values):
    assert readings(token) == values


def test_numbers_in_a_sentence():
    assert {150.0, 4.0} <= numbers_in("rund 150 neue Stores in 4 Jahren")
    assert 108796.0 in numbers_in("lieferte 108.796 Elektrofahrzeuge")
