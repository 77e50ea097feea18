"""Which of a sentence's figures the question asks for.

News sentences pack several figures: "Die Belegschaft ist um 37 Personen auf 1415
geschrumpft", "ein Plus von 412,6 Mio. Euro im Jahr davor auf etwa 468 Mio. Euro", "64
Millionen Pfund (83 Millionen Euro)". A small model often gives the wrong one, so the
figure of each cited claim is checked against two kinds of question:

- A change and a level ("um X auf Y", "by X to Y") or an old and a new value ("von X auf Y",
  "from X to Y"). A question for the level ("to how many", "auf wie viele", "to what level")
  is answered with Y, one for the change ("by how much", "um wie viel") with X; with "von X
  auf Y" the new value Y, unless the question asks for the earlier one ("previous", "Vorjahr").
- A unit the question names ("in British pounds", "Gigawattstunden", "in percent"): the figure
  the sentence gives in that unit, when it gives exactly one.

A wrong figure is replaced by the right one in the sentence's own notation, and a day and
month given without its year gets the year the sentence gives it (``rag.dates``); everything
else in the answer stays as the model wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from index.lexicon import SCALE
from rag.dates import with_years
from rag.numbers import NUMBER, numbers_in, readings
from rag.types import Citation

# unit: the words that name it, in both languages (matched case-insensitively)
UNITS = {
    "percent": r"%|prozent|per ?cent|percent",
    "euro": r"€|euros?|eur",
    "dollar": r"\$|dollars?|us-dollar|usd",
    "pound": r"£|pounds?|pfund|sterling",
    "franc": r"franken|francs?|chf",
    "yuan": r"yuan|renminbi|rmb",
    "yen": r"yen",
    "gwh": r"gigawattstunden|gigawatt[- ]hours?|gwh",
    "twh": r"terawattstunden|terawatt[- ]hours?|twh",
    "mwh": r"megawattstunden|megawatt[- ]hours?|mwh",
    "megawatt": r"megawatt|mw",
    "teraflops": r"teraflops?",
    "metre": r"met(?:er|re)s?",
    "kilometre": r"kilomet(?:er|re)s?|km",
    "tonne": r"tonnen|tonnes?|tons?",
}
_UNIT = {unit: re.compile(rf"(?<!\w)(?:{forms})(?!\w)", re.IGNORECASE) for unit, forms in UNITS.items()}
_TAIL = re.compile(rf"\s*(?:{SCALE}(?!\w)\.?)?\s*", re.IGNORECASE)
_SCALE_NAMES = {
    "thousand": "k", "tausend": "k", "tsd": "k",
    "million": "m", "millionen": "m", "mio": "m", "mn": "m", "m": "m",
    "billion": "b", "bn": "b", "milliarde": "b", "milliarden": "b", "mrd": "b",
}  # fmt: skip
_HEDGE = r"(?:rund|circa|ca\.|etwa|knapp|fast|mehr als|über|gut|about|around|nearly|almost|some|more than|over)"
# the word before a figure that says what it is: a change, an origin or a level
_BEFORE = re.compile(rf"\b(um|by|von|from|auf|to)\s+(?:{_HEDGE}\s+)?[$£€]?$", re.IGNORECASE)
_PAIR_SPAN = 60  # characters between a change or an old value and the level that follows it
_ASKS_LEVEL = re.compile(r"\b(to what|to how (many|much)|to which|auf wie ?viel\w*|auf welche\w*)\b", re.IGNORECASE)
_ASKS_CHANGE = re.compile(r"\b(by how (many|much)|by what|um wie ?viel\w*|um welche\w*)\b", re.IGNORECASE)
_ASKS_EARLIER = re.compile(
    r"\b(from what|from how (many|much)|previous\w*|before|earlier|last year|a year ago|vorjahr\w*|zuvor|vorher|"
    r"von wie ?viel\w*)\b",
    re.IGNORECASE,
)
_MARKERS = re.compile(r"(?:\s*\[\d+\])+")


@dataclass(frozen=True)
class Figure:
    """A number in a sentence with what follows and precedes it."""

    start: int
    end: int  # after its scale and unit words, when it has them
    number: str  # the digits as written
    unit: str | None  # a key of UNITS
    role: str | None  # "change" (um, by), "origin" (von, from), "level" (auf, to)

    def values(self, text: str) -> set[float]:
        return numbers_in(text[self.start : self.end])


def figures(sentence: str) -> list[Figure]:
    found = []
    for match in NUMBER.finditer(sentence):
        after = _after_scale(sentence, match)
        unit, end = None, match.end() + len(sentence[match.end() : after].rstrip())
        for name, pattern in _UNIT.items():
            unit_match = pattern.match(sentence, after)
            if unit_match:
                unit, end = name, unit_match.end()
                break
        before = sentence[max(0, match.start() - 30) : match.start()]
        unit = unit or _unit_before(before)
        role_match = _BEFORE.search(before)
        role = None
        if role_match:
            word = role_match.group(1).lower()
            role = {"um": "change", "by": "change", "von": "origin", "from": "origin"}.get(word, "level")
        found.append(Figure(match.start(), end, match.group(), unit, role))
    return found


_NOT_COUNTED = frozenset(
    """
    jahr jahre jahren year years monat monate monaten month months woche wochen week weeks tag tage tagen day days
    stunde stunden hour hours minute minuten minutes sekunde sekunden second seconds mal times prozent percent
    per pro in of und and bis to the der die das den dem von vom im am an at on for or oder from mit with
    """.split()
)


def counted_nouns(claim: str) -> list[str]:
    """The words that a claim's numbers count: "64 Bücher", "47 ferries" (units, times and small
    words after a number are not counted things)."""
    found = []
    for match in NUMBER.finditer(claim):
        after = _after_scale(claim, match)
        if any(pattern.match(claim, after) for pattern in _UNIT.values()):
            continue
        word = re.match(r"[^\W\d_][\w-]{2,}", claim[after:])
        if word and word.group().casefold() not in _NOT_COUNTED:
            found.append(word.group())
    return found


def asked_unit(question: str) -> str | None:
    """The one unit the question names, if it names exactly one."""
    named = {unit for unit, pattern in _UNIT.items() if pattern.search(question)}
    return named.pop() if len(named) == 1 else None


def repaired(answer: str, question: str, citations: Sequence[Citation]) -> str:
    """The answer with each cited figure that the question does not ask for replaced by the
    cited sentence's figure that it does ask for, and each day and month given its year."""
    by_number = {citation.number: citation for citation in citations}
    pieces, cursor = [], 0
    for marker in _MARKERS.finditer(answer):
        numbers = [int(n) for n in re.findall(r"\d+", marker.group())]
        quotes = [by_number[n].quote for n in numbers if n in by_number]
        claim = answer[cursor : marker.start()]
        for quote in quotes:
            claim = with_years(_repaired_claim(claim, question, quote), quote)
        pieces += [claim, marker.group()]
        cursor = marker.end()
    pieces.append(answer[cursor:])
    return "".join(pieces)


def _repaired_claim(claim: str, question: str, quote: str) -> str:
    in_quote = figures(quote)
    for match in reversed(list(NUMBER.finditer(claim))):  # from the end: earlier positions stay valid
        values = readings(match.group()) | numbers_in(claim[match.start() : _after_scale(claim, match)])
        given = [figure for figure in in_quote if figure.values(quote) & values]
        if len(given) != 1:
            continue
        wanted = _wanted(given[0], in_quote, question)
        if wanted is not None and wanted != given[0]:
            claim = _replace(claim, match, given[0], wanted, quote)
    return claim


def _wanted(given: Figure, in_quote: list[Figure], question: str) -> Figure | None:
    """The figure of the quote the question asks for, when the given one is not it."""
    unit = asked_unit(question)
    if unit and given.unit not in (None, unit):
        in_unit = [figure for figure in in_quote if figure.unit == unit]
        if len(in_unit) == 1:
            return in_unit[0]
    position = in_quote.index(given)
    after = in_quote[position + 1] if position + 1 < len(in_quote) else None
    before = in_quote[position - 1] if position > 0 else None
    if after is not None and after.role == "level" and after.start - given.end <= _PAIR_SPAN:
        if given.role == "change" and _ASKS_LEVEL.search(question):
            return after
        if given.role == "origin" and after.unit == given.unit and not _ASKS_EARLIER.search(question):
            return after  # "von 412,6 Mio. Euro im Jahr davor auf etwa 468 Mio. Euro": the new value
    if given.role == "level" and before is not None and before.role == "change" and _ASKS_CHANGE.search(question):
        return before if given.start - before.end <= _PAIR_SPAN else None
    return None


def _replace(claim: str, match: re.Match, given: Figure, wanted: Figure, quote: str) -> str:
    """The claim with ``wanted`` in place of the figure at ``match``: its number alone when the
    claim's words after it still fit (same unit, same scale), else the quote's words for it."""
    after = _after_scale(claim, match)
    unit_here = next((name for name, pattern in _UNIT.items() if pattern.match(claim, after)), None)
    same_scale = _scale(quote[given.start : given.end]) == _scale(quote[wanted.start : wanted.end])
    if same_scale and unit_here in (None, wanted.unit) and (unit_here or given.unit == wanted.unit):
        return claim[: match.start()] + wanted.number + claim[match.end() :]
    unit_match = _UNIT[unit_here].match(claim, after) if unit_here else None
    end = unit_match.end() if unit_match else match.end() + len(claim[match.end() : after].rstrip())
    return claim[: match.start()] + quote[wanted.start : wanted.end] + claim[end:]


def _after_scale(text: str, match: re.Match) -> int:
    """Where the words after a number begin, past its scale ("468 Mio. Euro": at "Euro")."""
    tail = _TAIL.match(text, match.end())
    return tail.end() if tail else match.end()


def _scale(text: str) -> str:
    """The scale word of a figure, normalised ("Millionen" and "million" alike), or ""."""
    found = re.search(rf"(?<!\w){SCALE}(?!\w)", text, re.IGNORECASE)
    return _SCALE_NAMES.get(found.group().lower().rstrip(".s"), "") if found else ""


def _unit_before(before: str) -> str | None:
    """A currency sign right before a figure: "$2bn", "£4.6m"."""
    return {"$": "dollar", "£": "pound", "€": "euro"}.get(before.rstrip()[-1:])
