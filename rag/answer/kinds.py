"""The kind of answer a question asks for, against the kind the answer gives.

"What share of the voters turned out?" asks for a share; "1.2 million" is a count. "How long
will the bridge be?" asks for a length; "2019" is a year. "How expensive was the rebuild?"
asks for a sum of money; "35 percent" is a share. A small model reaches for the figure it has,
so the answer's figures are read with what they measure (``rag.answer.quantities``: the unit or
currency after them, in the answer or, when the answer drops it, at the same figure in the
sentence it cites) and compared with what the question asks:

    money      how much ... cost / revenue / profit, how expensive, wie teuer, was kostet
    share      what share / percentage / proportion / rate, wie viel Prozent, welcher Anteil
    date       when, since / until when, in which year, wann, seit wann, in welchem Jahr
    measure    how long / tall / far / fast / heavy / deep / wide, wie lang / hoch / weit / schnell;
               or a unit the question names ("in kilometres", "how many megawatts")
    count      how many / wie viele NOUN (a NOUN that is a unit asks for that unit's measure)
    person     who / wer

A figure of another kind is a mismatch, and so is an answer of nothing but a time to a
question that asks for no time (asked from which airfield two gliders flew, "Am Montag" is the
day of the sentence, not its answer). When the question's kind is unclear ("How high is
the damage?"), nothing is checked: the check refuses only what it can tell is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexicon import MONTH_NAMES, WEEKDAYS
from rag.answer.quantities import named_units, quantities, states_share

_MONEY_NOUNS = (
    r"revenue|revenues|turnover|price|cost|costs|valuation|profit|profits|loss|losses|earnings|income|ebitda|ebit|"
    r"salary|wage|wages|fee|fees|budget|debt|debts|fine|fines|invest\w*|sales|pay|paid|dividend\w*|kostete\w*|"
    r"\w*zahlt\w*|\w*dividende\w*|investier\w*|"
    r"(?:operating|net|financial|pre-tax) result|"
    r"\w*umsatz|\w*umsätze|\w*umsätzen|\w*preis|\w*preise|kostet|\w*kosten|bewertung|\w*gewinn|\w*gewinne|"
    r"\w*verlust|\w*verluste|\w*erlös|\w*erlöse|(?:betriebs|finanz|netto|konzern|jahres|vorsteuer|quartals)ergebnis|"
    r"\w*gehalt|\w*gebühr|\w*gebühren|\w*budget|\w*schulden|\w*strafe|\w*investition\w*"
)  # German nouns with what they compound with: "Konzerngewinn", "Stückpreis", "Betriebsergebnis"
_MONEY_NOUN = re.compile(rf"\b({_MONEY_NOUNS})\b", re.IGNORECASE)
_HOW_MUCH = re.compile(r"\b(how much|how high|how large|how big|wie hoch|wie groß|wie viel\w*)\b", re.IGNORECASE)
_MONEY_ASKED = re.compile(
    rf"\b(what|which|welche[nrms]?)\s+(\w+\s+)?({_MONEY_NOUNS})\b"  # "At what total valuation ..."
    rf"|\b(what|was)\s+(is|was|were|are|war|waren|ist|sind)\b[^?]*\b({_MONEY_NOUNS})\b"  # "What was the share price"
    r"|\b(how expensive|wie teuer|was kostet|was kosten|how much money|wie viel geld)\b"
    rf"|\b(to what level|to what amount|auf welchen (?:wert|betrag|stand))\b[^?]*\b({_MONEY_NOUNS})\b",
    re.IGNORECASE,
)
_SHARE_ASKED = re.compile(
    r"\b(what|which|welche[nrms]?|wie (?:viel|hoch|groß)\w*)\s+(?:\w+\s+){0,3}?"
    r"(?<!per )(?<!je )(share|percentage|proportion|rate|margin|prozent\w*|anteil\w*|quote|marge)\b"
    r"|\b(how many|wie viele?)\s+(percent|per cent|prozent)\b|\bwhat per ?cent\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"\b(by how much|um wie viel\w*|grow|grew|growth|wachstum|rise|rose|fall|fell|increase|decrease|steigen|stieg|"
    r"sinken|sank|change|änder\w*)\b",
    re.IGNORECASE,
)
_LEVEL = re.compile(r"\b(to what level|to what amount|to how much|auf welchen (?:wert|betrag|stand))\b", re.IGNORECASE)
_DATE_ASKED = re.compile(
    r"^\s*(when|wann)\b|\b(since when|until when|seit wann|bis wann|ab wann|in (?:what|which) year|what year|"
    r"in welchem jahr|which year|what date|which day|on what day|an welchem tag|welches datum|in (?:what|which) month"
    r"|in welchem monat)\b",
    re.IGNORECASE,
)
# the adjective of "how long", "wie weit": the unit categories that answer it ("how high" and "how
# big" are left out: prices, damages and debts are high and big too)
_MEASURE_ADJECTIVES = {
    "long": {"length", "duration"}, "lang": {"length"}, "tall": {"length"}, "far": {"length"}, "weit": {"length"},
    "fast": {"speed"}, "schnell": {"speed"}, "heavy": {"mass"}, "schwer": {"mass"}, "deep": {"length"},
    "tief": {"length"}, "wide": {"length"}, "breit": {"length"},
}  # fmt: skip
_MEASURE_ASKED = re.compile(rf"\b(?:how|wie) ({'|'.join(_MEASURE_ADJECTIVES)})\b", re.IGNORECASE)
_DURATION_ASKED = re.compile(r"\b(for how long|how long did|how long has|how long will|wie lange)\b", re.IGNORECASE)
_COUNT_ASKED = re.compile(r"\b(how many|wie viele|wieviele)\s+([^\W\d_][\w-]*)", re.IGNORECASE)
_UNIT_CUE = re.compile(
    r"\b(?:in|into|per|pro|how many|wie viele|wieviele|welche[nrms]?)\s+(?:[^\W\d_]+\s+)?$", re.IGNORECASE
)  # "in British pounds", "how many megawatts"
_PERSON_ASKED = re.compile(r"^\s*(who|wer)\b", re.IGNORECASE)
_ASKS_TIME = re.compile(
    r"\b(when|how long|until|since|date|day|days|week|weeks|month|months|year|years|time|"
    r"wann|wie lange|bis|seit|datum|tag|tage|tagen|woche|wochen|monat|monate|monaten|jahr|jahre|jahren|uhr)\b",
    re.IGNORECASE,
)
_DAY_AND_PERIOD_WORDS = """
    today yesterday tomorrow tonight weekend morning afternoon evening night week month year
    heute gestern morgen vorgestern übermorgen wochenende vormittag nachmittag abend nacht woche monat jahr
"""
TIME_WORDS = frozenset(_DAY_AND_PERIOD_WORDS.split()) | WEEKDAYS | MONTH_NAMES
_FILLERS = frozenset("on at in the last next this of am im vom letzten vergangenen kommenden nächsten diesen".split())
_NON_MEASURES = frozenset({"money", "share", "year", "count"})


@dataclass(frozen=True)
class Asked:
    """What a question asks for: a kind, and for a measure the unit categories that answer it."""

    kind: str  # "money", "share", "date", "measure", "count", "person" or "" (not known)
    measures: frozenset[str] = frozenset()  # for "measure": "length", "speed", ... (empty: any)


def asked_kind(question: str) -> Asked:
    """The kind of answer a question asks for; ``Asked("")`` when it cannot tell."""
    if _SHARE_ASKED.search(question):
        return Asked("share")
    if _asks_money(question):
        return Asked("money")
    if _DATE_ASKED.search(question):
        return Asked("date")
    if unit := _unit_asked(question):
        return Asked("money" if unit == "money" else "share" if unit == "share" else "measure", frozenset({unit}))
    if _DURATION_ASKED.search(question):
        return Asked("measure", frozenset({"duration"}))
    if measure := _MEASURE_ASKED.search(question):
        return Asked("measure", frozenset(_MEASURE_ADJECTIVES[measure.group(1).casefold()]))
    if _COUNT_ASKED.search(question):
        return Asked("count")
    if _PERSON_ASKED.search(question):
        return Asked("person")
    return Asked("")


def _asks_money(question: str) -> bool:
    asked = (_HOW_MUCH.search(question) and _MONEY_NOUN.search(question)) or _MONEY_ASKED.search(question)
    return bool(asked) and (not _CHANGE.search(question) or bool(_LEVEL.search(question)))


def _unit_asked(question: str) -> str | None:
    """The category of the one unit the question asks in ("in kilometres", "how many euros",
    "in US dollars"); a period ("in the last two years") is no unit of the answer."""
    named = {kind for start, kind in named_units(question) if _UNIT_CUE.search(question[:start]) and kind != "duration"}
    return named.pop() if len(named) == 1 else None


def given_kinds(claims: str, quotes: str) -> list[str]:
    """What each figure of the claims measures: read in the claims, or, where the claims give a
    bare number, at the same number in the cited sentences."""
    in_quotes = quantities(quotes)
    kinds = []
    for quantity in quantities(claims):
        kind = quantity.kind
        if kind == "count" and not quantity.noun:
            same = [q.kind for q in in_quotes if q.number == quantity.number]
            kind = same[0] if len(set(same)) == 1 else kind
        kinds.append(kind)
    return kinds


def mismatch(asked: Asked, claims: str, quotes: str) -> str:
    """How the answer's figures fail what the question asks ("a share asked, a count given"),
    or "" when they do not (or when it cannot tell)."""
    kinds = given_kinds(claims, quotes)
    if not kinds:  # no figure in digits ("two million", "free", "a record fee"): it cannot tell
        return ""
    if asked.kind == "money":
        return "" if "money" in kinds or _names_currency(claims) else f"a sum of money asked, {_given(kinds)} given"
    if asked.kind == "share":
        return "" if "share" in kinds or states_share(claims) else f"a share asked, {_given(kinds)} given"
    if asked.kind == "date":
        wrong = all(kind in ("money", "share") or kind not in _NON_MEASURES | {"duration"} for kind in kinds)
        return f"a date asked, {_given(kinds)} given" if wrong else ""
    if asked.kind == "measure":
        fits = [k for k in kinds if k not in _NON_MEASURES and (not asked.measures or k in asked.measures)]
        wrong = all(k in ("money", "share", "year") or (k not in _NON_MEASURES and k not in fits) for k in kinds)
        return "" if fits or not wrong else f"{_measure(asked)} asked, {_given(kinds)} given"
    if asked.kind == "count":
        wrong = all(kind in ("money", "share", "year") for kind in kinds)
        return f"a count asked, {_given(kinds)} given" if wrong else ""
    return ""


def only_a_time(question: str, claims: str) -> bool:
    """Whether the claims give nothing but a time ("Am Montag") to a question that asks for none."""
    words = re.findall(r"[^\W\d_]+|\d+", claims.casefold())
    if not words or _ASKS_TIME.search(question):
        return False
    kept = [word for word in words if word not in _FILLERS]
    return (
        bool(kept)
        and all(word in TIME_WORDS or (word.isdigit() and len(word) <= 4) for word in kept)
        and any(word in TIME_WORDS for word in kept)
    )


def _names_currency(text: str) -> bool:
    return any(kind == "money" for _, kind in named_units(text))


def _given(kinds: list[str]) -> str:
    names = {"money": "a sum of money", "share": "a share", "year": "a year", "count": "a count"}
    return " and ".join(dict.fromkeys(names.get(kind, f"a {kind}") for kind in kinds))


def _measure(asked: Asked) -> str:
    return f"a {'/'.join(sorted(asked.measures))}" if asked.measures else "a measure"


__all__ = ["Asked", "asked_kind", "given_kinds", "mismatch", "only_a_time"]
