"""The question's constraints (years, numbers, names) and whether the cited articles mention them."""

import pytest

from rag.constraints import constraints, name_runs, unmet
from rag.places import place_forms

KAERNTEN = "In 164 Ortschaften Kärntens wurden 2011 453 Ortstafeln aufgestellt, sagte Landeshauptmann Peter Kaiser."
BBC = "Mr Brown put 1p a pint on beer and 4p on a bottle of wine, the Chancellor said in his 2005 Budget."


def texts(question, language="en"):
    return [c.text for c in constraints(question, language)]


def test_an_english_question_pins_down_its_years_numbers_and_capitalised_names():
    assert texts("How much did Iain Duncan Smith declare in the register in 2004?") == ["2004", "Iain Duncan Smith"]
    assert texts("How many goals had Zlatan Ibrahimović scored in his 37 Champions League matches?") == [
        "37",
        "Zlatan Ibrahimović",
        "Champions League",
    ]
    assert texts("What did the European Charter of Human Rights say?") == ["European Charter of Human Rights"]
    assert texts("Which 21-year-old Swede was Benfica's only defender?") == ["Swede", "Benfica"]  # "21-year-old"


def test_a_german_question_names_only_runs_acronyms_words_with_digits_and_places():
    assert texts("Wie viele zweisprachige Ortstafeln wurden im Burgenland aufgestellt?", "de") == ["Burgenland"]
    assert texts("Wie hoch war das Betriebsergebnis der Wiener Stadtwerke Holding im Jahr 2015?", "de") == [
        "2015",
        "Wiener Stadtwerke Holding",
    ]
    assert texts("Wie hoch sollen die Kosten einer Flugstunde der F-22 sein?", "de") == ["F-22"]


def test_a_year_the_article_never_mentions_is_unmet():
    [missing] = unmet("How many signs were put up in Carinthia in 2013?", "en", [KAERNTEN], same_language=False)
    assert (missing.kind, missing.text) == ("year", "2013")
    assert unmet("How many signs were put up in Carinthia in 2011?", "en", [KAERNTEN], same_language=False) == []


@pytest.mark.parametrize(
    "question",
    [
        "How many bilingual signs were put up in Carinthia?",  # Kärnten, by the place names
        "What did the Carinthian governor Peter Kaiser say?",
        "Wie viele Ortstafeln wurden in Kärnten aufgestellt?",
    ],
)
def test_places_and_people_are_found_across_languages_and_inflections(question):
    language = "de" if question.startswith("Wie") else "en"
    assert unmet(question, language, [KAERNTEN], same_language=language == "de") == []


def test_a_place_or_person_the_cited_article_never_mentions_is_unmet():
    [missing] = unmet("Wie viele Ortstafeln wurden im Burgenland aufgestellt?", "de", [KAERNTEN], same_language=True)
    assert missing.text == "Burgenland"
    [missing] = unmet("What did Iain Duncan Smith declare?", "en", [BBC], same_language=True)
    assert missing.text == "Iain Duncan Smith"


def test_a_name_another_read_article_holds_whole_is_no_translation():
    question = "How many employees does United Internet have?"
    energy = "Die Wien Energie beschäftigt 2680 Mitarbeiter und bietet Internet-Tarife an."
    internet = "United Internet gewann 930.000 Kunden."
    assert unmet(question, "en", [energy], same_language=False) == []  # "Internet" alone might be a translation ...
    [missing] = unmet(question, "en", [energy], same_language=False, others=[internet])  # ... but it is a company
    assert missing.text == "United Internet"


def test_names_in_an_answer_skip_a_single_capitalised_word_that_opens_a_sentence():
    assert name_runs("Four years [1]. Chef ist Claudia Kalisch [2].", "de", skip_first=False) == ["Claudia Kalisch"]
    assert name_runs("Rick Wagoner [1].", "en", skip_first=False) == ["Rick Wagoner"]


def test_place_names_in_both_languages_and_their_adjectives():
    assert {"Kärnten", "Carinthia"} <= place_forms("Carinthia")
    assert "Rumänien" in place_forms("Romanian") and "Polen" in place_forms("Polish")
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
        ("Who is Fiat's chief executive?", "Fiat-Chef Sergio Marchionne sagte am Montag ..."),
        ("Wer ist Chef von General Motors?", "GM boss Mary Barra said on Monday ..."),
        ("Who chairs the board of Wien Energie?", "Michael Strebl, Vorsitzender der Geschäftsführung, sagte ..."),
        ("Who coaches Chelsea?", "Chelsea manager Guus Hiddink said ..."),
        ("Who was the governor quoted?", "sagte Landeshauptmann Peter Kaiser."),
    ],
)
def test_a_role_is_found_in_its_other_words_and_language(question, article):
    language = "de" if question.startswith("Wer") else "en"
    assert [c for c in unmet(question, language, [article], same_language=False) if c.kind == "role"] == []


def test_a_question_that_names_its_person_asks_for_no_role():
    assert texts("How old is Chelsea coach Guus Hiddink?") == ["Chelsea", "Guus Hiddink"]


def test_only_the_sentences_that_ask_pin_anything_down():
    question = "How many stores does Xiaomi plan in the UK? After answering, also name the capital of France."
    assert [c.text for c in constraints(question, "en")] == ["Xiaomi", "UK"]
    assert [c.text for c in constraints("Did revenue rise by 3.5 percent in 2024?", "en")] == ["2024", "3.5"]
    assert [c.text for c in constraints("Name the capital of France.", "en")] == ["France"]  # no "?": all of it
