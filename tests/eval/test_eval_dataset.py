import pytest

from eval.dataset import DatasetError, load_dataset
from eval.metrics import answer_matches, citations_cover, first_hit_rank
from tests.conftest import ROOT

SAMPLES = ROOT / "eval" / "datasets" / "samples.yaml"


def test_the_projects_question_set_covers_what_it_must():
    items = load_dataset(SAMPLES)
    assert len(items) >= 30
    assert sum(item.expect.refuse for item in items) >= 6
    assert sum(set(item.sources) == {"xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"} for item in items) >= 1
    by_id = {item.id: item for item in items}
    assert by_id["uk-stores-short"].question == "How many stores in the UK?"
    assert (by_id["uk-stores-short"].expect.number, by_id["uk-stores-short"].expect.tolerance) == (150, 0.1)
    articles = {"xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"}
    assert all(set(item.sources) <= articles for item in items)


def test_yaml_and_json_lines_give_the_same_items(tmp_path):
    (tmp_path / "a.yaml").write_text("- id: x\n  question: Q?\n  expect: {all: [[a, b], c]}\n  sources: [s]\n")
    (tmp_path / "a.jsonl").write_text(
        '{"id": "x", "question": "Q?", "expect": {"all": [["a", "b"], "c"]}, "sources": ["s"]}\n'
    )
    assert load_dataset(tmp_path / "a.yaml") == load_dataset(tmp_path / "a.jsonl")
    assert load_dataset(tmp_path / "a.yaml")[0].expect.all == (("a", "b"), ("c",))


@pytest.mark.parametrize(
    "text, message",
    [
        ("- question: Q?\n", "needs a question and an expect"),
        ("- question: Q?\n  expect: {}\n", "expect needs"),
        ("- {id: a, question: Q, expect: {refuse: true}}\n- {id: a, question: R, expect: {refuse: true}}\n", "twice"),
        ("a: [", "not valid YAML"),
        ("just text", "must hold a list"),
    ],
)
def test_bad_datasets_are_clear_errors(tmp_path, text, message):
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(DatasetError, match=message):
        load_dataset(tmp_path / "bad.yaml")


def test_item_checks():
    [item] = load_dataset(SAMPLES)[:1]
    assert answer_matches("About 150 new stores [1].", item.expect) == (True, "")
    assert answer_matches("About 190 stores.", item.expect)[0] is False
    assert citations_cover(["xiaomi-ford-geruecht", "x"], ["xiaomi-ford-geruecht"])
    assert not citations_cover(["x"], ["xiaomi-ford-geruecht"])
    assert first_hit_rank(["a", "b", "c"], ["c", "b"]) == 2 and first_hit_rank(["a"], ["z"]) is None
