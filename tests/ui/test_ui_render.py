"""What the chat shows: linked markers, source cards with the quote in its paragraph, escaping."""

from index.types import Article
from rag import Answer, Citation, Passage
from ui.render import answer_markdown, link_markers, paragraph_around, passages_html, sources_html

TEXT = "Title line\nFirst sentence. The quoted sentence here. Last one.\nAnother paragraph."
QUOTE = "The quoted sentence here."


def _answer(text="It is so [1].", *, refused=False, article_id="a", quote=QUOTE, title="Title") -> Answer:
    start = TEXT.find(quote)
    citation = Citation(
        1, article_id, title, quote, start, start + len(quote), "2025-11-03", "2025-11-03 (from the metadata)"
    )
    return Answer("q", text, () if refused else (citation,), refused, "en", timings={"total_s": 4.25})


def test_markers_become_links_to_their_source_cards_and_the_time_is_shown():
    shown = answer_markdown(_answer("About 150 [1], maybe [2]."))
    assert '<a class="aqa-cite" href="#aqa-source-1">[1]</a>' in shown
    assert 'href="#aqa-source-2"' in shown and "4.2 s" in shown


def test_a_refusal_looks_different_from_an_answer():
    shown = answer_markdown(_answer("The articles don't say.", refused=True))
    assert shown.startswith('<div class="aqa-refusal">') and "aqa-cite" not in shown
    assert "The articles don&#x27;t say." in shown
    closest = answer_markdown(_answer("The articles don't say. Closest in the articles: [1] [2]", refused=True))
    assert closest.startswith('<div class="aqa-refusal">') and 'href="#aqa-source-2">[2]</a>' in closest


def test_a_card_highlights_the_quote_in_its_paragraph_and_holds_the_whole_article():
    page = sources_html(_answer(), {"a": Article("a", "Title", TEXT)})
    paragraph = page.split('<p class="aqa-paragraph">')[1].split("</p>")[0]
    assert paragraph == f'First sentence. <mark class="aqa-quote">{QUOTE}</mark> Last one.'
    assert 'id="aqa-source-1"' in page and "2025-11-03 (from the metadata)" in page
    article = page.split('id="aqa-article-1" hidden>')[1]
    assert "Another paragraph." in article and f'<mark class="aqa-quote">{QUOTE}</mark>' in article
    assert 'data-source="1">Open article</button>' in page


def test_a_quote_that_no_longer_matches_its_article_is_shown_without_the_article():
    page = sources_html(_answer(), {"a": Article("a", "Title", "The article was changed since.")})
    assert f"<mark>{QUOTE}</mark>" in page and "Open article" not in page


def test_paragraph_bounds():
    start = TEXT.find(QUOTE)
    assert TEXT[slice(*paragraph_around(TEXT, start, start + len(QUOTE)))] == TEXT.splitlines()[1]
    assert paragraph_around("one line", 0, 3) == (0, 8)


def test_article_text_titles_and_model_output_are_escaped():
    evil = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
    text = f"Head\nBefore {evil} after."
    quote = f"Before {evil} after."
    citation = Citation(1, "e", "<b>T</b>", quote, 5, 5 + len(quote))
    answer = Answer("q", f"{evil} [1]", (citation,), False, "en")
    page = (
        sources_html(answer, {"e": Article("e", "<b>T</b>", text)})
        + answer_markdown(answer)
        + passages_html([Passage(1, "e", evil, evil, 0, 9, 0.5)])
        + link_markers(evil)
    )
    assert "<script>" not in page and "<img" not in page and "<b>T" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_passages_show_while_reading_and_say_so_when_nothing_answers():
    passage = Passage(1, "a", "Title", "Some sentence.", 0, 14, 0.61)
    assert "Reading these passages" in passages_html([passage]) and "0.61" in passages_html([passage])
    refused = Answer("q", "The articles don't say.", (), True, "en", passages=(passage,))
    assert "No passage answers this question" in sources_html(refused, {})
    assert "No passage in the articles is close" in passages_html([])


def test_a_refusal_shows_the_closest_sentences_as_cards_under_their_own_heading():
    text = "Die Fähre fährt zwölfmal am Tag."
    closest = Citation(1, "f", "Fähre", text, 0, len(text))
    refused = Answer("q", "The articles don't say. Closest in the articles: [1]", (closest,), True, "en")
    shown = sources_html(refused, {"f": Article("f", "Fähre", text)})
    assert shown.startswith("<h3>Closest in the articles</h3>") and 'id="aqa-source-1"' in shown
