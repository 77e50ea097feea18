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
    return lambda question, sentences: [1.0 if keyword in s else 0.1 for s in sentences]


def test_the_best_sentence_comes_with_its_neighbours_as_one_exact_span():
    [passage] = select_passages(
        [HIT],
        {"ford": ARTICLE},
        question="q",
        similarity=by_keyword("vier Jahre"),
        count_tokens=lambda t: len(t.split()),
        budget_tokens=25,
    )
    assert passage.text == TEXT[passage.start : passage.end]
    assert passage.text.startswith("150 neue Stores für Großbritannien\nInnerhalb")
    assert passage.text.endswith("1 Milliarde Yuan Umsatz.")
    assert "Citigroup" not in passage.text and "Ford zurückgewiesen" not in passage.text


def test_the_budget_bounds_what_the_model_reads_but_never_empties_it():
    count = lambda t: len(t.split())  # noqa: E731
    [passage] = select_passages(
        [HIT], {"ford": ARTICLE}, question="q", similarity=by_keyword("Citigroup"), count_tokens=count, budget_tokens=3
    )
    assert passage.text == "Die Citigroup prognostizierte ein schwieriges Jahr."
    everything = select_passages(
        [HIT],
        {"ford": ARTICLE},
        question="q",
        similarity=by_keyword("Citigroup"),
        count_tokens=count,
        budget_tokens=1000,
    )
    assert len(everything) == 1 and everything[0].text == TEXT


def test_separate_runs_become_separate_numbered_passages_best_first():
    def two_peaks(question, sentences):
        return [0.9 if "Citigroup" in s else 0.8 if "Ford zurück" in s else 0.0 for s in sentences]

    passages = select_passages(
        [HIT],
        {"ford": ARTICLE},
        question="q",
        similarity=two_peaks,
        count_tokens=lambda t: len(t.split()),
        budget_tokens=20,
    )
    assert [p.number for p in passages] == [1, 2]
    assert "Citigroup" in passages[0].text and "Ford zurückgewiesen" in passages[1].text
