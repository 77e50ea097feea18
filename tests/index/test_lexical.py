"""The lexical index that follows the store: after any sequence of syncs it scores every chunk as
a BM25 built from scratch on the same chunks does, to the last bit, and it tokenizes only what changed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from index.lexical import BM25, LexicalIndex, tokens

QUERIES = ["Xiaomi Autos 2025", "Umsatz stieg", "Läden Elektrofahrzeuge 108.796", "nichts passt"]


def _scores(index: LexicalIndex, stored: list[tuple[str, str, str]]) -> list[list[float]]:
    return [[index.score(tokens(query, "de"), chunk_id) for chunk_id, _, _ in stored] for query in QUERIES]


def _reference(stored: list[tuple[str, str, str]]) -> list[list[float]]:
    bm25 = BM25([tokens(text, language or None) for _, text, language in stored])
    return [[bm25.score(tokens(query, "de"), i) for i in range(len(stored))] for query in QUERIES]


def test_a_synced_index_scores_as_bm25_over_the_same_chunks():
    stored = [
        ("a#0", "Xiaomi baut Autos.", "de"),
        ("a#1", "Der Umsatz stieg 2025 auf 144 Millionen.", "de"),
        ("b#0", "Xiaomi lieferte 108.796 Elektrofahrzeuge aus.", ""),  # no language: detected, as before
        ("c#0", "Xiaomi builds cars and stores.", "en"),
    ]
    index = LexicalIndex()
    assert index.sync(stored) == 4
    assert _scores(index, stored) == _reference(stored)
    assert index.score(tokens("Xiaomi", "de"), "unknown#0") == 0.0


def test_an_ingest_tokenizes_only_its_chunks_and_scores_as_a_rebuild():
    before = [("a#0", "Xiaomi baut Autos.", "de"), ("b#0", "Xiaomi baut Läden.", "de"), ("c#0", "Anderes.", "de")]
    after = [
        ("a#0", "Xiaomi baut Autos.", "de"),  # unchanged
        ("b#0", "Xiaomi baut Läden und Autos.", "de"),  # same id, new text: the article was written again
        ("d#0", "Der Umsatz stieg 2025.", "de"),  # new
        ("d#1", "Xiaomi Umsatz Autos Autos.", "de"),  # new
    ]  # c#0 is gone
    index = LexicalIndex()
    index.sync(before)
    assert index.sync(after) == 4  # b#0 again, d#0 and d#1 added, c#0 taken out; a#0 untouched
    assert index.sync(after) == 0
    assert "c#0" not in index and len(index) == 4
    assert _scores(index, after) == _reference(after)


def test_an_emptied_store_leaves_an_empty_index():
    index = LexicalIndex()
    index.sync([("a#0", "Xiaomi baut Autos.", "de")])
    index.sync([])
    assert len(index) == 0 and index.score(tokens("Xiaomi", "de"), "a#0") == 0.0
    index.sync([("b#0", "Xiaomi baut Läden.", "de")])
    assert _scores(index, [("b#0", "Xiaomi baut Läden.", "de")]) == _reference([("b#0", "Xiaomi baut Läden.", "de")])


WORDS = ["Xiaomi", "Autos", "Umsatz", "stieg", "2025", "108.796", "Läden", "baut", "Elektrofahrzeuge", "die"]
_corpus = st.dictionaries(
    st.sampled_from([f"{article}#{n}" for article in "abcde" for n in range(3)]),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    max_size=10,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_corpus, min_size=1, max_size=4))
def test_any_sequence_of_syncs_scores_as_bm25_on_the_last_state(states):
    index = LexicalIndex()
    for state in states:
        index.sync([(chunk_id, text, "de") for chunk_id, text in state.items()])
    last = [(chunk_id, text, "de") for chunk_id, text in states[-1].items()]
    assert len(index) == len(last)
    assert _scores(index, last) == _reference(last)
    for term in {term for _, text, _ in last for term in tokens(text, "de")}:
        holders = sorted(chunk_id for chunk_id, text, _ in last if term in tokens(text, "de"))
        assert sorted(index.chunks_holding(term) or []) == holders


def test_a_term_held_by_more_chunks_than_are_listed_is_never_listed_again(monkeypatch):
    monkeypatch.setattr("index.lexical.RARE_POSTINGS", 2)
    index = LexicalIndex()
    index.sync([("a#0", "Kleinfeld baut.", "de"), ("b#0", "Kleinfeld plant.", "de")])
    [kleinfeld] = tokens("Kleinfeld", "de")
    assert sorted(index.chunks_holding(kleinfeld) or []) == ["a#0", "b#0"]
    index.sync([("a#0", "Kleinfeld baut.", "de"), ("b#0", "Kleinfeld plant.", "de"), ("c#0", "Kleinfeld.", "de")])
    assert index.chunks_holding(kleinfeld) is None and index.holding(kleinfeld) == 3
    index.sync([("a#0", "Kleinfeld baut.", "de")])
    assert index.chunks_holding(kleinfeld) is None  # its list was dropped: not rebuilt from a scan
