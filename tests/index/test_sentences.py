from index.sentences import sentence_spans, sentences
from tests.conftest import SAMPLE_ARTICLES


def test_german_ordinals_and_dates_do_not_end_a_sentence():
    text = "Das IoT-Ökosystem überschritt zum 30. September 2025 die Marke. Neue Analyse vom 02. Februar liefert sie."
    assert sentences(text) == [
        "Das IoT-Ökosystem überschritt zum 30. September 2025 die Marke.",
        "Neue Analyse vom 02. Februar liefert sie.",
    ]


def test_abbreviations_do_not_end_a_sentence():
    assert sentences("Er kaufte z.B. Ohrhörer. Dr. Lin sprach.") == ["Er kaufte z.B. Ohrhörer.", "Dr. Lin sprach."]


def test_lines_are_sentences_and_closing_quotes_stay_with_their_sentence():
    text = 'Heading\nHe said: "It is false." Then he left!\n- a list item'
    assert sentences(text) == ["Heading", 'He said: "It is false."', "Then he left!", "- a list item"]


def test_spans_cover_the_text_without_whitespace_at_their_edges():
    text = (SAMPLE_ARTICLES / "xiaomi-zubehoer-usa.txt").read_text(encoding="utf-8")
    spans = sentence_spans(text)
    assert len(spans) > 15
    for (start, end), (next_start, _) in zip(spans, spans[1:] + [(len(text), 0)]):
        assert text[start:end] == text[start:end].strip()
        assert text[end:next_start].strip() == ""


def test_empty_text_has_no_sentences():
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n ") == []
