from index import Article, SentenceChunker, read_folder, sentence_spans


def test_chunks_are_exact_spans_of_whole_sentences(sample_articles):
    chunker = SentenceChunker(str.split, chunk_tokens=60, overlap_tokens=10)
    for article in read_folder(sample_articles)[0]:
        chunks = chunker.chunk(article)
        assert len(chunks) >= 4
        boundaries = {s for s, _ in sentence_spans(article.text)} | {e for _, e in sentence_spans(article.text)}
        for i, chunk in enumerate(chunks):
            assert chunk.ordinal == i and chunk.id == f"{article.id}#{i}"
            assert article.text[chunk.start : chunk.end] == chunk.text
            assert chunk.start in boundaries and chunk.end in boundaries
            assert len(chunk.text.split()) <= 60


def test_chunks_cover_the_whole_article(sample_articles):
    chunker = SentenceChunker(str.split, chunk_tokens=60, overlap_tokens=10)
    article = read_folder(sample_articles)[0][0]
    covered = set()
    for chunk in chunker.chunk(article):
        covered.update(range(chunk.start, chunk.end))
    uncovered = "".join(article.text[i] for i in range(len(article.text)) if i not in covered)
    assert uncovered.strip() == ""


def test_signature_changes_with_the_settings():
    assert (
        SentenceChunker(str.split, chunk_tokens=60).signature != SentenceChunker(str.split, chunk_tokens=80).signature
    )


def test_a_short_article_is_one_chunk():
    text = "T\nOne sentence."
    [chunk] = SentenceChunker(str.split).chunk(Article(id="a", title="T", text=text))
    assert (chunk.start, chunk.end, chunk.text) == (0, len(text), text)


def test_a_chunk_that_repeats_an_earlier_one_of_the_article_is_left_out():
    from index import Article, SentenceChunker

    article = Article(id="bla", title="Bla", text="Die Stadt baut. " + "Bla bla. " * 2000 + "Das Ende naht.")
    chunks = SentenceChunker(str.split, chunk_tokens=40, overlap_tokens=0).chunk(article)
    texts = [chunk.text for chunk in chunks]
    assert len(texts) == len(set(texts)) < 10 and "Das Ende naht." in texts[-1]
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    assert all(article.text[chunk.start : chunk.end] == chunk.text for chunk in chunks)
