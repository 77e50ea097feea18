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


def test_scale_words_add_the_scaled_value():
    assert {61.0, 61_000_000.0} <= numbers_in("61 Millionen Smartphones")
    assert 1_500_000_000.0 in numbers_in("1,5 Milliarden Euro") and 1_500_000_000.0 in numbers_in("1.5 billion")
    assert 46_000_000.0 in numbers_in("46 million dollars") and 2_000.0 in numbers_in("2 thousand")
    assert 100_000_000.0 in numbers_in("mehr als 100 Mio. Geräte")
    assert numbers_in("the millionth visitor") == set()


def test_answers_use_the_notation_of_their_language():
    from rag.numbers import localize

    source = "lieferte der Konzern 108.796 Elektrofahrzeuge aus. Die Marge erreichte 25,5 Prozent."
    assert localize("It delivered 108.796 EVs at a 25,5% margin.", "en", source) == (
        "It delivered 108,796 EVs at a 25.5% margin."
    )
    assert localize("Xiaomi lieferte 108,796 Fahrzeuge bei 25.5 Prozent.", "de", source) == (
        "Xiaomi lieferte 108.796 Fahrzeuge bei 25,5 Prozent."
    )
    assert localize("Version 2.025 of 1.500 units", "en", "") == "Version 2.025 of 1.500 units"  # unknown: untouched
    assert localize("In 2025, 150 stores [1].", "en", source) == "In 2025, 150 stores [1]."


def test_number_words_up_to_twelve_are_read_in_both_languages():
    assert {3.0, 5.0} <= numbers_in("in den nächsten drei bis fünf Jahren")
    assert 3.0 in numbers_in("auf den dritten Platz") and 3.0 in numbers_in("the third place")
    assert 4.0 in numbers_in("over the next four years")
    assert 1_000_000_000.0 in numbers_in("die Marke von einer Milliarde Geräten")
    assert 1_000_000_000.0 in numbers_in("one billion devices")


def test_a_thousands_group_ending_in_zero_is_never_a_decimal():
    assert readings("1,000") == {1000.0} and readings("2.500") == {2500.0}
    assert readings("1,05") == {1.05}


def test_numbers_the_evidence_does_not_hold_are_reported():
    from rag.numbers import unsupported_numbers

    evidence = "lieferte 108.796 Elektrofahrzeuge aus, etwa 1 Milliarde Yuan, in drei bis fünf Jahren"
    assert unsupported_numbers("108,796 EVs, 1 billion yuan, 3 to 5 years", evidence) == []
    assert unsupported_numbers("about 1,000 euros and 30.5 million", evidence) == ["1,000", "30.5"]
    assert unsupported_numbers("1 million yuan", evidence) == ["1"]  # the scale is part of the number
