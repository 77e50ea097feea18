"""Sentence spans for German and English news text.

Citations quote whole sentences and chunks end on sentence boundaries, so both use these
spans. A span never includes surrounding whitespace, and the spans of a text, together with
the whitespace between them, cover it exactly.

What it knows: a line break ends a sentence (headings, list items, captions are their own
lines); ``.``, ``!``, ``?`` and ``…`` end one when followed by whitespace, except after a
common abbreviation ("z.B.", "Dr.", "Mr.") or a one- or two-digit number, which in German is
an ordinal or a date ("zum 30. September", "vom 02. Februar"). A "sentence" longer than
``MAX_SENTENCE_CHARS`` is cut into pieces of at most that length, at a space where there is
one. What it leaves out: statistical models; a rare sentence ending in "... 12." stays joined
to the next.

Time is linear in the length of the text: each step looks at a bounded window of it.
"""

from __future__ import annotations

import re

from index.lexicon import MONTH_ABBREVIATIONS

# The longest sentence of the sample articles is 391 characters; a citation quoting more than
# 1,000 is no longer a quote a reader checks, and a chunk of 160 tokens holds about 1,000.
MAX_SENTENCE_CHARS = 1_000
_LONGEST_ABBREVIATION = 16  # with the quotes and brackets before it: "(„z.B." is 5

_WORD_ABBREVIATIONS = """
    abb abs bzw ca chr dr etc evtl ggf hr inkl jh jr mio mrd mr mrs ms nr prof rd s sog st
    str tel u.a usw vgl vs z.b z.t zb dt bspw sr inc ltd corp co e.g i.e no vol
"""
_ABBREVIATIONS = frozenset(_WORD_ABBREVIATIONS.split()) | MONTH_ABBREVIATIONS

# Possessive, and only from the first mark of a run, so a long run of marks is read once.
_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'»«“”„)\]]*+(?=\s)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of ``text``."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.splitlines(keepends=True):
        _line_spans(text, line_start, line_start + len(line.rstrip("\r\n")), spans)
        line_start += len(line)
    return spans


def _line_spans(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    cursor = start
    for match in _END.finditer(text, start, end):
        if text[match.start()] == "." and _is_abbreviation_or_ordinal(text, cursor, match.start()):
            continue
        _add(text, cursor, match.end(), spans)
        cursor = match.end()
    _add(text, cursor, end, spans)


def _is_abbreviation_or_ordinal(text: str, cursor: int, dot: int) -> bool:
    """Whether the word right before ``dot`` (not before ``cursor``) keeps the sentence going."""
    window_start = max(cursor, dot - _LONGEST_ABBREVIATION - 1)
    word_start = dot
    while word_start > window_start and not text[word_start - 1].isspace():
        word_start -= 1
    if word_start == dot or (word_start == window_start and window_start > cursor):
        return False  # no word, or one too long to be an abbreviation
    word = text[word_start:dot].lower().lstrip("(\"'„“»")
    return word in _ABBREVIATIONS or (word.isdigit() and len(word) <= 2) or len(word) == 1


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    if 0 < end - start <= MAX_SENTENCE_CHARS and not text[start].isspace() and not text[end - 1].isspace():
        spans.append((start, end))  # the common case, first
        return
    start, end = _trimmed(text, start, end)
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut_point(text, start, start + MAX_SENTENCE_CHARS)
        spans.append(_trimmed(text, start, cut))
        start, end = _trimmed(text, cut, end)
    if start < end:
        spans.append((start, end))


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut a too long sentence: the last space in its second half, else at ``limit``."""
    space = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit + 1)
    return space if space > start else limit


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]
