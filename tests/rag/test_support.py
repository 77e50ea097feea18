"""Which sentences of a reply the passages support (rag.answer.support)."""

from rag.answer.support import is_supported, without_unsupported
from rag.types import Passage

STORES = (
    "Innerhalb der nächsten vier Jahre plant Xiaomi die Eröffnung von rund 150 neuen Stores auf dem britischen Markt."
)


def passage(text: str, number: int = 1) -> Passage:
    return Passage(number=number, article_id="a", title="Xiaomi", text=text, start=0, end=len(text), score=1.0)


def test_a_sentence_stands_on_a_number_or_on_half_its_words():
    assert is_supported("Rund 150 [1].", STORES, "de")
    assert is_supported("Xiaomi plant neue Stores auf dem britischen Markt [1].", STORES, "de")
    assert is_supported("Ja [1].", STORES, "de")  # nothing to check
    assert not is_supported("Morgen wird es sonnig und warm [2].", STORES, "de")


def test_across_languages_a_sentence_needs_one_of_its_names_or_none_at_all():
    assert is_supported("Over the next four years [1].", STORES, "en", same_language=False)
    assert is_supported("Xiaomi wants to grow in Britain [1].", STORES, "en", same_language=False)
    assert not is_supported("It is the capital of France [2].", STORES, "en", same_language=False)


def test_unsupported_sentences_are_cut_out_and_the_rest_kept_as_written():
    reply = "Rund 150 Stores [1]. Morgen wird es sonnig [2]. Über vier Jahre [1]."
    kept, dropped = without_unsupported(reply, [passage(STORES)], "de")
    assert kept == "Rund 150 Stores [1]. Über vier Jahre [1]."
    assert dropped == ["Morgen wird es sonnig."]
