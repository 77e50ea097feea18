"""Sentence spans for German and English news text.

Citations quote whole sentences and chunks end on sentence boundaries, so both use these
spans. A span never includes surrounding whitespace, and the spans of a text, together with
the whitespace between them, cover it exactly.

What it knows: a line break ends a sentence (headings, list items, captions are their own
lines); ``.``, ``!``, ``?`` and ``…`` end one when followed by whitespace, except after a
common abbreviation ("z.B.", "Dr.", "Mr.") or a one- or two-digit number, which in German is
an ordinal or a date ("zum 30. September", "vom 02. Februar"). What it leaves out: statistical
models; a rare sentence ending in "... 12." stays joined to the next.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    """
    abb abs bzw ca chr dr etc evtl ggf hr inkl jh jr mio mrd mr mrs ms nr prof rd s sog st
    str tel u.a usw vgl vs z.b z.t zb dt bspw sr inc ltd corp co e.g i.e no vol jan feb mar
    apr jun jul aug sep sept okt oct nov dez dec
    """.split()
)

_END = re.compile(r"[.!?…]+[\"'»«“”„)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"(\S+)$")


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
        if _is_abbreviation_or_ordinal(text[cursor : match.start()]) and text[match.start()] == ".":
            continue
        _add(text, cursor, match.end(), spans)
        cursor = match.end()
    _add(text, cursor, end, spans)


def _is_abbreviation_or_ordinal(before: str) -> bool:
    found = _WORD_BEFORE.search(before)
    if not found:
        return False
    word = found.group(1).lower().lstrip("(\"'„“»")
    return word in _ABBREVIATIONS or (word.isdigit() and len(word) <= 2) or len(word) == 1


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]
