"""The eval harness and its reports, over the sample articles with the fake parts."""

import json

import pytest

from eval import harness, report
from eval.dataset import EvalItem, Expectation, load_dataset
from eval.squad import convert
from tests.conftest import ROOT

STORES = EvalItem(
    "uk-stores",
    "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?",
    Expectation(number=150, tolerance=0.1),
    ("xiaomi-ford-geruecht",),
)
CEO = EvalItem("ceo", "Wie heißt der Chef von Xiaomi?", Expectation(refuse=True))
SHOP = EvalItem(
    "shop", "Wer kündigte den Online-Shop in den USA an?", Expectation(any=("Lin Bin",)), ("xiaomi-zubehoer-usa",)
)


@pytest.fixture
def indexed(make_assistant, sample_articles):
    def make(*replies):
        assistant = make_assistant(*replies)
        assistant.ingest(sample_articles)
        return assistant

    return make


def test_each_item_is_scored_for_answer_citations_retrieval_and_time(indexed):
    qa = indexed("Rund 150 neue Stores [1].", "NOT FOUND", "Der Mitgründer [1].")
    stores, ceo, shop = harness.run(qa, [STORES, CEO, SHOP], k=3)
    assert stores.passed and stores.citation_ok and stores.first_hit_rank == 1
    assert stores.retrieved_article_ids[0] == "xiaomi-ford-geruecht"
    assert stores.latency_s >= stores.ttft_s > 0 and stores.citations[0]["article_id"] == "xiaomi-ford-geruecht"
    assert ceo.passed and ceo.refused and ceo.citation_ok is None
    assert not shop.passed and shop.why == "none of ['Lin Bin']" and shop.f1 == 0.0
    assert stores.f1 is None  # a number expectation has no text to compare token by token


def test_a_refused_answerable_question_and_an_answered_unanswerable_one_both_fail(indexed):
    logo = EvalItem("logo", "Wer entwarf das Logo von Xiaomi?", Expectation(refuse=True))  # no check can tell
    qa = indexed("NOT FOUND", "Xiaomi [1].")  # said by the passages, but no answer
    stores, answered = harness.run(qa, [STORES, logo])
    assert not stores.passed and stores.why == "refused a question the articles answer"
    assert not answered.passed and answered.why == "answered a question the articles do not answer"


def test_citations_must_include_the_named_sources(indexed):
    item = EvalItem("s", STORES.question, STORES.expect, ("xiaomi-zubehoer-usa",))
    [result] = harness.run(indexed("Rund 150 neue Stores [1]."), [item])
    assert result.passed and result.citation_ok is False and "miss ['xiaomi-zubehoer-usa']" in result.why


def test_the_summary_and_both_reports(indexed):
    results = harness.run(indexed("Rund 150 neue Stores [1].", "NOT FOUND", "Der Mitgründer [1]."), [STORES, CEO, SHOP])
    summary = report.summarize(results, k=5)
    assert summary["n"] == 3 and summary["k"] == 5
    assert summary["answer_accuracy"] == 0.5 and summary["refusal_accuracy"] == 1.0 and summary["accuracy"] == 0.6667
    assert summary["citation_accuracy"] == 1.0  # both answered items cite their source verbatim
    assert summary["answered_wrongly"] == 0.3333 and summary["coverage"] == 0.6667  # "Der Mitgründer": wrong
    assert summary["answer_f1"] == 0.0  # the one text item answered "Der Mitgründer", not "Lin Bin"
    assert summary["retrieval_hit_at_k"] == 1.0 and 0 < summary["retrieval_mrr"] <= 1
    for key in ("latency_p50_s", "latency_p95_s", "ttft_p50_s"):
        assert summary[key] > 0
    data = json.loads(report.to_json(summary, results))
    assert set(data["items"][0]) >= {
        "id", "question", "answer", "refused", "passed", "citation_ok", "citations", "retrieved_article_ids",
        "latency_s", "why",
    }  # fmt: skip
    table = report.to_markdown(summary, results)
    rows = [line for line in table.splitlines() if line.startswith("| pass") or line.startswith("| FAIL")]
    assert rows[0].startswith("| FAIL | shop")  # failures first


def test_the_harm_counts_wrong_answers_and_answered_refusal_items_against_all_questions(indexed):
    logo = EvalItem("logo", "Wer entwarf das Logo von Xiaomi?", Expectation(refuse=True))
    results = harness.run(indexed("Rund 150 neue Stores [1].", "Xiaomi [1].", "NOT FOUND"), [STORES, logo, SHOP])
    summary = report.summarize(results, k=5)
    assert summary["answered_wrongly"] == 0.3333  # the logo item only: a refusal is never a wrong answer
    assert summary["coverage"] == 0.6667


def test_retrieval_only_scores_retrieval_without_the_model(indexed):
    qa = indexed()
    results = harness.run(qa, [STORES, CEO], k=2, retrieval_only=True)
    assert qa.backend.prompts == []
    summary = report.summarize(results, k=2, retrieval_only=True)
    assert summary["retrieval_hit_at_k"] == 1.0 and "answer_accuracy" not in summary


def test_percentiles_are_nearest_rank():
    assert report._percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert report._percentile([1.0, 2.0, 3.0, 4.0], 95) == 4.0
    assert report._percentile([], 50) is None


SQUAD_DE = {
    "version": "1.1",
    "data": [
        {
            "title": "Harbour_Regatta_12",
            "paragraphs": [
                {
                    "context": "Die Kestwicker gaben nur 287 Punkte ab.",
                    "qas": [
                        {"id": "q1", "question": "Wie viele Punkte?", "answers": [{"text": "287", "answer_start": 25}]}
                    ],
                }
            ],
        }
    ],
}
SQUAD_EN = {
    "version": "1.1",
    "data": [
        {
            "title": "Harbour_Regatta_12",
            "paragraphs": [
                {
                    "context": "The Kestwickers gave up just 287 points.",
                    "qas": [
                        {
                            "id": "q1",
                            "question": "How many points?",
                            "answers": [{"text": "287 points", "answer_start": 29}],
                        }
                    ],
                }
            ],
        }
    ],
}


def test_a_squad_file_becomes_a_corpus_and_a_cross_lingual_question_set(tmp_path, make_assistant):
    source = tmp_path / "src"
    source.mkdir()
    (source / "xquad.de.json").write_text(json.dumps(SQUAD_DE), encoding="utf-8")
    (source / "xquad.en.json").write_text(json.dumps(SQUAD_EN), encoding="utf-8")
    (source / "LICENSE-CC-BY-SA-4.0.txt").write_text("licence", encoding="utf-8")
    done = convert(source / "xquad.de.json", tmp_path / "out", questions_from=source / "xquad.en.json")
    assert (done.articles, done.questions) == (1, 1)
    [item] = load_dataset(done.dataset)
    assert item.question == "How many points?" and item.expect.any == ("287", "287 points")
    assert item.sources == ("harbour_regatta_12",)
    assert (tmp_path / "out" / "LICENSE-CC-BY-SA-4.0.txt").is_file()  # the attribution travels with the data
    qa = make_assistant()
    report_ = qa.ingest(done.corpus)
    assert report_.added == ["harbour_regatta_12"]
    assert qa.articles()[0].title == "Harbour Regatta 12" and qa.articles()[0].language == "de"


def test_scores_are_split_by_languages_kind_and_tags_and_refusals_say_why(indexed):
    tagged = EvalItem(SHOP.id, SHOP.question, SHOP.expect, SHOP.sources, tags=("names", "usa"))
    results = harness.run(indexed("Rund 150 neue Stores [1].", "NOT FOUND", "NOT FOUND"), [STORES, CEO, tagged])
    summary = report.summarize(results, k=5)
    assert summary["refusal_reasons"] == {"model_not_found": 2}
    assert [r.refusal for r in results] == ["", "model_not_found", "model_not_found"]
    assert summary["by_languages"]["de/de"] == {
        "n": 2, "accuracy": 0.5, "answer_accuracy": 0.5, "refusal_accuracy": None, "citation_accuracy": 0.5,
        "answered_wrongly": 0.0, "coverage": 0.5,
    }  # fmt: skip
    assert summary["by_languages"]["de/none"]["refusal_accuracy"] == 1.0
    assert {kind: scores["n"] for kind, scores in summary["by_kind"].items()} == {"number": 1, "refuse": 1, "text": 1}
    assert summary["by_tag"]["usa"]["accuracy"] == 0.0 and set(summary["by_tag"]) == {"names", "usa"}
    markdown = report.to_markdown(summary, results)
    assert "| de/de | 2 | 0.500 | 0.500 | - | 0.500 | 0.000 |" in markdown and "| model_not_found | 2 |" in markdown


def test_an_items_tags_are_read_from_the_dataset(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text('- {id: a, question: "How many?", expect: {number: 1}, tags: [numbers, en-de]}\n', encoding="utf-8")
    [item] = load_dataset(path)
    assert item.tags == ("numbers", "en-de") and item.kind == "number"


def test_an_item_can_ask_a_date_range_and_name_the_article_to_cite_first(indexed):
    from dataclasses import replace

    before_2026 = replace(STORES, id="before", until="2025-12-31", expect=Expectation(refuse=True), sources=())
    newest_first = replace(STORES, id="newest", first_source="xiaomi-zubehoer-usa")
    [refused, wrong_first] = harness.run(
        indexed("Rund 150 neue Stores [1].", "Rund 150 neue Stores [1]."), [before_2026, newest_first]
    )
    assert refused.passed and refused.refusal == "nothing_relevant"  # no article of before 2026: none is asked
    assert not wrong_first.passed and "not the newest article, xiaomi-zubehoer-usa" in wrong_first.why
    [item] = [i for i in load_dataset(ROOT / "eval" / "datasets" / "samples.yaml") if i.id == "uk-stores-2026"]
    assert (item.since, item.until) == ("2026", "")


def test_the_risk_coverage_curve_says_what_each_probability_threshold_would_refuse():
    def result(passed, refused, probability):
        return harness.ItemResult(
            "i", "q", False, (), (), None, passed=passed, refused=refused, probability=probability
        )

    results = [
        result(True, False, 0.7),
        result(False, False, 0.06),
        result(True, False, 0.25),
        result(False, True, None),
    ]
    curve = report.risk_coverage(results)
    assert curve["0.00"] == {"coverage": 0.75, "answered_wrongly": 0.25}
    assert curve["0.08"] == {"coverage": 0.5, "answered_wrongly": 0.0}
    assert curve["0.50"] == {"coverage": 0.25, "answered_wrongly": 0.0}
    assert "| answer's probability at least | coverage | answered wrongly |" in "\n".join(
        report.breakdown_tables({"risk_coverage": curve})
    )
