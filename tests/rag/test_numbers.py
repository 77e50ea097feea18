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


@pytest.mark.parametrize(
    "text, value",
    [
        ("Sechs Millionen Euro", 6_000_000),
        ("zwei Milliarden Dollar", 2_000_000_000),
        ("a dozen stores", 12),
        ("ein Dutzend Filialen", 12),
        ("twenty-five years", 25),
        ("fünfundzwanzig Jahre", 25),
        ("hundert Mitarbeiter", 100),
        ("3,36bn euros", 3_360_000_000),
        ("£4.6m deal", 4_600_000),
        ("2,5 Mrd. Euro", 2_500_000_000),
        ("412,6 Mio. Euro", 412_600_000),
        ("$3bn (2.74bn euros; £2.36bn)", 2_360_000_000),
        ("20k fans", 20_000),
        ("half a million viewers", 500_000),
        ("eine halbe Million Besucher", 500_000),
        ("eine Billion Euro", 1_000_000_000_000),  # German: a thousand milliards ...
        ("one billion euros", 1_000_000_000),  # ... English: a milliard
        ("25,5 %", 25.5),
        ("3 ‰ der Stimmen", 3),
        ("17 Prozent", 17),
        ("zwischen 10 und 12", 12),
        ("10-12 Prozent", 10),
        ("zehn bis zwölf", 12),
    ],
)
def test_numbers_in_words_scales_abbreviations_percent_and_ranges(text, value):
    assert value in numbers_in(text)


def test_a_unit_suffix_is_no_scale_and_a_spaced_m_is_metres():
    assert 412 in numbers_in("the 412m tall mast") and 5 in numbers_in("5 m")
    assert 5_000_000 not in numbers_in("5 m") and 5_000 not in numbers_in("5 km")
    from rag.numbers import unsupported_numbers

    assert unsupported_numbers("412m", "the 412 metres tall mast") == []  # "m" may be metres
    assert unsupported_numbers("£4.6bn", "a £4.6m deal") == ["4.6"]  # a billion is never a million
