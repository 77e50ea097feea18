"""What a question pins down, and whether the cited articles speak of it.

"How many branches will the bakery open in Hamburg?" asks about Hamburg; an article about
Bremen does not answer it, however well its figure fits. A small model answers such questions
with the figure it has, so the question's constraints are checked against the articles the
answer cites: its years, its other numbers, and its names (people, places, companies).

Names are found by their capitals: in an English question every capitalised word after the
first; in a German question, where every noun is capitalised, only runs of two or more
capitalised words ("Tiroler Seilbahnwerke Holding"), acronyms and words with digits ("KX-40"),
and known places ("Vorarlberg"). A name is found in an article when one of its words begins
with all but the name's last three letters (at least five), accents and case aside, or
with the same letters but one ("Dragutinović" meets "Dragutinovic", "Croatian" meets
"kroatisch", "steirisch" does not meet "Steiner"). Places that German and English name
differently ("Styria" and "Steiermark", "Hungarian" and "Ungarn") are matched through
``rag.places``.

Only the sentences that ask (those ending in "?") pin anything down, when there are such:
in "How many stores ...? After answering, also name the capital of France." the instruction
is data, and France is no constraint of the question (what the model draws from it is
dropped by ``rag.answer.support``).

A question that asks who holds a role ("What is the name of Xiaomi's CEO?") needs a cited
article that speaks of that role in any of its English or German words (``rag.roles``).

What it leaves out: events and periods ("the men's race", "the second leg", "net profit"):
those need reading, not matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from index.lexicon import MONTH_NAMES, WEEKDAYS, YEAR
from rag.numbers import NUMBER, numbers_in, readings
from rag.places import fold, place_forms
from rag.roles import asked_roles, role_mentioned

_STEM = 5  # letters of a name that a word of the article must begin with, at least ...
_ENDING = 3  # ... and all but this many of a longer word: "steirisch" must not meet "Steiner"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_][\w\-'’.]*[^\W_]|[^\W_]", re.UNICODE)
# Capitalised words that are not names: question words, pronouns, titles, weekdays and months
# (dates are not checked here), and the few English words written with a capital.
_NOT_NAME_WORDS = """
    a an the and or of in on at to for by with from how what which who whom whose when where why
    is are was were did does do has have had will would can could should may might i my we our you
    your he his she her it its they their this that these those there mr mrs ms dr prof sir st
    wie was welche welcher welches welchen welchem wer wen wem wessen wann wo woher wohin warum
    wieviel wie viele der die das den dem des ein eine einen einem einer im am vom zum zur und oder
    ist sind war waren hat haben hatte hatten wird werden wurde wurden herr frau
    ceo cfo coo cto ipo gdp mp mps pm ev ai tv pc vat gmt utc ngo
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split()) | WEEKDAYS | MONTH_NAMES


@dataclass(frozen=True)
class Constraint:
    kind: str  # "year", "number", "name" or "role"
    text: str  # as the question writes it


def constraints(question: str, language: str) -> list[Constraint]:
    """The years, numbers and names a question pins down."""
    question = asked_part(question)
    found = [Constraint("year", match.group()) for match in YEAR.finditer(question)]
    years = {c.text for c in found}
    for match in NUMBER.finditer(question):
        if match.group() not in years and not _inside_name(question, match.start()):
            found.append(Constraint("number", match.group()))
    found += [Constraint("name", name) for name in name_runs(question, language)]
    found += [Constraint("role", word) for word in asked_roles(question)]
    return found


def asked_part(question: str) -> str:
    """The question's sentences that end in a question mark, or the whole question when none does."""
    asking = [sentence for sentence in _SENTENCE_END.split(question.strip()) if sentence.endswith("?")]
    return " ".join(asking) if asking else question


def unmet(
    question: str, language: str, cited: Iterable[str], *, same_language: bool, others: Iterable[str] = ()
) -> list[Constraint]:
    """The question's constraints that none of the ``cited`` article texts mentions.

    A name of several words counts as mentioned when most of its words are; across languages,
    when one of them is ("Burgess Shale" is the "Burgess-Schiefer"), unless one of the
    ``others`` (articles read but not cited) has the whole name: then it is no translation, and
    the cited articles are about something else.
    """
    text = " ".join(cited)
    words = _folded_words(text)
    numbers = numbers_in(text)
    other_text = " ".join(others)
    other_words = _folded_words(other_text)
    missing = []
    for constraint in constraints(question, language):
        if constraint.kind in ("year", "number"):
            found = bool(readings(constraint.text) & numbers)
        elif constraint.kind == "role":
            found = role_mentioned(constraint.text, words)
        else:
            strict = same_language or _name_found(constraint.text, other_words, other_text, share=0.99)
            found = _name_found(constraint.text, words, text, share=0.5 if strict else 0.0)
        if not found:
            missing.append(constraint)
    return missing


def name_runs(text: str, language: str, *, skip_first: bool = True) -> list[str]:
    """The names in a text: runs of capitalised words that are not question words or titles.

    With ``skip_first`` (a question) the first word of each of its sentences is never a name
    ("After answering, ..."); otherwise (an
    answer) a single capitalised word that opens a sentence is not taken for one ("Four years").
    In German, where every noun is capitalised, only runs of several words, acronyms, words
    with digits and known places count.
    """
    runs: list[list] = []  # [start, end, words, opens a sentence]
    previous_end = -1
    for index, match in enumerate(_WORD.finditer(text)):
        word = re.sub(r"['’]s$|(?<=[A-Z]{2})s$", "", match.group()).rstrip(".'’")  # "Xiaomi's", "EVs"
        if word == "of" and previous_end >= 0 and text[previous_end : match.start()].strip() == "":
            continue  # "Charter of Human Rights" is one name
        opens_sentence = index == 0 or text[: match.start()].rstrip()[-1:] in (".", "!", "?")
        if (opens_sentence and skip_first) or not _is_capitalised(word) or word.casefold() in _NOT_NAMES:
            previous_end = -1
            continue
        if previous_end >= 0 and text[previous_end : match.start()].strip() in ("", "-", "of"):
            runs[-1][1:3] = [match.start() + len(word), runs[-1][2] + [word]]
        else:
            opens = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?:;"
            runs.append([match.start(), match.start() + len(word), [word], opens])
        previous_end = match.end()
    names = []
    for start, end, words, opens in runs:
        name = text[start:end]
        if len(words) == 1 and opens and not skip_first and not _looks_like_name(name):
            continue
        if language != "de" or len(words) > 1 or _looks_like_name(words[0]) or place_forms(name):
            names.append(name)
    return names


def name_supported(name: str, text: str, *, share: float = 0.5) -> bool:
    """Whether ``text`` names ``name``: a known place in any of its forms, or more than ``share``
    of its words."""
    return _name_found(name, _folded_words(text), text, share=share)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and any(ch.isupper() for ch in word))


def _looks_like_name(word: str) -> bool:
    """A German capitalised word that is no ordinary noun: an acronym or a word with digits."""
    letters = [ch for ch in word if ch.isalpha()]
    return any(ch.isdigit() for ch in word) or (len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 2)


def _inside_name(question: str, position: int) -> bool:
    """Whether a number is part of a name such as "KX-40" or "Heliotron 3-K" (checked as the name)."""
    return question[max(0, position - 1) : position] == "-" or bool(re.match(r"\d+-[A-Za-z]", question[position:]))


def _name_found(name: str, words: set[str], text: str, *, share: float) -> bool:
    """Whether the text names it: a known place in any of its forms, or more than ``share`` of
    the name's capitalised words ("Olympique Saint-Verlaine" is found in "Olympique St. Verlaine")."""
    if _place_found(name, words):
        return True
    parts = [part for part in re.findall(r"\w+", name) if _is_capitalised(part) and part.casefold() not in _NOT_NAMES]
    found = sum(_place_found(part, words) or _word_found(part, words) or _acronym_found(part, text) for part in parts)
    return not parts or (found > 0 and found > share * len(parts))


def _place_found(name: str, words: set[str]) -> bool:
    """Whether the words hold one of the place's forms; a short form ("EU", "UK") only as a word
    of its own: for a name's short words any text would do (``_word_found``), not for a place."""
    return any(
        all(_word_found(part, words) if len(part) > 2 else fold(part) in words for part in re.findall(r"\w+", form))
        for form in place_forms(name)
    )


def _word_found(word: str, words: set[str]) -> bool:
    folded = fold(word)
    if len(folded) < 3 or folded.isdigit():
        return True  # "Di", "St": too short to tell anything
    size = max(_STEM, len(folded) - _ENDING)
    stem = folded[:size]
    if any(candidate.startswith(stem) for candidate in words):
        return True
    head = folded[: size + 1]  # one letter off: "Croatian" and "kroatisch", "ARPNET" and "ARPANET"
    return len(folded) > size and any(
        _one_edit_apart(head, candidate[:length]) for candidate in words for length in (size, size + 1, size + 2)
    )


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1 or not b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _acronym_found(word: str, text: str) -> bool:
    """An acronym ("OSV") that the article spells out ("Olympique Saint Verlaine")."""
    if not (2 <= len(word) <= 5 and word.isupper()):
        return False
    initials = "".join(part[0] for part in re.findall(r"\b[A-ZÄÖÜ][\w]*", text))
    return word in initials


def _folded_words(text: str) -> set[str]:
    return {fold(word) for word in re.findall(r"\w+", text)}
