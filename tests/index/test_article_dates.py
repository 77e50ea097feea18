"""When an article was written: its metadata's date, else a range inferred from the dates it speaks of."""

from pathlib import Path

from index.articles import read_file
from index.dates import dating, describe

SAMPLES = Path(__file__).resolve().parents[2] / "articles"


def test_the_ford_article_is_dated_early_2026_from_its_text_with_the_sentence_that_says_so():
    [article], _ = read_file(SAMPLES / "xiaomi-ford-geruecht.txt")
    assert (article.date, article.date_how) == (None, "text")  # the model reads metadata dates only
    assert (article.date_earliest, article.date_latest) == ("2026-01-30", "2026-03-24")  # results day announced
    assert "am 30. Januar" in article.date_evidence
    assert article.when == "about Jan 2026 (from the text)"


def test_an_article_whose_text_names_no_date_has_none():
    [article], _ = read_file(SAMPLES / "xiaomi-zubehoer-usa.txt")
    assert (article.date_how, article.when) == ("", "")


def test_the_metadata_date_wins_over_the_text():
    found = dating("Am 3. März 2015 sagte er ...", "2016-05-01")
    assert (found.date, found.how, found.earliest) == ("2016-05-01", "metadata", "")
    assert describe("metadata", "2016-05-01", "", "") == "2016-05-01 (from the metadata)"


def test_a_reported_quarter_has_passed_and_an_announced_day_lies_ahead():
    text = (
        "Im dritten Quartal 2025 lieferte der Konzern 100 Autos aus. "
        "Am 24. März 2026 veröffentlicht der Konzern seine Zahlen. Die Ergebnisse dürften gut ausfallen."
    )
    found = dating(text, None)
    assert (found.earliest, found.latest) == ("2025-09-30", "2026-03-24")


def test_a_day_without_a_year_takes_the_year_that_keeps_it_just_past_the_others():
    found = dating("Im Dezember 2015 stieg der Umsatz. Am 5. Jänner kündigte die Firma Stellen ab.", None)
    assert found.earliest == "2016-01-05"


def test_english_dates_and_a_deadline_ahead():
    found = dating("On September 30, 2004 the firm reported losses. It plans to cut 500 jobs by 2007.", None)
    assert (found.earliest, found.latest) == ("2004-09-30", "2007-01-01")
    assert describe("text", None, found.earliest, "") == "Sep 2004 or later (from the text)"
