"""Whose figure is it: the clause that holds the answer's figure must speak of what was asked.

"How many trams has Linz ordered?" is not answered by "Graz has ordered 40 trams, and Linz is
also interested": the sentence names Linz, but the clause with 40 is about Graz. A figure's
clause (``rag.answer.clauses``) that names another entity (a company, place, person or team the question does not
name) and none of the question's own is another entity's figure. A clause that names nothing
("it rose to 40") is taken to speak of the sentence's subject and passes.

And news has datelines: "Hamburg/Kiel – Auf einem Flugplatz ..." is where the story
was filed, not where anything in it happened; an answer that is only the dateline of the
sentence it cites answers nothing.

What it leaves out: answers without a figure (names are checked by ``rag.constraints``), and
entities named only by a pronoun or a common noun ("the club", "die Stadt").
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from index.language import detect_language
from index.lexicon import SCALE
from rag.answer.clauses import clauses_holding
from rag.answer.quantities import kind_of
from rag.constraints import asked_part, name_runs, name_supported
from rag.numbers import numbers_in
from rag.places import is_demonym, place_forms
from rag.types import Citation

_DATELINE = re.compile(r"^\s*([A-ZÄÖÜ][^\s–—]*(?:[ /][A-ZÄÖÜ][^\s–—]*){0,3})\s*(?:\([^)]{1,40}\))?\s+[–—-]\s+")
_FILLERS = frozenset("in aus from at im am the der die das".split())


def figure_of_another(
    question: str, language: str, claims: str, citations: Sequence[Citation], languages: Mapping[str, str]
) -> str:
    """ "the figure is about X" when every cited clause holding the answer's figures names
    another entity and none the question names; "" otherwise. ``languages``: each cited
    article's language (a short sentence alone is easily read as another)."""
    asked = name_runs(asked_part(question), language)
    values = numbers_in(claims)
    if not asked or not values:
        return ""
    others: list[str] = []
    for citation in citations:
        quote_language = languages.get(citation.article_id) or detect_language(citation.quote)
        for clause in clauses_holding(citation.quote, values):
            names = [name for name in _names(clause, quote_language) if _is_entity(name, quote_language)]
            same = quote_language == language
            if any(_mentions(clause, name, share=0.5 if same else 0.0) for name in asked):
                return ""  # a clause of the figure speaks of what was asked
            other = [name for name in names if not name_supported(name, question, share=0.0)]
            if not other:
                return ""  # it names nothing else: the sentence's subject
            others += other
    return f"the figure is about {', '.join(dict.fromkeys(others))}" if others else ""


def _mentions(clause: str, name: str, *, share: float) -> bool:
    """Whether the clause names it, by its words of three letters or more ("Kestwick" of
    "Kestwick 9-B": "9" and "B" alone would be found in any text)."""
    words = [word for word in re.findall(r"\w+", name) if len(word) >= 3 and not word.isdigit()]
    return name_supported(" ".join(words) if words else name, clause, share=share)


def _names(clause: str, language: str) -> list[str]:
    """The names of a clause; an English clause may open with one ("Graz has ordered ..."), a
    German one opens with any noun."""
    return name_runs(f"x {clause.strip()}", language) if language != "de" else name_runs(clause, language)


def _is_entity(name: str, language: str) -> bool:
    """Whether a name found in a clause names an entity: not a people or country adjective
    ("the 58-year-old Swede" is the person the sentence is about), and in German no compound
    noun ("Vereins-Kapitän", though it has two capitals)."""
    if is_demonym(name) or all(_is_unit(word) for word in name.split()):
        return False  # "Milliarde Yuan" is a figure's unit
    if language != "de" or " " in name:
        return True
    return bool(re.search(r"[A-ZÄÖÜ]{2}|\d", name)) or bool(place_forms(name))


def _is_unit(word: str) -> bool:
    return kind_of(word) != "count" or bool(re.fullmatch(SCALE, word, re.IGNORECASE))


def only_a_dateline(claims: str, citations: Sequence[Citation]) -> bool:
    """Whether the answer is nothing but the dateline that opens its cited sentence."""
    words = [word for word in re.findall(r"\w+", claims.casefold()) if word not in _FILLERS]
    for citation in citations:
        dateline = _DATELINE.match(citation.quote)
        if words and dateline and set(words) <= set(re.findall(r"\w+", dateline.group(1).casefold())):
            return True
    return False
