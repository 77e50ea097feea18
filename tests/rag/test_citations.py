from index import Article
from rag.citations import is_verbatim, resolve
from rag.types import Passage

TEXT = (
    "150 neue Stores für Großbritannien\n"
    "Innerhalb der nächsten vier Jahre plant Xiaomi die Eröffnung von rund 150 neuen Stores auf dem britischen Markt. "
    "Das Unternehmen erwirtschaftete dort etwa 1 Milliarde Yuan Umsatz.\n"
    "Im dritten Quartal 2025 lieferte der Konzern 108.796 Elektrofahrzeuge aus."
)
ARTICLE = Article(id="ford", title="Ford-Gerücht", text=TEXT)
SPLIT = TEXT.index("Im dritten")
PASSAGES = [
    Passage(1, "ford", "Ford-Gerücht", TEXT[:SPLIT].strip(), 0, SPLIT - 1, 0.7),
    Passage(2, "ford", "Ford-Gerücht", TEXT[SPLIT:], SPLIT, len(TEXT), 0.5),
]


def test_a_marker_resolves_to_the_sentence_that_carries_the_claim():
    result = resolve("Xiaomi plans about 150 new stores in the UK [1].", PASSAGES, {"ford": ARTICLE})
    [citation] = result.citations
    assert citation.quote.startswith("Innerhalb der nächsten vier Jahre")  # not the heading, which also says 150
    assert is_verbatim(citation, TEXT)
    assert result.text == "Xiaomi plans about 150 new stores in the UK [1]."


def test_citations_are_renumbered_in_order_of_first_use_and_invented_markers_dropped():
    answer = "It delivered 108,796 EVs [2]. It plans 150 stores [1][7]."
    result = resolve(answer, PASSAGES, {"ford": ARTICLE})
    assert [c.number for c in result.citations] == [1, 2]
    assert "108.796" in result.citations[0].quote and "150 neuen" in result.citations[1].quote
    assert result.text == "It delivered 108,796 EVs [1]. It plans 150 stores [2]."


def test_a_marker_after_the_full_stop_cites_the_sentence_before():
    result = resolve("Revenue was 1 billion yuan. [1]", PASSAGES, {"ford": ARTICLE})
    assert "1 Milliarde Yuan" in result.citations[0].quote
    assert result.uncited_claims == ()


def test_claims_without_a_valid_marker_are_reported():
    result = resolve("Lin Bin is the CEO. He founded it [9].", PASSAGES, {"ford": ARTICLE})
    assert result.citations == ()
    assert result.uncited_claims == ("Lin Bin is the CEO.", "He founded it.")


def test_a_similarity_function_breaks_ties_across_languages():
    def prefers_revenue(claim, sentences):
        return [1.0 if "Umsatz" in s else 0.0 for s in sentences]

    result = resolve("That is what it earned [1].", PASSAGES, {"ford": ARTICLE}, similarity=prefers_revenue)
    assert "Umsatz" in result.citations[0].quote


def test_a_quote_that_is_not_in_the_article_is_not_verbatim():
    [citation] = resolve("150 stores [1]", PASSAGES, {"ford": ARTICLE}).citations
    assert not is_verbatim(citation, TEXT.replace("150 neuen", "151 neuen"))


def test_an_unmarked_claim_is_cited_by_the_sentence_holding_all_its_numbers():
    result = resolve("Xiaomi plans 150 new stores. It delivered 108,796 EVs.", PASSAGES, {"ford": ARTICLE})
    assert result.text == "Xiaomi plans 150 new stores [1]. It delivered 108,796 EVs [2]."
    assert "150 neuen Stores" in result.citations[0].quote and "108.796" in result.citations[1].quote
    assert result.uncited_claims == ()


def test_an_unmarked_claim_whose_numbers_no_sentence_holds_stays_uncited():
    result = resolve("Xiaomi plans 150 stores in 9 countries.", PASSAGES, {"ford": ARTICLE})
    assert result.citations == () and result.uncited_claims == ("Xiaomi plans 150 stores in 9 countries.",)
    assert resolve("Lin Bin is the CEO.", PASSAGES, {"ford": ARTICLE}).citations == ()


def test_a_marker_on_a_passage_that_does_not_support_the_claim_moves_to_one_that_does():
    other = Passage(3, "usa", "USA", "Lin Bin sprach in San Francisco.", 0, 32, 0.4)
    usa = Article(id="usa", title="USA", text="Lin Bin sprach in San Francisco.")
    result = resolve("Xiaomi delivered 108,796 EVs [3].", [*PASSAGES, other], {"ford": ARTICLE, "usa": usa})
    assert result.citations[0].article_id == "ford" and "108.796" in result.citations[0].quote
    # a marker on a passage that does share the claim's words stays where the model put it
    kept = resolve("Lin Bin spoke in San Francisco [3].", [*PASSAGES, other], {"ford": ARTICLE, "usa": usa})
    assert kept.citations[0].article_id == "usa"


def test_a_marker_on_a_sentence_without_the_claims_number_moves_to_the_one_that_holds_it():
    result = resolve("Xiaomi delivered 108,796 EVs [1].", PASSAGES, {"ford": ARTICLE})
    assert "108.796" in result.citations[0].quote  # passage 1 shares "Xiaomi", but not the number


def test_a_marker_on_a_heading_moves_to_the_sentence_under_it_that_says_as_much():
    heading_end = TEXT.index("\n")
    sentence_start = heading_end + 1
    sentence_end = TEXT.index(". Das") + 1
    passages = [
        Passage(1, "ford", "Ford-Gerücht", TEXT[:heading_end], 0, heading_end, 0.7),
        Passage(2, "ford", "Ford-Gerücht", TEXT[sentence_start:sentence_end], sentence_start, sentence_end, 0.6),
    ]
    [citation] = resolve("150 [1].", passages, {"ford": ARTICLE}).citations
    assert citation.quote.startswith("Innerhalb der nächsten vier Jahre")


def test_a_heading_keeps_its_marker_when_the_sentence_under_it_says_something_else():
    text = "Kein Börsengang geplant\nXiaomi wolle das Geld mit Online-Diensten verdienen."
    article = Article(id="usa", title="Shop", text=text)
    cut = text.index("\n")
    passages = [
        Passage(1, "usa", "Shop", text[:cut], 0, cut, 0.7),
        Passage(2, "usa", "Shop", text[cut + 1 :], cut + 1, len(text), 0.6),
    ]
    [citation] = resolve("Kein Börsengang [1].", passages, {"usa": article}).citations
    assert citation.quote == "Kein Börsengang geplant"
