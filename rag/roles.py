"""The role a "who" question asks about, and whether an article speaks of anyone in it.

"What is the name of Xiaomi's CEO?" asks for whoever holds a role. An article that names only
a co-founder does not answer it, and a small model answers with the co-founder anyway. So a
question that asks who holds a role needs a cited article that mentions the role, in English
or German, in any of its usual words: a chief executive is also a "boss", a "Vorstandschef"
or a "Vorsitzender"; a football coach is also a "manager" or a "Trainer".

The families are broad on purpose: the check is there to catch an answer about someone else
entirely, not to tell a chairman from a chief executive (that needs reading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.places import fold


@dataclass(frozen=True)
class RoleFamily:
    name: str
    words: frozenset[str]  # English words, whole (folded)
    parts: tuple[str, ...]  # parts of German words and compounds (folded): "Konzernchef"


def _family(name: str, words: str, parts: str) -> RoleFamily:
    return RoleFamily(name, frozenset(words.split()), tuple(parts.split()))


FAMILIES = (
    _family(
        "leader",
        "ceo ceos chief chiefs boss bosses head heads headed chair chairs chaired chairman chairwoman"
        " chairperson president presidents leader leaders director directors executive executives",
        "chef vorsitz vorstand leiter direktor prasident geschaftsfuhr",
    ),
    _family("founder", "founder founders cofounder cofounders founded", "grunder gegrundet grundete"),
    _family("coach", "coach coaches manager managers boss", "trainer coach"),
    _family("mayor", "mayor mayors", "burgermeister"),
    _family(
        "government",
        "minister ministers premier chancellor secretary president governor",
        "minister kanzler regierungschef prasident gouverneur landeshauptm",
    ),
    _family("spokesperson", "spokesperson spokesman spokeswoman", "sprecher"),
    _family("captain", "captain skipper", "kapitan"),
)

_ASKS_WHO = re.compile(
    r"^\s*(who|whom|whose|wer|wen|wem|wessen)\b|\bname of\b|\bnamed?\b|\bcalled\b|\bwie hei(ß|ss)t\b|\bwie hie(ß|ss)\b",
    re.IGNORECASE,
)


def asked_roles(question: str) -> list[str]:
    """The words with which a question asks who holds a role: "Who is Brandvik's chief executive?"
    asks for "chief". Questions that ask something else ("How old is coach X?") ask for none."""
    if not _ASKS_WHO.search(question):
        return []
    return [word for word in dict.fromkeys(re.findall(r"\w+", question)) if _families(fold(word))]


def role_mentioned(role: str, folded_words: set[str]) -> bool:
    """Whether a text, given as its folded words, speaks of anyone in a role of a family the
    word ``role`` belongs to (a "president" may lead a company or a country)."""
    families = _families(fold(role))
    return any(_in_family(word, family) for word in folded_words for family in families)


def _families(folded: str) -> list[RoleFamily]:
    return [family for family in FAMILIES if _in_family(folded, family)]


def _in_family(folded: str, family: RoleFamily) -> bool:
    return folded in family.words or any(part in folded for part in family.parts)
