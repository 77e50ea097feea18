from index import Article, Chunk, Hit
from rag.passages import select_passages

TEXT = (
    "Xiaomi Aktie: Ford-Gerücht dementiert\n"
    "Xiaomi hat Berichte über Ford zurückgewiesen. "
    "150 neue Stores für Großbritannien\n"
    "Innerhalb der nächsten vier Jahre plant Xiaomi rund 150 neue Stores. "
    "Das Unternehmen erwirtschaftete dort 1 Milliarde Yuan Umsatz. "
    "Die Citigroup prognostizierte ein schwieriges Jahr."
)
ARTICLE = Article(id="ford", title="Ford-Gerücht", text=TEXT)
HIT = Hit(Chunk("ford#0", "ford", 0, TEXT, 0, len(TEXT)), "Ford-Gerücht", 0.7)


def by_keyword(keyword):
    return lambda question, sentences, titles: [1.0 if keyword in s else 0.1 for s in sentences]


def _texts(passages):
    return [p.text for p in passages]


def test_the_best_sentences_fill_the_budget_each_an_exact_numbered_span_in_reading_order():
    def scores(question, sentences, titles):
        assert set(titles) == {"Ford-Gerücht"}  # each sentence is judged under its article's title
        return [0.9 if "Citigroup" in s else 0.8 if "vier Jahre" in s else 0.1 for s in sentences]

    passages = select_passages(
        [HIT],
        {"ford": ARTICLE},
        question="q",
        similarity=scores,
        count_tokens=lambda t: len(t.split()),
        budget_tokens=17,
    )
    assert _texts(passages) == [
        "Innerhalb der nächsten vier Jahre plant Xiaomi rund 150 neue Stores.",
        "Die Citigroup prognostizierte ein schwieriges Jahr.",
    ]  # reading order, not score order; no neighbours: they took budget that better sentences use
    assert [p.number for p in passages] == [1, 2]
    assert all(p.text == TEXT[p.start : p.end] for p in passages)


def test_a_sentence_of_a_better_chunk_outranks_a_slightly_closer_one_of_a_weak_chunk():
    other_text = "Xiaomi eröffnet Stores in Polen."
    other = Article(id="pl", title="Polen", text=other_text)
    weak = Hit(Chunk("pl#0", "pl", 0, other_text, 0, len(other_text)), "Polen", 0.3)

    def scores(question, sentences, titles):
        return [0.62 if "Polen" in s else 0.6 if "vier Jahre" in s else 0.0 for s in sentences]

    [passage] = select_passages(
        [HIT, weak],
        {"ford": ARTICLE, "pl": other},
        question="q",
        similarity=scores,
        count_tokens=lambda t: len(t.split()),
        budget_tokens=12,
    )
    assert "vier Jahre" in passage.text and passage.score == 0.6  # the score shown is the sentence's own


def test_the_budget_bounds_what_the_model_reads_but_never_empties_it():
    count = lambda t: len(t.split())  # noqa: E731
    options = dict(question="q", similarity=by_keyword("Citigroup"), count_tokens=count)
    [passage] = select_passages([HIT], {"ford": ARTICLE}, budget_tokens=3, **options)
    assert passage.text == "Die Citigroup prognostizierte ein schwieriges Jahr."
    everything = select_passages([HIT], {"ford": ARTICLE}, budget_tokens=1000, **options)
    assert "\n".join(_texts(everything)).replace("\n", " ") == TEXT.replace("\n", " ")


def test_articles_come_best_first_and_their_sentences_in_reading_order():
    other_text = "Lin Bin kündigte einen Online-Shop an. Xiaomi verkaufte 61 Millionen Smartphones."
    other = Article(id="usa", title="Online-Shop", text=other_text)
    other_hit = Hit(Chunk("usa#0", "usa", 0, other_text, 0, len(other_text)), "Online-Shop", 0.6)

    def scores(question, sentences, titles):
        return [0.9 if "Lin Bin" in s else 0.8 if "Citigroup" in s else 0.0 for s in sentences]

    passages = select_passages(
        [HIT, other_hit],
        {"ford": ARTICLE, "usa": other},
        question="q",
        similarity=scores,
        count_tokens=lambda t: len(t.split()),
        budget_tokens=30,
    )
    assert [p.article_id for p in passages][:2] == ["usa", "ford"] and [p.number for p in passages][:2] == [1, 2]
    assert passages[0].text.startswith("Lin Bin") and passages[-1].text.startswith("Die Citigroup")
    ford = [p for p in passages if p.article_id == "ford"]
    assert [p.start for p in ford] == sorted(p.start for p in ford)
