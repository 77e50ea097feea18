from index import Article, SentenceChunker, ingest
from index.lexical import BM25, tokens
from rag.retrieval import CROSS_LANGUAGE_WEIGHT, SAME_LANGUAGE_WEIGHT, HybridRetriever, fuse


def test_the_lexical_bonus_reorders_near_ties_only():
    dense = [(0, 0.80), (1, 0.79), (2, 0.50)]
    fused = fuse(dense, {1: 4.0, 2: 8.0}, weights=0.1)
    assert [i for i, _ in fused] == [1, 0, 2]  # 0.79 + 0.05 passes 0.80; 0.50 + 0.1 stays last
    assert fuse(dense, {}, weights=0.1) == dense
    assert [i for i, _ in fuse(dense, {7: 100.0}, weights=1.0)] == [0, 1, 2]  # no new candidates


def test_one_documents_score_is_what_scoring_all_gives_it():
    index = BM25([tokens(t, "de") for t in ("Xiaomi baut Autos.", "Xiaomi baut Läden und Autos.", "Anderes.")])
    query = tokens("Baut Xiaomi Autos?", "de")
    every = index.scores(query)
    assert [index.score(query, i) for i in range(3)] == [every.get(i, 0.0) for i in range(3)]


def test_bm25_matches_numbers_across_notations_and_stems_words():
    index = BM25([tokens("Xiaomi lieferte 108.796 Elektrofahrzeuge aus.", "de"), tokens("Ein anderer Text.", "de")])
    assert index.top(tokens("108,796 vehicles", "en"), 2)[0][0] == 0
    assert index.top(tokens("Elektrofahrzeug", "de"), 1)[0][0] == 0
    assert index.scores(tokens("nichts passt", "de")) == {}


def test_a_same_language_question_prefers_the_chunk_with_its_exact_words(store, embedder):
    articles = [
        Article(id="a", title="A", text="Der Umsatz stieg deutlich im Jahr.", language="de"),
        Article(id="b", title="B", text="Der Umsatz stieg 2025 auf 144 Millionen.", language="de"),
    ]
    ingest(articles, store=store, chunker=SentenceChunker(str.split), embedder=embedder)
    retriever = HybridRetriever(store, embedder)
    [top, _] = retriever.search("Umsatz 144 Millionen", "de", 2)
    assert top.chunk.article_id == "b"
    assert SAME_LANGUAGE_WEIGHT > CROSS_LANGUAGE_WEIGHT > 0


def test_the_lexical_index_follows_ingests(store, embedder):
    chunker = SentenceChunker(str.split)
    ingest(
        [Article(id="a", title="A", text="Xiaomi baut Autos.", language="de")],
        store=store,
        chunker=chunker,
        embedder=embedder,
    )
    retriever = HybridRetriever(store, embedder)
    assert [h.chunk.article_id for h in retriever.search("Xiaomi Autos", "de", 5)] == ["a"]
    ingest(
        [Article(id="b", title="B", text="Xiaomi baut Läden.", language="de")],
        store=store,
        chunker=chunker,
        embedder=embedder,
    )
    assert {h.chunk.article_id for h in retriever.search("Xiaomi Läden", "de", 5)} == {"a", "b"}
    assert list(retriever._lexical[2]) == [chunk_id for chunk_id, _, _ in store.chunk_texts()]
