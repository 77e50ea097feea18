"""Cut an article into chunks of whole sentences, measured in the embedder's own tokens.

The rule is llama-index's ``SentenceSplitter`` (which this replaced), worked on character
spans so that each chunk is an exact span of the article by construction:

- a piece of text that fits in a chunk is one unit; one that does not is split into its
  paragraphs, else its sentences (our sentence spans, so chunk boundaries and citation
  sentences agree), else at commas and semicolons, else at spaces, else into runs of
  characters that fit, and the parts that still do not fit are split again;
- units are packed greedily into chunks of at most ``chunk_tokens``; each new chunk starts
  with the last units of the one before that fit in ``overlap_tokens``.

For ordinary text the chunks are the ones the ``SentenceSplitter`` made. Unlike it, this
takes time and memory linear in the length of the article: a word longer than a chunk is cut
into a few runs of characters rather than split character by character (a 20 MB word took
the splitter minutes and gigabytes), and chunks are not searched for in the text afterwards
(a repeated text put every chunk at its first occurrence).

A chunk whose text an earlier chunk of the article already holds is left out: a page of one
repeated phrase gave 673 identical vectors, and Chroma's HNSW search then answered every
question with them (score 0.08) and missed the article that holds the answer (score 0.6).
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple

from index.sentences import sentence_spans
from index.types import Article, Chunk, chunk_id

# Measured on XQuAD (bench/results/chunk_size.md): 160 tokens find the answer in the top 3
# chunks for 98% of questions; 256 gain under a point for 50% more prompt tokens.
DEFAULT_CHUNK_TOKENS = 160
DEFAULT_OVERLAP_TOKENS = 30
_MAX_OVERLAP_UNITS = 64  # units of no tokens at all (stray marks) would otherwise pile up in every overlap
_PARAGRAPH = re.compile(r"\n\n")
_CLAUSE_END = re.compile(r"[,.;。？！]")
_SPACE = re.compile(r" ")


class _Unit(NamedTuple):
    start: int
    end: int
    tokens: int


class SentenceChunker:
    def __init__(
        self,
        tokenize: Callable[[str], list],
        *,
        chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
        overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    ) -> None:
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens
        self._tokenize = tokenize

    @property
    def signature(self) -> str:
        """Changes whenever the same article would be cut differently."""
        return f"sentence-spans:{self.chunk_tokens}/{self.overlap_tokens}:once"

    def chunk(self, article: Article) -> list[Chunk]:
        text = article.text
        chunks: list[Chunk] = []
        seen: set[str] = set()
        for start, end in self._packed(self._units(text, 0, len(text))):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end and text[start:end] not in seen:
                seen.add(text[start:end])
                ordinal = len(chunks)
                chunks.append(Chunk(chunk_id(article.id, ordinal), article.id, ordinal, text[start:end], start, end))
        return chunks

    def _units(self, text: str, start: int, end: int) -> list[_Unit]:
        """The pieces of ``text[start:end]``, each of at most ``chunk_tokens`` where it can be."""
        units: list[_Unit] = []
        self._add_units(text, start, end, len(self._tokenize(text[start:end])), 0, units)
        return units

    def _add_units(self, text: str, start: int, end: int, tokens: int, kinds: int, units: list[_Unit]) -> None:
        """Adds the piece as one unit if it fits, else its pieces of the first kind that splits it.

        ``kinds``: how many kinds of piece to pass over, those that made this piece (a sentence
        split into sentences again is one sentence).
        """
        if tokens <= self.chunk_tokens or end - start <= 1:
            units.append(_Unit(start, end, tokens))
            return
        for kind, pieces in enumerate(_PIECES[kinds:], start=kinds + 1):
            bounds = pieces(text, start, end)
            if len(bounds) > 2:
                break
        else:  # nowhere to split: runs of characters sized from the tokens per character
            step = max(1, (end - start) * self.chunk_tokens // (2 * tokens))
            bounds = [*range(start, end, step), end]
            kind = len(_PIECES)
        for piece_start, piece_end in zip(bounds, bounds[1:]):
            piece_tokens = len(self._tokenize(text[piece_start:piece_end]))
            if piece_tokens <= self.chunk_tokens:
                units.append(_Unit(piece_start, piece_end, piece_tokens))
            else:
                self._add_units(text, piece_start, piece_end, piece_tokens, kind, units)

    def _packed(self, units: list[_Unit]) -> list[tuple[int, int]]:
        """Character spans of the chunks: greedy packing with the ``SentenceSplitter``'s overlap."""
        spans: list[tuple[int, int]] = []
        first = 0  # the current chunk is units[first:following]
        following = 0
        size = 0
        fresh = True  # nothing added since the chunk was opened (it may hold overlap)
        while following < len(units):
            unit = units[following]
            if size + unit.tokens > self.chunk_tokens and not fresh:
                spans.append((units[first].start, units[following - 1].end))
                first, size = self._overlap(units, first, following)
                fresh = True
                continue
            while fresh and first < following and size + unit.tokens > self.chunk_tokens:
                size -= units[first].tokens  # drop overlap until the new unit fits
                first += 1
            size += unit.tokens
            following += 1
            fresh = False
        if not fresh:
            spans.append((units[first].start, units[following - 1].end))
        return spans

    def _overlap(self, units: list[_Unit], first: int, following: int) -> tuple[int, int]:
        """Where the next chunk starts: the last units of this one within ``overlap_tokens``."""
        start, size = following, 0
        while (
            start > first
            and following - start < _MAX_OVERLAP_UNITS
            and size + units[start - 1].tokens <= self.overlap_tokens
        ):
            start -= 1
            size += units[start].tokens
        return start, size


def _at_separator(pattern: re.Pattern, text: str, start: int, end: int, *, before: bool) -> list[int]:
    """Boundaries at each match of ``pattern``: before it (it opens the next piece) or after it."""
    bounds = [start]
    for match in pattern.finditer(text, start, end):
        point = match.start() if before else match.end()
        if bounds[-1] < point < end:
            bounds.append(point)
    bounds.append(end)
    return bounds


def _paragraphs(text: str, start: int, end: int) -> list[int]:
    return _at_separator(_PARAGRAPH, text, start, end, before=True)


def _clauses(text: str, start: int, end: int) -> list[int]:
    return _at_separator(_CLAUSE_END, text, start, end, before=False)


def _words(text: str, start: int, end: int) -> list[int]:
    return _at_separator(_SPACE, text, start, end, before=True)


def _sentences(text: str, start: int, end: int) -> list[int]:
    """Each sentence with the whitespace after it; the first also keeps what is before it."""
    starts = [start + sentence_start for sentence_start, _ in sentence_spans(text[start:end])]
    return [start, *starts[1:], end]


# The kinds of piece a text too long for a chunk is split into, in the order they are tried.
_PIECES = (_paragraphs, _sentences, _clauses, _words)
