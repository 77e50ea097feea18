"""Dates reach the answer: sources newest first with their dates, the present asked for gets the
newest article, and answers can be limited to a span of days."""

import pytest

from index import QuestionError
from index.dates import iso_day, short_label
from index.sentences import sentence_spans
from index.types import DayRange
from rag.turn import day_range
from rag.types import Passage

OLD = """---
title: Xiaomi eröffnet Online-Shop in den USA
date: 2015-03-02
---
Xiaomi eröffnet einen Online-Shop für Zubehör in den USA. Smartphones verkauft Xiaomi dort nicht.
"""
NEW = """---
title: Xiaomi dementiert Ford-Gerücht
date: 2026-01-20
---
Xiaomi verkauft seine Produkte und Dienstleistungen nicht in den Vereinigten Staaten.
"""
UNDATED = """---
title: Xiaomi baut Stores in Großbritannien
---
Xiaomi plant rund 150 neue Stores in Großbritannien, aber keine in den Vereinigten Staaten.
"""


OPEN = """---
title: Halvorsen zahlt Brückner aus
---
Die Reederei Halvorsen zahlte der Werft Brückner 2,35 Milliarden Euro.
Brückner durfte Halvorsen die übrigen Anteile zwischen März 2008 und Oktober 2012 verkaufen.
"""


@pytest.fixture
def dated(make_assistant, tmp_path):
    for name, text in (("old", OLD), ("new", NEW), ("undated", UNDATED), ("open", OPEN)):
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")

    def make(*replies):
        assistant = make_assistant(*replies)
        assistant.ingest(tmp_path)
        return assistant

    return make


def _strong_passages(qa, scores):
    """One passage per article, with the given similarity (the older article made the most similar)."""
    articles = {a.id: a for a in qa.articles()}
    passages = []
    for number, (article_id, score) in enumerate(scores.items(), start=1):
        article = articles[article_id]
        start, end = sentence_spans(article.text)[0]
        sentence = article.text[start:end]
        passages.append(
            Passage(
                number,
                article.id,
                article.title,
                sentence,
                start,
                start + len(sentence),
                score,
                article.date,
                article.firm_day,
            )
        )
    qa._search = lambda question, language, days: ([], articles)
    qa._select = lambda hits, found, question, copies: passages
    return passages


def test_disagreeing_sources_come_newest_first_each_with_its_date(dated):
    qa = dated("No [1].", "It opens an online shop for accessories [1].")
    _strong_passages(qa, {"old": 0.74, "new": 0.70})
    answer = qa.ask("Does Xiaomi sell its products in the United States?")
    first, second = (prompt[-1]["content"] for prompt in qa.backend.prompts)
    assert "Vereinigten Staaten" in first and "Online-Shop" in second  # the newest article is asked first
    assert answer.text == (
        "Newest, “Xiaomi dementiert Ford-Gerücht” (2026-01-20): No [1]. "
        "Earlier, “Xiaomi eröffnet Online-Shop in den USA” (2015-03-02): It opens an online shop for accessories [2]."
    )
    assert [(c.article_id, c.when) for c in answer.citations] == [
        ("new", "2026-01-20 (from the metadata)"),
        ("old", "2015-03-02 (from the metadata)"),
    ]


def test_an_undated_source_comes_last_and_says_so_in_german(dated):
    qa = dated("Nein [1].", "Ja [1].", "Nur in Großbritannien [1].")
    _strong_passages(qa, {"undated": 0.75, "old": 0.74, "new": 0.70})
    answer = qa.ask("Verkauft Xiaomi seine Produkte auch in den Vereinigten Staaten?")
    assert answer.text.startswith("Neuester Stand, „Xiaomi dementiert Ford-Gerücht“ (2026-01-20): Nein [1]. Früher, ")
    assert "Ohne Datum, „Xiaomi baut Stores in Großbritannien“: Nur in Großbritannien [3]." in answer.text


def test_a_question_about_now_gets_the_newest_article_that_answers(dated):
    qa = dated("No, it sells nothing there [1].", "It opens an online shop [1].")
    _strong_passages(qa, {"old": 0.74, "new": 0.70})
    answer = qa.ask("Does Xiaomi currently sell its products in the United States?")
    assert len(qa.backend.prompts) == 1  # the older article is not asked
    assert "Say exactly" not in qa.backend.prompts[0][-1]["content"]  # only the newest answer is shown
    assert answer.text == "Newest, “Xiaomi dementiert Ford-Gerücht” (2026-01-20): No, it sells nothing there [1]."
    assert [c.article_id for c in answer.citations] == ["new"]


def test_a_question_about_now_that_the_newest_article_cannot_answer_takes_the_next(dated):
    qa = dated("NOT FOUND", "It opens an online shop [1].")
    _strong_passages(qa, {"old": 0.74, "new": 0.70})
    answer = qa.ask("What does Xiaomi sell in the US now?")
    assert (
        answer.text
        == "According to “Xiaomi eröffnet Online-Shop in den USA” (2015-03-02): It opens an online shop [1]."
    )


def test_since_and_until_keep_only_the_articles_written_then(dated):
    qa = dated()
    question = "Verkauft Xiaomi Produkte in den USA?"
    assert {p.article_id for p in qa.retrieve(question)} >= {"new", "old"}
    assert {p.article_id for p in qa.retrieve(question, days=day_range(since="2026"))} == {"new"}
    assert {p.article_id for p in qa.retrieve(question, days=day_range(until="2015-12"))} == {"old", "open"}
    assert qa.retrieve(question, days=day_range("2016", "2025")) == []  # and the undated article is never in a range
    refusal = dated("150 [1]").ask("Wie viele Stores plant Xiaomi in Großbritannien?", since="2016", until="2025")
    assert refusal.refused and refusal.refusal == "nothing_relevant"


def test_passages_carry_their_articles_dates(dated):
    qa = dated()
    passages = qa.retrieve("Verkauft Xiaomi Produkte in den USA?")
    by_article = {p.article_id: (p.day, p.when) for p in passages}
    assert by_article["new"] == ("2026-01-20", "2026-01-20 (from the metadata)")
    assert by_article.get("undated", ("", "")) == ("", "")


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2026", None, DayRange("2026-01-01", "")),
        (None, "2026", DayRange("", "2026-12-31")),
        ("2024-02", "2024-02", DayRange("2024-02-01", "2024-02-29")),
        ("2026-01-15", " 2026-01-20 ", DayRange("2026-01-15", "2026-01-20")),
        ("", None, DayRange()),
    ],
)
def test_a_day_range_takes_days_months_and_years(since, until, expected):
    assert day_range(since, until) == expected


@pytest.mark.parametrize(
    ("since", "until"), [("yesterday", None), ("2026-13", None), (None, "2026-02-30"), ("2026", "2025")]
)
def test_a_bad_day_range_is_a_clear_error(since, until):
    with pytest.raises(QuestionError, match="date|after"):
        day_range(since, until)


def test_metadata_dates_become_iso_days_and_answers_name_dates_in_their_language():
    assert iso_day("Tue, 20 Jan 2026 08:00:00 +0100") == "2026-01-20"
    assert iso_day("2026-01-20T08:00:00Z") == iso_day("20.01.2026") == "2026-01-20"
    assert iso_day("soon") == ""
    assert short_label("text", None, "2026-01-01", "2026-03-24", "de") == "etwa Jan. 2026"
    assert short_label("text", None, "2014-04-01", "", "en") == "Apr 2014 or later"
    assert DayRange("2026-01-01", "").holds("2026-01-20") and not DayRange("2026-01-01", "").holds("")


def test_only_a_yes_or_no_question_asks_each_article_to_say_exactly_what_it_states(dated):
    qa = dated("Nothing [1].", "An online shop [1].", "No [1].", "Yes [1].")
    _strong_passages(qa, {"old": 0.74, "new": 0.70})
    qa.ask("What does Xiaomi sell in the United States?")
    qa.ask("Verkauft Xiaomi seine Produkte auch in den Vereinigten Staaten?")
    told = ["Say exactly what the passages state." in prompt[-1]["content"] for prompt in qa.backend.prompts]
    assert told == [False, False, True, True]


def test_an_open_range_from_the_text_neither_orders_nor_labels_a_source(dated):
    qa = dated("It opens an online shop [1].", "It pays 2.35 billion euros [1].")
    articles = {a.id: a for a in qa.articles()}
    assert articles["open"].when == "Oct 2012 or later (from the text)" and articles["open"].firm_day == ""
    _strong_passages(qa, {"open": 0.75, "old": 0.70})
    answer = qa.ask("What did Halvorsen and Xiaomi pay or open?")
    assert answer.text == (
        "According to “Xiaomi eröffnet Online-Shop in den USA” (2015-03-02): It opens an online shop [1]. "
        "According to “Halvorsen zahlt Brückner aus”: It pays 2.35 billion euros [2]."
    )


def test_a_german_question_with_a_w_word_anywhere_is_no_yes_or_no_question():
    from rag.reading import asks_yes_or_no

    assert not asks_yes_or_no("Wann und gegen wen spielte der FC St. Ulrichsberg zuletzt im Landespokal?", "de")
    assert asks_yes_or_no("Verkauft Xiaomi seine Produkte in den USA?", "de")
    assert asks_yes_or_no("Does Xiaomi sell phones? Answer briefly.", "en")  # the asking sentence counts
    assert asks_yes_or_no("Please answer briefly. Does Xiaomi sell phones?", "en")
