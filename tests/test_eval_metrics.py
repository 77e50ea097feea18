import pytest

from eval import contains_any, number_matches


@pytest.mark.parametrize(
    "answer, passes",
    [
        ("About 150 new stores [1]", True),
        ("rund 150 neue Stores", True),
        ("some 140 stores", True),
        ("166 stores", False),
        ("one hundred and fifty", False),
        ("The articles don't say.", False),
    ],
)
def test_number_within_tolerance(answer, passes):
    assert number_matches(answer, 150, 0.1) is passes


def test_exact_numbers_in_both_notations():
    assert number_matches("108,796 vehicles", 108796)
    assert number_matches("108.796 Elektrofahrzeuge", 108796)
    assert number_matches("25,5 Prozent", 25.5) and not number_matches("25 percent", 25.5)


def test_text_matching_ignores_case_accents_and_spacing():
    assert contains_any("Co-founder  LIN bin said", ["Lin Bin"])
    assert contains_any("in Grossbritannien", ["Großbritannien"])
    assert not contains_any("Lei Jun", ["Lin Bin"])
