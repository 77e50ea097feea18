"""The Python API: ``Assistant.open()``, ``ingest``, ``ask`` and ``ask_stream``.

An answer is built in six steps: retrieve chunks (dense, cosine, a BM25 bonus), refuse at
once when none is relevant enough, choose the sentences the model reads (``rag.passages``),
let it answer from them, once per strong article (``rag.reading``), turn its reply into a
draft with sentence citations, repair it and check it (``rag.answer``), and, when the
passages' scores say the model misread them, let it look once more at the best passage alone
(``rag.second_look``). A reply that fails a check is a refusal that says why and quotes the
closest sentences: the model's own words are never shown as if the articles said them.
"""

from __future__ import annotations

import copy
import time
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, Sequence

from index import (
    Article,
    Chunk,
    Embedder,
    Hit,
    IngestReport,
    Progress,
    SentenceChunker,
    VectorStore,
    detect_language,
    ingest,
    reading,
)
from index.articles import DEFAULT_MAX_FILE_BYTES
from index.copies import members
from index.store import WRITING
from index.types import DayRange
from index.vector_store import StoredArticle
from index.watching import ingest_url as ingest_from_url
from index.web import Fetcher, HttpFetcher
from index.web_articles import WebState
from rag.answer import Failure, draft_of, finished
from rag.answer.confidence import DEFAULT_MIN_ANSWER_PROBABILITY, DEFAULT_MIN_CONFIDENCE, answer_probability
from rag.answer.quantities import quantities
from rag.answer.refusal import closest_sentences, refusal_text
from rag.answer.steps import NOTHING_RELEVANT
from rag.backends import ChatBackend
from rag.copies import also_in, one_per_story
from rag.numbers import localize
from rag.parts import open_backend, open_embedder, open_fetcher, open_store
from rag.passages import DEFAULT_BUDGET_TOKENS, select_passages
from rag.prompt import ANSWER_GRAMMAR, NOT_FOUND, build_messages, build_rewrite_messages
from rag.reading import article_groups, asks_about_now, global_markers, labelled, local, newest, on_its_own
from rag.retrieval import HybridRetriever
from rag.second_look import focused_contexts, needs_second_look
from rag.settings import Settings, checked
from rag.turn import MAX_QUESTION_CHARS, Turn, check_history, clean_question, day_range
from rag.types import Answer, Passage

VECTORS_KEPT = 4096  # embedded sentences and questions kept for scoring; all are dropped past it
READ_TRIES = 50  # reads of the index for one question, at most ...
WRITE_WAIT_S = 0.02  # ... with this pause while a write is under way (1 s in all)


class Assistant:
    def __init__(
        self,
        *,
        store: VectorStore,
        embedder: Embedder,
        backend: ChatBackend,
        top_k: int = 5,
        min_score: float = 0.25,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        min_answer_probability: float = DEFAULT_MIN_ANSWER_PROBABILITY,
        max_answer_tokens: int = 200,
        chunk_tokens: int = 160,
        overlap_tokens: int = 30,
        default_corpus: Path | None = None,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        budget_tokens: int = DEFAULT_BUDGET_TOKENS,
        make_fetcher: Callable[[], HttpFetcher] | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.backend = backend
        self.top_k = top_k
        self.min_score = min_score
        self.min_confidence = min_confidence
        self.min_answer_probability = min_answer_probability
        self.max_answer_tokens = max_answer_tokens
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens
        self.default_corpus = default_corpus
        self.max_file_bytes = max_file_bytes
        self.budget_tokens = budget_tokens
        # feeds and pages: public addresses only, unless the settings allow more (rag.parts.open_fetcher)
        self.make_fetcher = make_fetcher or (lambda: HttpFetcher(max_bytes=self.max_file_bytes))
        self._chunker: SentenceChunker | None = None
        self._vectors: dict[tuple[str, str, str | None], list[float]] = {}
        self.retriever = HybridRetriever(store, embedder)

    @classmethod
    def open(cls, settings: Settings | None = None) -> "Assistant":
        """The real assistant: verified models, Chroma on disk, the configured LLM backend."""
        settings = settings or Settings.from_env()
        return cls(
            store=open_store(settings),
            embedder=open_embedder(settings),
            backend=open_backend(settings),
            top_k=settings.top_k,
            min_score=settings.min_score,
            min_confidence=settings.min_confidence,
            min_answer_probability=settings.min_answer_probability,
            max_answer_tokens=settings.max_answer_tokens,
            chunk_tokens=settings.chunk_tokens,
            overlap_tokens=settings.overlap_tokens,
            default_corpus=settings.articles_dir,
            max_file_bytes=settings.max_file_bytes,
            budget_tokens=settings.budget_tokens,
            make_fetcher=lambda: open_fetcher(settings),
        )

    @property
    def chunker(self) -> SentenceChunker:
        if self._chunker is None:
            self._chunker = SentenceChunker(
                self.embedder.tokenize, chunk_tokens=self.chunk_tokens, overlap_tokens=self.overlap_tokens
            )
        return self._chunker

    def ingest(
        self,
        path: str | Path,
        *,
        prune: bool = False,
        confirmed: bool = False,
        on_progress: Callable[[Progress], None] = lambda p: None,
    ) -> IngestReport:
        """Index a file or folder: new articles added, changed ones replaced, unchanged ones skipped.

        With ``prune``, the articles once read from this folder whose files are gone go too; a
        prune that would empty the folder's part or remove over half the index needs ``confirmed``.
        """
        folder = Path(path).absolute()  # articles keep where they came from, whatever the working folder
        found = reading(folder, max_file_bytes=self.max_file_bytes)
        return ingest(
            found.articles(),
            store=self.store,
            chunker=self.chunker,
            embedder=self.embedder,
            skipped=found.skipped,
            prune=folder if prune else None,
            confirmed=confirmed,
            on_progress=on_progress,
            total=len(found.files),
        )

    def ingest_url(
        self,
        url: str,
        *,
        state: WebState | None = None,
        fetcher: Fetcher | None = None,
        on_progress: Callable[[Progress], None] = lambda p: None,
        writing: AbstractContextManager | None = None,
    ) -> IngestReport:
        """Index the articles of an RSS/Atom feed (each entry's page read whole) or of one article
        page: new ones added, changed ones replaced. With ``state`` (ETags and Last-Modified dates
        of earlier reads), what has not changed is not fetched again; ``writing`` (a lock) is held
        while they are written, not while they are fetched."""
        own = self.make_fetcher()  # its connection opens only when it is used
        try:
            return ingest_from_url(
                url,
                store=self.store,
                chunker=self.chunker,
                embedder=self.embedder,
                fetcher=fetcher or own,
                state=state,
                on_progress=on_progress,
                writing=writing,
            )
        finally:
            own.close()

    def remove(self, article_id: str) -> bool:
        """Take an article out of the index; False when it was not there."""
        if article_id not in self.store.catalog():
            return False
        self.store.remove_article(article_id)
        return True

    def ensure_indexed(self, progress=print) -> IngestReport | None:
        """On an empty index, index the default corpus so a first question just works."""
        if self.store.chunk_count() > 0 or self.default_corpus is None:
            return None
        progress(f"The index is empty: indexing the sample articles in {self.default_corpus} first.")
        report = self.ingest(self.default_corpus)
        progress(report.summary())
        return report

    def retrieve(self, question: str, language: str | None = None, days: DayRange = DayRange()) -> list[Passage]:
        """The passages for a question, numbered for the prompt; none when no chunk reaches ``min_score``."""
        hits, articles = self._search(question, language or detect_language(question), days)
        return self._select(hits, articles, question, self._copies(hits, articles))

    def _search(
        self, question: str, language: str, days: DayRange = DayRange()
    ) -> tuple[list[Hit], dict[str, Article]]:
        """The relevant chunks and, read once, the articles they come from: the answer's
        citations are resolved in these same texts. An answer is from the old index or the new,
        never half: while an ingest writes (the store's version says so), the search waits; when
        the version changed during the reads, or a chunk is not its article's text at its span,
        it is made again. After READ_TRIES, inconsistent chunks are left out (a writer that
        crashed mid-write leaves the version marked until the next write)."""
        for attempt in range(READ_TRIES):
            version = self.store.version()
            if version.startswith(WRITING) and attempt < READ_TRIES - 1:
                time.sleep(WRITE_WAIT_S)  # an ingest is writing: wait for the whole new index
                continue
            hits = self.retriever.search(question, language, self.top_k, days)
            relevant = [hit for hit in hits if hit.score >= self.min_score]
            ids = sorted({hit.chunk.article_id for hit in relevant})
            articles = {stored.article.id: stored.article for stored in self.store.articles(ids)} if ids else {}
            consistent = all(_chunk_of(articles.get(hit.chunk.article_id), hit.chunk) for hit in relevant)
            if consistent and self.store.version() == version:
                break
        relevant = [hit for hit in relevant if _chunk_of(articles.get(hit.chunk.article_id), hit.chunk)]
        relevant = one_per_story(relevant, articles)
        return relevant, (articles if relevant else {})

    def _copies(self, hits: Sequence[Hit], articles: dict[str, Article]) -> dict[str, tuple[Article, ...]]:
        """The wire copies of each article of the hits."""
        return {
            article_id: tuple(members(articles[article_id], self.store))
            for article_id in {h.chunk.article_id for h in hits}
        }

    def _select(
        self, hits: Sequence[Hit], articles: dict[str, Article], question: str, copies: dict[str, tuple[Article, ...]]
    ) -> list[Passage]:
        """What the model reads of the hits for ``question``: its best sentences (``rag.passages``),
        each naming the wire copies that print it word for word."""
        return [
            replace(passage, also_in=also_in(passage.text, copies[passage.article_id]))
            for passage in self._sentences(hits, articles, question)
        ]

    def _sentences(self, hits: Sequence[Hit], articles: dict[str, Article], question: str) -> list[Passage]:
        if not hits:
            return []
        if self.budget_tokens <= 0:  # whole chunks, as retrieved
            return [
                Passage(
                    i,
                    h.chunk.article_id,
                    h.title,
                    h.chunk.text,
                    h.chunk.start,
                    h.chunk.end,
                    round(h.score, 4),
                    h.date,
                    articles[h.chunk.article_id].firm_day,
                    articles[h.chunk.article_id].when,
                )
                for i, h in enumerate(hits, start=1)
            ]
        return select_passages(
            hits,
            articles,
            question=question,
            similarity=self._similarity,
            count_tokens=lambda text: len(self.embedder.tokenize(text)),
            budget_tokens=self.budget_tokens,
        )

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        *,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> Answer:
        """Answer a question; ``history`` holds earlier (question, answer) turns of a chat; with
        ``since`` or ``until`` (a day, month or year: "2026-01-15", "2026-01", "2026"), only from
        articles written then (``Article.day``; undated articles are left out)."""
        answer = None
        for item in self.ask_stream(question, history, since=since, until=until):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        *,
        since: str | date | None = None,
        until: str | date | None = None,
    ) -> Iterator[str | Passage | Answer]:
        """Yield the passages first, then the answer text as it is generated, then the Answer."""
        question = clean_question(question)
        check_history(history)
        days = day_range(since, until)
        turn = Turn(question=question, language=detect_language(question), started=time.perf_counter(), days=days)
        if history:
            turn.standalone = self.standalone(question, history)
            turn.timings["rewrite_s"] = time.perf_counter() - turn.started
        retrieval_started = time.perf_counter()
        hits, turn.articles = self._search(turn.search_question, turn.language, turn.days)
        turn.copies = self._copies(hits, turn.articles)
        turn.passages = self._select(hits, turn.articles, turn.search_question, turn.copies)
        turn.timings["retrieval_s"] = time.perf_counter() - retrieval_started
        yield from turn.passages
        if not turn.passages:
            yield self._refusal(turn, Failure(NOTHING_RELEVANT, ""))
            return
        generation_started = time.perf_counter()
        replies: list[tuple[list[Passage], str, float | None]] = []  # each group's reply, and its probability
        groups = article_groups(turn.passages)
        now = len(groups) > 1 and asks_about_now(turn.search_question) and bool(groups[0][0].day)
        separately = len(groups) > 1 and not now  # with "now", only the newest article's answer is shown
        asked = on_its_own(turn.search_question, turn.language) if separately else turn.search_question
        for group in groups:
            if now and any(NOT_FOUND.lower() not in reply.lower() for _, reply, _ in replies):
                break  # a question about the present: the newest article that answers does
            if replies:
                yield "\n\n"
            raw: list[str] = []
            messages = build_messages(asked, local(group), turn.language)
            for piece in self.backend.stream_chat(messages, max_tokens=self.max_answer_tokens, grammar=ANSWER_GRAMMAR):
                turn.timings.setdefault("first_token_s", time.perf_counter() - turn.started)
                raw.append(piece)
                yield piece
            replies.append((group, global_markers("".join(raw), group), answer_probability(raw)))
        turn.timings["generation_s"] = time.perf_counter() - generation_started
        answered = [(group, reply.strip(), p) for group, reply, p in replies if NOT_FOUND.lower() not in reply.lower()]
        probability = min((p for _, _, p in answered if p is not None), default=None)  # the least sure reply's
        answer = self._answer(
            "\n\n".join(reply for _, reply, _ in answered) or NOT_FOUND, turn, probability=probability
        )
        if (len(answered) > 1 or now) and not answer.refused:
            answered_groups = [group for group, _, _ in answered]
            if now and answered_groups[0] is groups[0]:
                answer = newest(answer, groups[0], turn.articles, turn.language)
            else:
                answer = labelled(answer, answered_groups, turn.articles, turn.language)
        if needs_second_look(answer, turn.passages):
            answer = self._second_look(turn) or answer
        yield replace(answer, timings=turn.timings_so_far())

    def warm_up(self) -> None:
        """Load both models and let the LLM read the fixed prompt prefix (rules and worked
        examples) once, so that the first question is as quick as the ones after it; the
        in-process model restores it from the prefix cache an earlier process saved."""
        self.embedder.embed_query("warm-up")
        quantities("1 km")  # CLDR's unit and currency names, read once (0.2 s)
        self.backend.read_prefix(build_messages("warm-up", [], "en"))

    def standalone(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """A follow-up rewritten so that it can be searched without the chat before it."""
        messages = build_rewrite_messages(question, history)
        rewritten = " ".join("".join(self.backend.stream_chat(messages, max_tokens=60)).split()).strip('"“”')
        return rewritten if 0 < len(rewritten) <= MAX_QUESTION_CHARS else question

    def _second_look(self, turn: Turn) -> Answer | None:
        """The model's reply to the best passage alone, then the best two, when it answers (``rag.second_look``)."""
        started = time.perf_counter()
        answer = None
        for focus in focused_contexts(turn.passages):
            messages = build_messages(turn.search_question, focus, turn.language)
            pieces = list(self.backend.stream_chat(messages, max_tokens=self.max_answer_tokens, grammar=ANSWER_GRAMMAR))
            answer = self._answer("".join(pieces), turn, focus, probability=answer_probability(pieces))
            if not answer.refused:
                break
        turn.timings["second_look_s"] = time.perf_counter() - started
        return None if answer is None or answer.refused else answer

    def _answer(
        self, raw: str, turn: Turn, passages: Sequence[Passage] | None = None, probability: float | None = None
    ) -> Answer:
        """The model's reply as an Answer with resolved citations, or a refusal that says why
        (``rag.answer``: the draft, its repairs and its checks)."""
        passages = turn.passages if passages is None else passages
        draft = draft_of(
            raw,
            question=turn.search_question,
            language=turn.language,
            passages=passages,
            articles={passage.article_id: turn.articles[passage.article_id] for passage in passages},
            similarity=self._similarity,
            min_confidence=self.min_confidence,
            probability=probability,
            min_probability=self.min_answer_probability,
        )
        outcome = finished(draft)
        if isinstance(outcome, Failure):
            return self._refusal(turn, outcome)
        return turn.answer(
            localize(outcome.text, turn.language, outcome.quotes),
            citations=outcome.citations,
            uncited_claims=outcome.uncited_claims,
            confidence=outcome.confidence,
            probability=outcome.probability,
        )

    def _refusal(self, turn: Turn, failure: Failure) -> Answer:
        closest = closest_sentences(turn.passages, turn.articles)
        return turn.answer(
            refusal_text(turn.language, closest),
            refused=True,
            citations=closest,
            refusal=failure.reason,
            refusal_detail=failure.detail,
        )

    def _similarity(self, query: str, sentences: Sequence[str], titles: Sequence[str] | None = None) -> list[float]:
        """Cosine of each sentence (under its article's title, when given) to the query. Vectors
        are kept (``_vectors``): one answer scores the question and its sentences several times
        (passages, citations, confidence), and a remote embedder busy with an ingest makes each
        call wait."""
        if len(self._vectors) > VECTORS_KEPT:
            self._vectors.clear()
        vector = self._vectors.get(("query", query, None))
        if vector is None:
            vector = self._vectors[("query", query, None)] = self.embedder.embed_query(query)
        keys = [("document", text, None if titles is None else titles[i]) for i, text in enumerate(sentences)]
        documents = [self._vectors.get(key) for key in keys]
        missing = [i for i, document in enumerate(documents) if document is None]
        if missing:
            found = self.embedder.embed_documents(
                [sentences[i] for i in missing], titles=None if titles is None else [titles[i] for i in missing]
            )
            for i, document in zip(missing, found):
                documents[i] = self._vectors[keys[i]] = document
        return [sum(a * b for a, b in zip(vector, document)) for document in documents if document is not None]

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """The indexed articles (those named by ``ids``, when given)."""
        return [stored.article for stored in self.store.articles(ids)]

    def library(self) -> list[StoredArticle]:
        """Every indexed article with its chunk count."""
        return self.store.articles()

    def configured(
        self, *, top_k: int | None = None, max_answer_tokens: int | None = None, backend: ChatBackend | None = None
    ) -> "Assistant":
        """This assistant with other answer settings, sharing its index and models (one UI
        session's settings never change another's)."""
        view = copy.copy(self)
        view.top_k = self.top_k if top_k is None else checked("top_k", top_k)
        view.max_answer_tokens = (
            self.max_answer_tokens if max_answer_tokens is None else checked("max_answer_tokens", max_answer_tokens)
        )
        view.backend = backend or self.backend
        return view


def _chunk_of(article: Article | None, chunk: Chunk) -> bool:
    return article is not None and article.text[chunk.start : chunk.end] == chunk.text
