from index.language import detect_language


def test_a_short_german_question_that_shares_in_with_english_is_german():
    assert detect_language("Verkauft Xiaomi aktuell Produkte in den Vereinigten Staaten?") == "de"
    assert detect_language("Does Xiaomi currently sell its products in the United States?") == "en"
    assert detect_language("Wer hat den Online-Shop angekündigt?") == "de"
