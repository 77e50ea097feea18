import pytest

from rag import Answer, Passage, QuestionError


@pytest.fixture
def indexed(make_assistant, sample_articles):
    def make(*replies, **options):
        assistant = make_assistant(*replies, **options)
        assistant.ingest(sample_articles)
        return assistant

    return make


def test_an_answer_carries_resolved_citations(indexed):
    qa = indexed("Xiaomi plans about 150 new stores in the UK [1].")
    answer = qa.ask("Wie viele neue Stores plant Xiaomi auf dem britischen Markt?")
    assert not answer.refused
    assert answer.text == "Xiaomi plans about 150 new stores in the UK [1]."
    [citation] = answer.citations
    assert citation.article_id == "xiaomi-ford-geruecht"
    assert "rund 150 neuen Stores" in citation.quote
    article = (qa.store.articles(["xiaomi-ford-geruecht"])[0]).article
    assert article.text[citation.start : citation.end] == citation.quote


def test_the_prompt_numbers_the_passages_and_holds_the_question(indexed):
    qa = indexed("150 [1]")
    qa.ask("How many Stores does Xiaomi plan?")
    system, user = qa.backend.prompts[0]
    assert "[1] " in user["content"] and "Question: How many Stores does Xiaomi plan?" in user["content"]
    assert "English" in system["content"]


def test_the_model_saying_not_found_is_a_refusal_in_the_questions_language(indexed):
    qa = indexed("NOT FOUND", "NOT FOUND")
    english = qa.ask("What is the name of Xiaomi's CEO?")
    assert english.refused and english.citations == () and english.text == "The articles don't say."
    german = qa.ask("Wie heißt der Chef von Xiaomi?")
    assert german.refused and german.language == "de" and "Artikeln" in german.text


@pytest.mark.parametrize("reply", ["Lei Jun is the CEO of Xiaomi.", "He is Lei Jun [9].", "[1]", " [1][2]. "])
def test_an_answer_without_a_valid_citation_or_without_words_is_a_refusal(indexed, reply):
    assert indexed(reply).ask("What is the name of Xiaomi's CEO?").refused


def test_nothing_relevant_refuses_without_asking_the_model(indexed):
    qa = indexed("should never be used", min_score=0.99)
    answer = qa.ask("How do I bake bread?")
    assert answer.refused and answer.passages == ()
    assert qa.backend.prompts == []


def test_stream_gives_passages_before_text_and_ends_with_the_answer(indexed):
    qa = indexed("About 150 stores [1].")
    items = list(qa.ask_stream("Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"))
    first_text = next(i for i, item in enumerate(items) if isinstance(item, str))
    assert all(isinstance(item, Passage) for item in items[:first_text]) and first_text > 0
    assert "".join(item for item in items if isinstance(item, str)) == "About 150 stores [1]."
    assert isinstance(items[-1], Answer) and items[-1].citations


@pytest.mark.parametrize("question", ["", "   ", "\x00\x01", "x" * 5000])
def test_unaskable_questions_get_a_clear_error(indexed, question):
    with pytest.raises(QuestionError):
        indexed().ask(question)


def test_an_empty_index_is_filled_from_the_default_corpus(make_assistant, sample_articles):
    messages = []
    qa = make_assistant("150 [1]", default_corpus=sample_articles)
    report = qa.ensure_indexed(progress=messages.append)
    assert len(report.added) == 2 and "index is empty" in messages[0]
    assert qa.ensure_indexed(progress=messages.append) is None


def test_answer_json_has_the_documented_fields(indexed):
    data = (
        indexed("About 150 stores [1].").ask("Wie viele neue Stores plant Xiaomi auf dem britischen Markt?").to_dict()
    )
    assert {"answer", "refused", "citations", "question", "language", "passages", "timings"} <= set(data)
    assert {"article_id", "title", "quote", "start", "end", "number"} <= set(data["citations"][0])


def test_a_follow_up_is_rewritten_before_retrieval_only_when_there_is_history(indexed):
    qa = indexed("Wie viele neue Stores plant Xiaomi auf dem britischen Markt?", "About 150 stores [1].")
    answer = qa.ask("Und in Großbritannien?", history=[("Was plant Xiaomi?", "Stores [1].")])
    rewrite, answer_prompt = qa.backend.prompts
    assert "Was plant Xiaomi?" in rewrite[1]["content"] and "Und in Großbritannien?" in rewrite[1]["content"]
    assert answer.standalone_question == "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"
    assert "Question: Wie viele neue Stores plant Xiaomi" in answer_prompt[1]["content"]
    assert answer.language == "de" and not answer.refused

    plain = indexed("About 150 stores [1].")
    assert plain.ask("Wie viele neue Stores plant Xiaomi auf dem britischen Markt?").standalone_question == ""
    assert len(plain.backend.prompts) == 1


def test_claims_without_a_source_are_flagged_not_hidden(indexed):
    answer = indexed("Xiaomi plans 150 new stores [1]. Lei Jun leads the company.").ask(
        "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"
    )
    assert not answer.refused
    assert answer.uncited_claims == ("Lei Jun leads the company.",)
    assert answer.to_dict()["uncited_claims"] == ["Lei Jun leads the company."]


def test_numbers_are_written_in_the_answers_language(indexed):
    answer = indexed("Xiaomi delivered 108.796 EVs [1].").ask(
        "How many Elektrofahrzeuge did Xiaomi deliver im dritten Quartal 2025?"
    )
    assert answer.language == "en" and "108,796" in answer.text, answer.text


def test_remove_takes_an_article_out_of_the_answers(indexed):
    qa = indexed("About 150 stores [1].")
    assert qa.remove("xiaomi-ford-geruecht") is True and qa.remove("xiaomi-ford-geruecht") is False
    assert [a.id for a in qa.articles()] == ["xiaomi-zubehoer-usa"]
    passages = qa.retrieve("Wie viele neue Stores plant Xiaomi auf dem britischen Markt?")
    assert passages and all(p.article_id == "xiaomi-zubehoer-usa" for p in passages)
