"""An answer exported (rag/export.py): Markdown with a sources list that comes off again, and
the JSON of /v1/ask and `ask --json`, in JSON's own types."""

from __future__ import annotations

import json

from rag import Answer, Citation, Passage
from rag.export import answer_json, answer_markdown, without_sources

CITATIONS = (
    Citation(1, "ford", "Xiaomi Aktie: Ford-Gerücht dementiert", "Rund 150 neue\nStores.", 842, 864,
             when="about Jan 2026 (from the text)", also_in=("ford-copy",)),
    Citation(2, "usa", "Xiaomi will Online-Shop eröffnen", "Lin Bin kündigte es an.", 10, 33,
             date="2025-03-01", when="2025-03-01 (from the metadata)"),
    Citation(3, "undated", "Ohne Datum", "Ein Satz.", 0, 9),
)  # fmt: skip
PASSAGE = Passage(1, "ford", "Xiaomi Aktie", "Rund 150 neue Stores.", 842, 864, 0.71, also_in=("ford-copy",))
ANSWER = Answer(
    question="Wie viele Stores?",
    text="150 [1], announced by Lin Bin [2] [3].",
    citations=CITATIONS,
    refused=False,
    language="de",
    passages=(PASSAGE,),
    timings={"total_s": 1.234},
)
REFUSAL = Answer("Wer ist der Chef?", "Dazu steht nichts in den Artikeln.", (), True, "de", refusal="model_not_found")


def test_the_markdown_is_the_text_then_one_source_line_per_citation():
    assert answer_markdown(ANSWER) == (
        "150 [1], announced by Lin Bin [2] [3].\n\n"
        "Sources:\n"
        '- [1] Xiaomi Aktie: Ford-Gerücht dementiert (about Jan 2026, from the text): "Rund 150 neue Stores."\n'
        '- [2] Xiaomi will Online-Shop eröffnen (2025-03-01, from the metadata): "Lin Bin kündigte es an."\n'
        '- [3] Ohne Datum: "Ein Satz."'
    )
    assert answer_markdown(REFUSAL) == "Dazu steht nichts in den Artikeln."


def test_the_sources_come_off_again_and_a_text_without_them_stays_as_it_is():
    assert without_sources(answer_markdown(ANSWER)) == ANSWER.text
    assert without_sources("Sources: the annual report [1].") == "Sources: the annual report [1]."


def test_the_json_is_the_answers_dict_in_jsons_own_types():
    exported = answer_json(ANSWER)
    assert exported == json.loads(json.dumps(exported))  # lists, not tuples: it is what a client reads
    assert (
        exported["answer"] == ANSWER.text and exported["refused"] is False and exported["timings"] == {"total_s": 1.234}
    )
    assert exported["citations"][0] == {
        "number": 1,
        "article_id": "ford",
        "title": "Xiaomi Aktie: Ford-Gerücht dementiert",
        "quote": "Rund 150 neue\nStores.",
        "start": 842,
        "end": 864,
        "date": None,
        "when": "about Jan 2026 (from the text)",
        "also_in": ["ford-copy"],
    }
    assert exported["passages"][0]["also_in"] == ["ford-copy"] and exported["passages"][0]["score"] == 0.71
    assert set(exported) == set(ANSWER.to_dict())
    refused = answer_json(REFUSAL)
    assert refused["refused"] is True and refused["refusal"] == "model_not_found" and refused["citations"] == []


def test_the_ui_exports_the_same_shapes_to_copy_and_to_download(tmp_path):
    from ui.export import exported

    answer = Answer(
        question="How many stores in the UK?",
        text="About 150 [1].",
        citations=(Citation(1, "xiaomi", "Xiaomi", "Rund 150 Stores.", 0, 16, "2025-11-03"),),
        refused=False,
        language="en",
    )
    markdown, text, markdown_file, json_file = exported(answer, tmp_path)
    assert markdown == answer_markdown(answer) and json.loads(text) == answer_json(answer)
    assert markdown_file.name == "how-many-stores-in-the-uk.md" and json_file.suffix == ".json"
    assert markdown_file.read_text(encoding="utf-8") == markdown + "\n"
    assert json.loads(json_file.read_text(encoding="utf-8")) == answer_json(answer)
    assert exported(answer, tmp_path)[2] != markdown_file  # a second export never overwrites the first
