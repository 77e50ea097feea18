"""From the model's passage markers to exact sentence citations.

The model cites passages: "... 150 new stores [1]". Each marker is resolved to the one
sentence of that passage that best supports the claim it ends: shared numbers count most,
then shared words (prefix matches, so "Stores" meets "stores" and "Elektrofahrzeuge" meets
"Elektrofahrzeugen"), then, when a similarity function is given, the embedder's judgement,
which bridges languages. A citation's quote is always ``article.text[start:end]``, so it is
verbatim by construction; ``is_verbatim`` checks that again for anything that consumes it.

A marker on a passage that lacks the claim's numbers, while another passage holds them all,
or that shares no word with its claim, while another passage does, is moved to that passage:
small models often cite the wrong number. A marker on a heading moves to the first full
sentence after it in the same article when that sentence supports the claim as well. Markers
that point at no passage are dropped. Citations are renumbered in order of first use, and the
answer's markers rewritten to match.

A claim the model left without a marker is still cited when its numbers can be checked: if
every number in it appears in one retrieved sentence, that sentence is its source. A claim
without numbers needs the model's marker; nothing else is taken as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from index.sentences import sentence_spans
from index.types import Article
from rag.numbers import NUMBER, numbers_in, readings
from rag.types import Citation, Passage

MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_WORD = re.compile(r"\w{3,}", re.UNICODE)
_NO_OR_YES = re.compile(r"\b(?:no|ja)\b", re.IGNORECASE)
_PREFIX = 5

Similarity = Callable[[str, Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Resolved:
    text: str  # the answer with markers renumbered to match ``citations``
    citations: tuple[Citation, ...]
    uncited_claims: tuple[str, ...]  # answer sentences that carry no valid marker


def resolve(
    answer: str,
    passages: Sequence[Passage],
    articles: Mapping[str, Article],
    *,
    question: str = "",
    similarity: Similarity | None = None,
) -> Resolved:
    answer = add_number_markers(answer, passages, articles)
    by_number = {passage.number: passage for passage in passages}
    citations: dict[tuple[str, int, int], Citation] = {}
    pieces: list[str] = []
    cursor = 0
    spans = claims(answer)
    cited_claims: set[int] = set()
    for match in MARKER.finditer(answer):
        pieces.append(answer[cursor : match.start()])
        claim_index, claim = _claim_for(spans, match.start())
        claim = _own_part(answer, spans[claim_index][0] if spans else 0, cursor, match.start()) or claim
        cursor = match.end()
        numbers = []
        for raw in re.split(r"\s*[,;]\s*", match.group(1)):
            passage = by_number.get(int(raw))
            if passage is None or passage.article_id not in articles:
                continue
            passage = _supporting_passage(claim, passage, passages, articles)
            article = articles[passage.article_id]
            start, end = _best_sentence(claim, question, passage, article, similarity)
            key = (article.id, start, end)
            if key not in citations:
                citations[key] = Citation(
                    number=len(citations) + 1,
                    article_id=article.id,
                    title=article.title,
                    quote=article.text[start:end],
                    start=start,
                    end=end,
                    date=article.date,
                    when=article.when,
                )
            if citations[key].number not in numbers:
                numbers.append(citations[key].number)
        if numbers:
            pieces.append(" " + "".join(f"[{n}]" for n in numbers))
            cited_claims.add(claim_index)
    pieces.append(answer[cursor:])
    text = re.sub(r"[ \t]{2,}", " ", "".join(pieces)).strip()
    text = re.sub(r"(\[\d+\])(?:\s*\1)+", r"\1", text)  # two markers that resolved to one sentence
    uncited = tuple(claim for i, (_, _, claim) in enumerate(spans) if i not in cited_claims and _WORD.search(claim))
    return Resolved(text=text, citations=tuple(citations.values()), uncited_claims=uncited)


def add_number_markers(answer: str, passages: Sequence[Passage], articles: Mapping[str, Article]) -> str:
    """Give each unmarked claim with numbers the passage whose sentence holds all of them."""
    inserts: list[tuple[int, str]] = []
    for start, end, claim in claims(answer):
        claim_numbers = numbers_in(claim)
        if not claim_numbers or MARKER.search(answer[start:end]):
            continue
        best = None
        for passage in passages:
            article = articles.get(passage.article_id)
            if article is None:
                continue
            for s, e in _sentences_of(passage, article):
                sentence = article.text[s:e]
                if _holds_every_number(claim, numbers_in(sentence)):
                    score = _overlap(claim, "", sentence)
                    if best is None or score > best[0]:
                        best = (score, passage.number)
        if best is not None:
            cut = end - 1 if answer[end - 1] in ".!?" else end
            inserts.append((cut, f" [{best[1]}]"))
    for position, marker in sorted(inserts, reverse=True):
        answer = answer[:position] + marker + answer[position:]
    return answer


def _supporting_passage(
    claim: str, marked: Passage, passages: Sequence[Passage], articles: Mapping[str, Article]
) -> Passage:
    """The marked passage, unless another passage fits the claim where the marked one does not.

    A claim with numbers belongs to a passage holding all of them; any other claim to a passage
    sharing a word or number with it.
    """

    def sentences(passage: Passage) -> list[str]:
        article = articles.get(passage.article_id)
        return [article.text[s:e] for s, e in _sentences_of(passage, article)] if article else []

    def holds_numbers(passage: Passage) -> bool:
        return any(_holds_every_number(claim, numbers_in(sentence)) for sentence in sentences(passage))

    def support(passage: Passage) -> float:
        return max((_claim_support(claim, sentence) for sentence in sentences(passage)), default=0.0)

    if NUMBER.search(claim) and not holds_numbers(marked):
        holding = [passage for passage in passages if holds_numbers(passage)]
        if holding:
            return max(holding, key=support)
    under = _sentence_under(marked, passages)  # a heading: quote the sentence under it that says as much
    if under is not None and 0 < support(marked) <= support(under):
        return under
    if support(marked) > 0:
        return marked
    best = max(passages, key=support)
    return best if support(best) > 0 else marked


def _sentence_under(heading: Passage, passages: Sequence[Passage]) -> Passage | None:
    """The first full sentence after ``heading`` in its article, when ``heading`` is not one itself."""
    if _is_full_sentence(heading.text):
        return None
    below = [p for p in passages if p.article_id == heading.article_id and p.start >= heading.end]
    return next((p for p in sorted(below, key=lambda p: p.start) if _is_full_sentence(p.text)), None)


def _claim_support(claim: str, sentence: str) -> float:
    """Numbers and words of the claim found in the sentence (prefix matches for words)."""
    sentence_prefixes = {word.lower()[:_PREFIX] for word in _WORD.findall(sentence)}
    claim_words = {word.lower()[:_PREFIX] for word in _WORD.findall(claim) if not word.isdigit()}
    return 2.0 * len(numbers_in(claim) & numbers_in(sentence)) + len(claim_words & sentence_prefixes)


def _holds_every_number(claim: str, sentence_numbers: set[float]) -> bool:
    return all(readings(token) & sentence_numbers for token in NUMBER.findall(claim))


def has_words(answer: str) -> bool:
    """Whether the answer says anything besides its markers: a word ("No" and "Ja" too), or a
    number such as "25.5%"."""
    rest = MARKER.sub("", answer)
    return bool(_WORD.search(rest) or NUMBER.search(rest) or _NO_OR_YES.search(rest))


def is_verbatim(citation: Citation, article_text: str) -> bool:
    return bool(citation.quote) and article_text[citation.start : citation.end] == citation.quote


def claims(answer: str) -> list[tuple[int, int, str]]:
    """Answer sentences with markers stripped; a marker alone after a full stop joins the sentence before."""
    claims: list[tuple[int, int, str]] = []
    for start, end in sentence_spans(answer):
        text = MARKER.sub("", answer[start:end]).strip()
        if not _WORD.search(text) and claims:
            previous_start, _, previous_text = claims[-1]
            claims[-1] = (previous_start, end, previous_text)
        else:
            claims.append((start, end, text))
    return claims


def _own_part(answer: str, claim_start: int, previous_marker_end: int, marker_start: int) -> str:
    """The words a marker ends, back to the marker before it in the same sentence: in
    "Henrik Solmsen [1], Nordhafen Bank [2]." the second marker is for "Nordhafen Bank" alone."""
    part = answer[max(claim_start, previous_marker_end) : marker_start].strip(" ,;:")
    return part if _WORD.search(part) else ""


def _claim_for(claims: list[tuple[int, int, str]], position: int) -> tuple[int, str]:
    for i, (start, end, text) in enumerate(claims):
        if start <= position < end:
            return i, text
    return len(claims) - 1, claims[-1][2] if claims else ""


def _best_sentence(
    claim: str, question: str, passage: Passage, article: Article, similarity: Similarity | None
) -> tuple[int, int]:
    spans = _sentences_of(passage, article)
    if not spans:
        return passage.start, passage.end
    texts = [article.text[s:e] for s, e in spans]
    scores = [_overlap(claim, question, text) for text in texts]
    if similarity is not None:
        scores = [score + 2.0 * float(sim) for score, sim in zip(scores, similarity(claim or question, texts))]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    return spans[best]


def _sentences_of(passage: Passage, article: Article) -> list[tuple[int, int]]:
    return [(s, e) for s, e in _article_sentences(article.text) if s >= passage.start and e <= passage.end]


@lru_cache(maxsize=32)
def _article_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """An article's sentence spans, split once: every marker of every answer looks them up."""
    return tuple(sentence_spans(text))


def _is_full_sentence(text: str) -> bool:
    return text.rstrip("\"'”“»«)").endswith((".", "!", "?", ":"))


def _overlap(claim: str, question: str, sentence: str) -> float:
    score = 2.0 * len(numbers_in(claim) & numbers_in(sentence))
    sentence_prefixes = {word.lower()[:_PREFIX] for word in _WORD.findall(sentence)}
    claim_words = {word.lower()[:_PREFIX] for word in _WORD.findall(claim)}
    question_words = {word.lower()[:_PREFIX] for word in _WORD.findall(question)} - claim_words
    score += len(claim_words & sentence_prefixes) + 0.5 * len(question_words & sentence_prefixes)
    if _is_full_sentence(sentence):
        score += 0.5  # a full sentence, not a heading or caption
    return score
