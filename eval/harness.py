"""Running a dataset through the assistant: one ItemResult per question.

Each question is retrieved on its own (top ``k`` chunks, scored against the item's source
articles) and, unless ``retrieval_only``, answered through ``ask_stream`` so that the time to
the first answer token is measured as a user would feel it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from eval.dataset import EvalItem
from eval.metrics import answer_matches, citations_cover, first_hit_rank, own_text, token_f1
from index import detect_language
from rag import Answer, Assistant, Passage
from rag.citations import is_verbatim
from rag.turn import day_range


@dataclass(frozen=True)
class ItemResult:
    id: str
    question: str
    expects_refusal: bool
    sources: tuple[str, ...]  # the article ids the item names
    retrieved_article_ids: tuple[str, ...]
    first_hit_rank: int | None  # of the first source article among the retrieved ones
    answer: str = ""
    refused: bool = False
    passed: bool = False
    citation_ok: bool | None = None  # None: no sources named, a refusal expected, or nothing answered
    citations: tuple[dict, ...] = ()
    latency_s: float | None = None
    ttft_s: float | None = None  # None when the model was not asked (refused before it)
    why: str = ""  # why a failed item failed
    f1: float | None = None  # token F1 against the best text alternative (expect: any), as in SQuAD
    refusal: str = ""  # why the answer was refused (rag.answer.REASONS), when it was
    refusal_detail: str = ""  # what failed that check: "a share asked, a count given"
    confidence: float | None = None  # the answer's (rag.answer.confidence); None when refused
    probability: float | None = None  # the model's probability of its answer; None when refused or not given
    kind: str = ""  # the item's kind of expectation: number, text, all or refuse
    languages: str = ""  # question language/source articles' language, e.g. "en/de"; "en/none" without sources
    tags: tuple[str, ...] = ()


def run(
    assistant: Assistant,
    items: Iterable[EvalItem],
    *,
    k: int = 5,
    retrieval_only: bool = False,
    on_result: Callable[[ItemResult], None] = lambda result: None,
) -> list[ItemResult]:
    results = []
    for item in items:
        result = run_item(assistant, item, k=k, retrieval_only=retrieval_only)
        on_result(result)
        results.append(result)
    return results


def run_item(
    assistant: Assistant,
    item: EvalItem,
    *,
    k: int = 5,
    retrieval_only: bool = False,
    ask: Callable[[str], Iterable[str | Passage | Answer]] | None = None,
) -> ItemResult:
    """``ask`` answers instead of ``assistant.ask_stream`` (the benchmark's peer); the assistant
    still retrieves for the retrieval figures and reads the cited articles."""
    days = day_range(item.since, item.until)
    hits = assistant.retriever.search(item.question, detect_language(item.question), k, days)
    retrieved = tuple(dict.fromkeys(hit.chunk.article_id for hit in hits))
    rank = first_hit_rank(retrieved, item.sources) if item.sources else None
    base = ItemResult(
        item.id,
        item.question,
        item.expect.refuse,
        item.sources,
        retrieved,
        rank,
        kind=item.kind,
        languages=f"{detect_language(item.question)}/{_source_languages(assistant, item.sources)}",
        tags=item.tags,
    )
    if retrieval_only:
        return base
    asked = ask or (lambda question: assistant.ask_stream(question, since=item.since, until=item.until))
    answer, latency, ttft = _timed_answer(asked, item.question)
    passed, why = _score(item, answer)
    citation_ok = None
    if item.sources and not item.expect.refuse and not answer.refused:
        citation_ok, citation_why = _check_citations(assistant, answer, item.sources)
        why = why or citation_why
    return replace(
        base,
        answer=answer.text,
        refused=answer.refused,
        refusal=answer.refusal,
        refusal_detail=answer.refusal_detail,
        confidence=answer.confidence,
        probability=answer.probability,
        passed=passed,
        citation_ok=citation_ok,
        citations=tuple({"number": c.number, "article_id": c.article_id, "quote": c.quote} for c in answer.citations),
        latency_s=round(latency, 3),
        ttft_s=None if ttft is None else round(ttft, 3),
        why=why,
        f1=None if item.expect.refuse or not item.expect.any else round(token_f1(_said(answer), item.expect.any), 4),
    )


def _source_languages(assistant: Assistant, sources: tuple[str, ...]) -> str:
    """The languages of an item's source articles ("de", "de+en"), "none" when it names none."""
    if not sources:
        return "none"
    stored = assistant.store.articles(sorted(set(sources)))
    languages = sorted({s.article.language or detect_language(s.article.text) for s in stored})
    return "+".join(languages) or "none"


def _said(answer: Answer) -> str:
    """What the answer itself says: nothing for a refusal; without the labels naming its articles."""
    titles = [citation.title for citation in answer.citations] + [passage.title for passage in answer.passages]
    return "" if answer.refused else own_text(answer.text, titles)


def _timed_answer(
    ask: Callable[[str], Iterable[str | Passage | Answer]], question: str
) -> tuple[Answer, float, float | None]:
    started = time.perf_counter()
    ttft = None
    answer = None
    for item in ask(question):
        if isinstance(item, str) and ttft is None:
            ttft = time.perf_counter() - started
        elif isinstance(item, Answer):
            answer = item
    assert answer is not None
    return answer, time.perf_counter() - started, ttft


def _score(item: EvalItem, answer: Answer) -> tuple[bool, str]:
    if item.expect.refuse:
        return (True, "") if answer.refused else (False, "answered a question the articles do not answer")
    if answer.refused:
        return False, "refused a question the articles answer"
    first = answer.citations[0].article_id if answer.citations else "nothing"
    if item.first_source and first != item.first_source:
        return False, f"cited {first} first, not the newest article, {item.first_source}"
    return answer_matches(_said(answer), item.expect)


def _check_citations(assistant: Assistant, answer: Answer, sources: tuple[str, ...]) -> tuple[bool, str]:
    cited = [citation.article_id for citation in answer.citations]
    if not citations_cover(cited, sources):
        return False, f"citations {sorted(set(cited))} miss {sorted(set(sources) - set(cited))}"
    texts = {stored.article.id: stored.article.text for stored in assistant.store.articles(sorted(set(cited)))}
    for citation in answer.citations:
        if not is_verbatim(citation, texts.get(citation.article_id, "")):
            return False, f"citation [{citation.number}] is not verbatim in {citation.article_id}"
    return True, ""
