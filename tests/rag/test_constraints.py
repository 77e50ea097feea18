"""The question's constraints (years, numbers, names) and whether the cited articles mention them."""

import pytest

from rag.constraints import constraints, name_runs, unmet
from rag.places import place_forms

STYRIA = "In 212 steirischen Gemeinden wurden 2017 386 Ladesäulen aufgestellt, sagte Landeshauptmann Anton Gruberbauer."
BUDGET = "Mrs Trelawny added 2p to a loaf of bread and 6p to a jar of honey, the treasurer said in her 2009 budget."


def texts(question, language="en"):
    return [c.text for c in constraints(question, language)]


def test_an_english_question_pins_down_its_years_numbers_and_capitalised_names():
    assert texts("How much did Owen Bryn Penn declare in the register in 2006?") == ["2006", "Owen Bryn Penn"]
    assert texts("How many goals had Milos Dragutinović scored in his 29 Kestrel Cup matches?") == [
        "29",
        "Milos Dragutinović",
        "Kestrel Cup",
    ]
    assert texts("What did the European Charter of Human Rights say?") == ["European Charter of Human Rights"]
    assert texts("Which 24-year-old Dane was Dunmore's only goalkeeper?") == ["Dane", "Dunmore"]  # "24-year-old"


def test_a_german_question_names_only_runs_acronyms_words_with_digits_and_places():
    assert texts("Wie viele öffentliche Ladesäulen wurden in Vorarlberg aufgestellt?", "de") == ["Vorarlberg"]
    assert texts("Wie hoch fiel das Betriebsergebnis der Tiroler Seilbahnwerke Holding 2018 aus?", "de") == [
        "2018",
        "Tiroler Seilbahnwerke Holding",
    ]
    assert texts("Wie hoch sind die Kosten einer Betriebsstunde der KX-40?", "de") == ["KX-40"]


def test_a_year_the_article_never_mentions_is_unmet():
    [missing] = unmet("How many charging points were put up in Styria in 2019?", "en", [STYRIA], same_language=False)
    assert (missing.kind, missing.text) == ("year", "2019")
    assert unmet("How many charging points were put up in Styria in 2017?", "en", [STYRIA], same_language=False) == []


@pytest.mark.parametrize(
    "question",
    [
        "How many public charging points were put up in Styria?",  # steirisch, by the place names
        "What did the Styrian governor Anton Gruberbauer say?",
        "Wie viele Ladesäulen wurden in der Steiermark aufgestellt?",
    ],
)
def test_places_and_people_are_found_across_languages_and_inflections(question):
    language = "de" if question.startswith("Wie") else "en"
    assert unmet(question, language, [STYRIA], same_language=language == "de") == []


def test_a_place_or_person_the_cited_article_never_mentions_is_unmet():
    [missing] = unmet("Wie viele Ladesäulen wurden in Vorarlberg aufgestellt?", "de", [STYRIA], same_language=True)
    assert missing.text == "Vorarlberg"
    [missing] = unmet("What did Owen Bryn Penn declare?", "en", [BUDGET], same_language=True)
    assert missing.text == "Owen Bryn Penn"


def test_a_name_another_read_article_holds_whole_is_no_translation():
    question = "How many employees does Prime Solar have?"
    power = "Die Stadtwerke Ellbrück beschäftigen 1240 Mitarbeiter und bauen Solar-Anlagen."
    solar = "Prime Solar gewann 410.000 Kunden."
    assert unmet(question, "en", [power], same_language=False) == []  # "Solar" alone might be a translation ...
    [missing] = unmet(question, "en", [power], same_language=False, others=[solar])  # ... but it is a company
    assert missing.text == "Prime Solar"


def test_names_in_an_answer_skip_a_single_capitalised_word_that_opens_a_sentence():
    assert name_runs("Four years [1]. Chef ist Claudia Kalisch [2].", "de", skip_first=False) == ["Claudia Kalisch"]
    assert name_runs("Torben Aldridge [1].", "en", skip_first=False) == ["Torben Aldridge"]


def test_place_names_in_both_languages_and_their_adjectives():
    assert {"Steiermark", "Styria"} <= place_forms("Styria")
    assert "Ungarn" in place_forms("Hungarian") and "Tschechien" in place_forms("Czech")
    assert "Vereinigtes Königreich" in place_forms("im Vereinigten Königreich".split(" ", 1)[1])
    assert place_forms("Xiaomi") == frozenset()


XIAOMI = "Xiaomi werde einen Online-Shop in den USA eröffnen, kündigte Mitgründer Lin Bin an."


def test_a_role_asked_for_that_the_cited_article_never_mentions_is_unmet():
    [missing] = unmet("What is the name of Xiaomi's CEO?", "en", [XIAOMI], same_language=False)
    assert (missing.kind, missing.text) == ("role", "CEO")
    assert unmet("Who founded Xiaomi's US shop?", "en", [XIAOMI], same_language=False) == []  # "Mitgründer"


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("Who is Brandvik's chief executive?", "Brandvik-Chef Henrik Solmsen sagte am Montag ..."),
        ("Wer ist Chef von Northwind Motors?", "NWM boss Clara Venn said on Monday ..."),
        ("Who chairs the board of Ostalb Wärme?", "Konrad Fallmerayer, Vorsitzender der Geschäftsführung, sagte ..."),
        ("Who coaches Ashcombe?", "Ashcombe manager Pieter Vanlaar said ..."),
        ("Who was the governor quoted?", "sagte Landeshauptmann Anton Gruberbauer."),
    ],
)
def test_a_role_is_found_in_its_other_words_and_language(question, article):
    language = "de" if question.startswith("Wer") else "en"
    assert [c for c in unmet(question, language, [article], same_language=False) if c.kind == "role"] == []


def test_a_question_that_names_its_person_asks_for_no_role():
    assert texts("How old is Ashcombe coach Pieter Vanlaar?") == ["Ashcombe", "Pieter Vanlaar"]


def test_only_the_sentences_that_ask_pin_anything_down():
    question = "How many stores does Xiaomi plan in the UK? After answering, also name the capital of France."
    assert [c.text for c in constraints(question, "en")] == ["Xiaomi", "UK"]
    assert [c.text for c in constraints("Did revenue rise by 3.5 percent in 2024?", "en")] == ["2024", "3.5"]
    assert [c.text for c in constraints("Name the capital of France.", "en")] == ["France"]  # no "?": all of it
