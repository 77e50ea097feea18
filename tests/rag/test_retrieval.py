from index import Article, DayRange, SentenceChunker, ingest
from index.lexical import BM25, LexicalIndex, tokens
from rag.retrieval import CROSS_LANGUAGE_WEIGHT, SAME_LANGUAGE_WEIGHT, HybridRetriever, fuse, rare_terms
from tests.fakes import MemoryStore


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
    assert {chunk_id for chunk_id, _, _ in store.chunk_texts()} == {"a#0", "b#0"}
    assert all(chunk_id in retriever._lexical for chunk_id in ("a#0", "b#0")) and len(retriever._lexical) == 2


class ReadCountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads: list[list[str] | None] = []

    def chunk_texts(self, article_ids=None):
        self.reads.append(None if article_ids is None else sorted(article_ids))
        return super().chunk_texts(article_ids)


def test_after_an_ingest_the_lexical_index_reads_only_the_changed_articles_chunks(embedder):
    store, chunker = ReadCountingStore(), SentenceChunker(str.split)
    article = {name: Article(id=name, title=name, text=f"{name} baut Autos.", language="de") for name in "abc"}
    ingest(article.values(), store=store, chunker=chunker, embedder=embedder)
    retriever = HybridRetriever(store, embedder)
    retriever.search("Autos", "de", 5)
    rewritten = Article(id="b", title="b", text="b baut Fahrräder. Und Roller.", language="de")
    ingest([article["a"], rewritten, article["c"]], store=store, chunker=chunker, embedder=embedder)
    store.remove_article("c")
    assert {h.chunk.article_id for h in retriever.search("Fahrräder Roller", "de", 5)} == {"a", "b"}
    assert store.reads == [None, ["b", "c"]]  # the first search reads all; then what changed or went
    stored = [chunk_id for chunk_id, _, _ in store.chunk_texts()]
    assert all(chunk_id in retriever._lexical for chunk_id in stored) and len(retriever._lexical) == len(stored)
    assert retriever._lexical.holding(tokens("Roller", "de")[0]) == 1
    assert retriever._lexical.holding(tokens("Autos", "de")[0]) == 1  # b's old text and c are gone


class BlindStore(MemoryStore):
    """A vector index that cannot reach some chunks (as Chroma's HNSW could not reach an article
    among a thousand near-identical ones), though it scores them when they are named."""

    def __init__(self, unreachable: set[str]) -> None:
        super().__init__()
        self.unreachable = unreachable

    def search(self, vector, k, days=DayRange()):
        return [
            hit for hit in super().search(vector, self.chunk_count(), days) if hit.chunk.id not in self.unreachable
        ][:k]


def town_notices(count: int) -> list[Article]:
    notices = [
        Article(id=f"ort-{n}", title=f"Meldung {n}", text=f"Der Gemeinderat von Ort {n} berät über neue Radwege.")
        for n in range(count)
    ]
    water = "Die Stadt Kleinfeld baut ein neues Wasserwerk für 12 Millionen Euro."
    return [*notices, Article(id="wasserwerk", title="Wasserwerk", text=water)]


def test_a_chunk_the_vector_index_cannot_reach_is_found_by_a_rare_word_of_the_question(embedder):
    store = BlindStore(unreachable={"wasserwerk#0"})
    ingest(town_notices(300), store=store, chunker=SentenceChunker(str.split), embedder=embedder)
    retriever = HybridRetriever(store, embedder)
    [top, *_] = retriever.search("Was kostet das Wasserwerk in Kleinfeld?", "de", 3)
    assert top.chunk.id == "wasserwerk#0"
    assert [h.chunk.id for h in retriever.search("Was berät der Gemeinderat?", "de", 3)][0].startswith("ort-")


def test_rare_terms_are_the_questions_words_few_chunks_hold_rarest_first(embedder):
    store = MemoryStore()
    ingest(town_notices(300), store=store, chunker=SentenceChunker(str.split), embedder=embedder)
    lexical = LexicalIndex()
    lexical.sync(store.chunk_texts())
    terms = rare_terms("Was kostet das Wasserwerk in Kleinfeld, laut Gemeinderat?", "de", lexical)
    # "Gemeinderat" is in every notice, "kostet" in none; short words left out
    assert terms == tokens("Kleinfeld Wasserwerk", "de")
    assert lexical.chunks_holding(terms[0]) == ["wasserwerk#0"]
    assert rare_terms("Radwege", "de", lexical) == [] and lexical.chunks_holding(terms[0] + "x") == []
