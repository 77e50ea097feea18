"""Does the answer have the kind of value the question asks for?

A question for an amount of money (revenue, price, valuation, profit) is answered only by a
sum of money: when neither the answer nor the sentences it cites name a currency, the model
has taken another figure for it (asked for Xiaomi's revenue in Germany, a small model gives
the number of smartphones it sold), and the answer is a refusal. Questions for a share or a
change ("by how much", "what margin", "Prozent") are not money questions.
"""

from __future__ import annotations

import re

_MONEY_NOUN = re.compile(
    r"\b(revenue|turnover|price|cost|costs|valuation|profit|profits|"
    r"umsatz|umsätze|umsätzen|preis|preise|kostet|kosten|bewertung|gewinn|gewinne)\b",
    re.IGNORECASE,
)
_MONEY = _MONEY_NOUN.pattern[2:-2]  # the nouns alone, to build the patterns that ask for them
_HOW_MUCH = re.compile(r"\b(how much|how high|wie hoch|wie viel\w*)\b", re.IGNORECASE)  # with a money noun
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
