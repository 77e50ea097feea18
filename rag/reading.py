"""How the passages are put to the model: in one call, or in one call per strong article.

Sources that disagree: when two or more articles each hold a passage nearly as relevant as the
best one, each article is asked on its own and the replies are shown one after the other, each
labelled with its article (one says Xiaomi sells nothing in the US, another that it opens a US
shop; asked once, a small model gives one side). News is about time, so the articles come newest
first, each with its date (the metadata's, or a closed range inferred from the text: an open one,
"Jul 2009 or later", is a bound, not a date), and the others last;
a question about the present ("now", "currently", "aktuell") takes the newest article that
answers. A yes/no question is put to each article with "Say exactly what the passages state":
asked alone, the model echoed the question ("Yes, Xiaomi will sell its products in the United
States") where the article says only that an online shop for accessories opens. (Added to every
question, it cost two of news-dev's two-article questions, "which carmaker ... and which
newspaper ...", one answered with a time for a date and one refused. Added to a question about
now, it turned the newest article's "No" into "Yes, Xiaomi currently sells ...": that question
is put as asked.)

(Questions that ask two things were also split into two calls, one per part, each with the
sentences that fit it best. On news-dev it changed no item's result and cost a second call
for such questions, so it was dropped; the per-article calls already give a two-article
question both articles' facts.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping, Sequence

from index.types import Article
from rag.citations import MARKER
from rag.constraints import asked_part
from rag.passages import best_score_per_article
from rag.types import Answer, Passage

SEPARATE_MIN_SCORE = 0.55  # an article is asked on its own when its best passage reaches this...
SEPARATE_MARGIN = 0.15  # ...and is within this of the best passage overall
ON_ITS_OWN = " Say exactly what the passages state."  # added to a yes/no question in each article's own call

ACCORDING_TO = {"en": "According to “{title}”{date}: {reply}", "de": "Laut „{title}“{date}: {reply}"}
BY_DATE = {
    "en": {"newest": "Newest, “{title}”{date}: {reply}", "earlier": "Earlier, “{title}”{date}: {reply}",
           "undated": "Undated, “{title}”: {reply}"},
    "de": {"newest": "Neuester Stand, „{title}“{date}: {reply}", "earlier": "Früher, „{title}“{date}: {reply}",
           "undated": "Ohne Datum, „{title}“: {reply}"},
}  # fmt: skip
_NOW = re.compile(
    r"\b(?:now|currently|current|latest|most recent|nowadays|these days|still|aktuell\w*|derzeit\w*|zurzeit"
    r"|jetzt\w*|momentan\w*|neueste\w*|mittlerweile|inzwischen)\b",
    re.IGNORECASE,
)


_AUXILIARY = re.compile(
    r"(?:does|do|did|is|are|was|were|can|could|will|would|has|have|had|should|may|might|must)\b", re.IGNORECASE
)
_W_WORD = re.compile(
    r"\b(?:wer|wen|wem|wessen|was|wann|wo|woher|wohin|wie|wieso|weshalb|warum|welch\w*|wozu|wodurch|womit|wofür"
    r"|worüber|worauf|woran|wovon|worin)\b",
    re.IGNORECASE,
)


def asks_yes_or_no(question: str, language: str) -> bool:
    """Whether the question wants a yes or a no: "Does Xiaomi sell ...?", "Verkauft Xiaomi ...?"."""
    if language == "de":  # a W-word anywhere: "St. Ulrichsberg" must not split "Wann ... St. Ulrichsberg ...?"
        return not _W_WORD.search(question)
    return bool(_AUXILIARY.match(asked_part(question).strip()))


def on_its_own(question: str, language: str) -> str:
    """The question as one article among several is asked it."""
    return question + ON_ITS_OWN if asks_yes_or_no(question, language) else question


def asks_about_now(question: str) -> bool:
    """Whether the question asks how things stand now: "now", "currently", "latest", "aktuell"."""
    return bool(_NOW.search(asked_part(question)))


def article_groups(passages: Sequence[Passage]) -> list[list[Passage]]:
    """The passages to answer from, one group per article when several articles are strong
    (the newest first, undated ones last), else all together."""
    best = best_score_per_article(passages)
    top = max(best.values(), default=0.0)
    strong = [aid for aid, score in best.items() if score >= max(SEPARATE_MIN_SCORE, top - SEPARATE_MARGIN)]
    if len(strong) < 2:
        return [list(passages)] if passages else []
    day = {passage.article_id: passage.day for passage in passages}
    strong.sort(key=lambda aid: -best[aid])
    strong.sort(key=lambda aid: day[aid], reverse=True)  # stable: equal days keep the score order
    strong.sort(key=lambda aid: not day[aid])  # undated last
    return [[passage for passage in passages if passage.article_id == aid] for aid in strong]


def local(passages: Sequence[Passage]) -> list[Passage]:
    """Passages numbered from [1], as one call shows them."""
    return [replace(passage, number=i) for i, passage in enumerate(passages, start=1)]


def global_markers(reply: str, passages: Sequence[Passage]) -> str:
    """A reply with its local markers [1], [2] turned back into the passages' own numbers."""

    def renumber(match: re.Match) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        shown = [str(passages[n - 1].number) for n in numbers if 1 <= n <= len(passages)]
        return " [" + ", ".join(shown) + "]" if shown else ""

    return MARKER.sub(renumber, reply)


def labelled(
    answer: Answer, groups: Sequence[Sequence[Passage]], articles: Mapping[str, Article], language: str
) -> Answer:
    """An answer from several articles' replies (newest first), one paragraph each, each labelled
    with its article and date: "Newest, “…” (about Jan 2026): No [1]. Earlier, …" when two or more
    are dated, else "According to “…” (2015-03-02): …". The labels are added after the citations
    are resolved: a title's words and numbers ("GM pays $2bn ...") would otherwise count as the
    claim's own."""
    paragraphs = answer.text.split("\n\n")
    cited = _cited_groups(paragraphs, groups, answer)
    if cited is None:
        return answer
    dates = [articles[group[0].article_id].date_label(language) for group in cited]
    by_date = BY_DATE.get(language, BY_DATE["en"])
    according_to = ACCORDING_TO.get(language, ACCORDING_TO["en"])
    kinds = ["newest" if i == 0 else "earlier" if date else "undated" for i, date in enumerate(dates)]
    templates = [by_date[kind] for kind in kinds] if sum(map(bool, dates)) >= 2 else [according_to] * len(cited)
    text = " ".join(
        template.format(title=group[0].title, date=f" ({date})" if date else "", reply=paragraph)
        for template, group, date, paragraph in zip(templates, cited, dates, paragraphs)
    )
    return replace(answer, text=text)


def _cited_groups(
    paragraphs: Sequence[str], groups: Sequence[Sequence[Passage]], answer: Answer
) -> list[Sequence[Passage]] | None:
    """The group each paragraph comes from, by the article its markers cite (a reply may have
    been dropped whole by the checks); None when one cites none of them."""
    group_of = {group[0].article_id: group for group in groups}
    article_of = {citation.number: citation.article_id for citation in answer.citations}
    found = []
    for paragraph in paragraphs:
        cited = [article_of.get(int(n)) for marker in MARKER.finditer(paragraph) for n in re.findall(r"\d+", marker[0])]
        group = next((group_of[aid] for aid in cited if aid in group_of), None)
        if group is None:
            return None
        found.append(group)
    return found


def newest(answer: Answer, group: Sequence[Passage], articles: Mapping[str, Article], language: str) -> Answer:
    """The newest article's answer to a question about the present, labelled as the newest."""
    date = articles[group[0].article_id].date_label(language)
    template = BY_DATE.get(language, BY_DATE["en"])["newest"]
    return replace(answer, text=template.format(title=group[0].title, date=f" ({date})", reply=answer.text))
