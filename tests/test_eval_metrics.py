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


def test_punctuation_between_words_is_ignored_but_numbers_keep_theirs():
    assert contains_any("Am 24. März 2026 [1].", ["24 März"]) and contains_any("24. March 2026", ["24 March"])
    assert contains_any("lieferte 108.796 Fahrzeuge", ["108.796"]) and not contains_any("108.796", ["108 796"])


def test_citation_markers_are_not_part_of_the_answer():
    from eval.dataset import Expectation
    from eval.metrics import answer_matches

    assert not answer_matches("Goldman Sachs [3].", Expectation(any=("3",)))[0]
    assert not answer_matches("Xiaomi plans stores [150].", Expectation(number=150))[0]
    assert answer_matches("About 150 stores [1].", Expectation(number=150, tolerance=0.1))[0]


def test_token_f1_gives_partial_credit_like_squad():
    from eval.metrics import token_f1

    assert token_f1("Powiaty [1].", ["Landkreise oder Powiaty", "counties or powiats"]) == 0.5
    assert token_f1("The Australian Labor Party.", ["Australian Labor Party"]) == 1.0  # articles do not count
    assert token_f1("Goldman Sachs", ["Citigroup"]) == 0.0
    assert token_f1("", ["x"]) == 0.0
