"""Does the answer have the kind of value the question asks for?

A question for an amount of money (revenue, price, valuation, profit) is answered only by a
sum of money: when neither the answer nor the sentences it cites name a currency, the model
has taken another figure for it (asked for Xiaomi's revenue in Germany, a small model gives
the number of smartphones it sold), and the answer is a refusal. Questions for a share or a
change ("by how much", "what margin", "Prozent") are not money questions.

A question that asks for no time is not answered by a time alone: asked from which air base
two jets flew, "Am Montag" is the day of the sentence, not its answer.
"""

from __future__ import annotations

import re

_MONEY = (
    r"revenue|revenues|turnover|price|cost|costs|valuation|profit|profits|loss|losses|earnings|income|ebitda|ebit|"
    r"(?:operating|net|financial|pre-tax) result|"
    r"\w*umsatz|\w*umsätze|\w*umsätzen|\w*preis|\w*preise|kostet|\w*kosten|bewertung|\w*gewinn|\w*gewinne|"
    r"\w*verlust|\w*verluste|\w*erlös|\w*erlöse|(?:betriebs|finanz|netto|konzern|jahres|vorsteuer|quartals)ergebnis"
)  # German nouns with what they compound with: "Konzerngewinn", "Stückpreis", "Betriebsergebnis"
_MONEY_NOUN = re.compile(rf"\b({_MONEY})\b", re.IGNORECASE)
# with a money noun
_HOW_MUCH = re.compile(r"\b(how much|how high|how large|how big|wie hoch|wie groß|wie viel\w*)\b", re.IGNORECASE)
_MONEY_ASKED = re.compile(
    rf"\b(what|which|welche[nrms]?)\s+(\w+\s+)?({_MONEY})\b"  # "At what total valuation ..."
    rf"|\b(what|was)\s+(is|was|were|are|war|waren|ist|sind)\b[^?]*\b({_MONEY})\b"  # "What was the share price"
    r"|\b(how expensive|wie teuer|was kostet|was kosten)\b",
    re.IGNORECASE,
)
_SHARE_OR_CHANGE = re.compile(
    r"\b(percent|percentage|prozent|margin|marge|share of|anteil|grow|grew|growth|wachstum|"
    r"by how much|um wie viel|rise|rose|fall|fell|increase|decrease|steigen|stieg|sinken|sank)\w*",
    re.IGNORECASE,
)
_CURRENCY = re.compile(
    r"[$€£¥]|\b(dollars?|us-dollar|euros?|eur|usd|yuan|renminbi|rmb|pounds?|pfund|yen|franken|francs?|cents?)\b",
    re.IGNORECASE,
)


def asks_for_money(question: str) -> bool:
    """Whether the question asks for an amount of money."""
    asked = (_HOW_MUCH.search(question) and _MONEY_NOUN.search(question)) or _MONEY_ASKED.search(question)
    return bool(asked) and not _SHARE_OR_CHANGE.search(question)


def names_money(text: str) -> bool:
    """Whether a text names a currency."""
    return bool(_CURRENCY.search(text))


_ASKS_TIME = re.compile(
    r"\b(when|how long|until|since|date|day|days|week|weeks|month|months|year|years|time|"
    r"wann|wie lange|bis|seit|datum|tag|tage|tagen|woche|wochen|monat|monate|monaten|jahr|jahre|jahren|uhr)\b",
    re.IGNORECASE,
)
_TIME_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight weekend
    morning afternoon evening night week month year january february march april may june july august
    september october november december
    montag dienstag mittwoch donnerstag freitag samstag sonntag heute gestern morgen vorgestern übermorgen
    wochenende vormittag nachmittag abend nacht woche monat jahr januar jänner februar märz april mai juni
    juli august september oktober november dezember
    """.split()
)
_FILLERS = frozenset("on at in the last next this of am im vom letzten vergangenen kommenden nächsten diesen".split())


def only_a_time(question: str, claims: str) -> bool:
    """Whether the claims give nothing but a time ("Am Montag") to a question that asks for none."""
    words = re.findall(r"[^\W\d_]+|\d+", claims.casefold())
    if not words or _ASKS_TIME.search(question):
        return False
    kept = [word for word in words if word not in _FILLERS]
    return (
        bool(kept)
        and all(word in _TIME_WORDS or (word.isdigit() and len(word) <= 4) for word in kept)
        and any(word in _TIME_WORDS for word in kept)
    )
