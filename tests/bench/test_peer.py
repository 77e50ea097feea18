"""The benchmark's peer: LlamaIndex's CitationQueryEngine on our Chroma collection, embedder and
backend (fakes for the two models here), scored by the same harness as ours."""

from __future__ import annotations

import pytest

from bench.peer import BackendForLlamaIndex, CitationPeer
from eval.dataset import EvalItem, Expectation
from eval.harness import run_item
from index import ChromaStore
from rag import Assistant
from tests.fakes import FakeEmbedder, ScriptedBackend

pytestmark = pytest.mark.integration  # a real Chroma on disk

UK_STORES = EvalItem("uk-stores", "How many stores does Xiaomi plan in the UK?", Expectation(number=150, tolerance=0.1),
                     ("xiaomi-ford-geruecht",))  # fmt: skip


@pytest.fixture
def assistant_on_chroma(tmp_path, sample_articles):
    def make(*replies: str) -> Assistant:
        store = ChromaStore.persistent(tmp_path / "index")
        assistant = Assistant(store=store, embedder=FakeEmbedder(), backend=ScriptedBackend(*replies), min_score=0.05)
        assistant.ingest(sample_articles)
        return assistant

    return make


def test_the_peer_answers_from_our_collection_and_its_cited_chunk_is_quoted_from_the_article(assistant_on_chroma):
    assistant = assistant_on_chroma("Rund 150 neue Stores im Vereinigten Königreich [1][2].")
    result = run_item(assistant, UK_STORES, ask=CitationPeer(assistant).ask_stream)
    assert result.passed and not result.refused
    texts = {stored.article.id: stored.article.text for stored in assistant.store.articles()}
    assert [c["number"] for c in result.citations] == [1, 2]
    for citation in result.citations:  # the whole source chunk, found verbatim in its article
        assert len(citation["quote"]) > 100 and citation["quote"] in texts[citation["article_id"]]
    prompt = assistant.backend.prompts[0][-1]["content"]
    assert "Source 1:" in prompt and "Stores" in prompt  # llama-index's citation prompt over our chunks


@pytest.mark.parametrize(
    "reply",
    ["The sources do not mention how many stores Xiaomi plans [1].", "Xiaomi plans many stores."],
)
def test_a_reply_that_cites_nothing_or_says_the_sources_do_not_answer_is_the_peers_refusal(assistant_on_chroma, reply):
    assistant = assistant_on_chroma(reply)
    answer = list(CitationPeer(assistant).ask_stream(UK_STORES.question))[-1]
    assert answer.refused


def test_a_marker_beyond_the_sources_cites_nothing(assistant_on_chroma):
    assistant = assistant_on_chroma("About 150 [9].")
    answer = list(CitationPeer(assistant).ask_stream(UK_STORES.question))[-1]
    assert answer.citations == () and answer.refused


def test_the_llm_wrapper_sends_the_prompt_as_one_user_message_and_streams_the_reply():
    backend = ScriptedBackend("About 150 stores [1].")
    llm = BackendForLlamaIndex(backend, context_window=4096, num_output=64)
    pieces = [response.delta for response in llm.stream_complete("Question?")]
    assert "".join(pieces) == "About 150 stores [1]."
    assert backend.prompts == [[{"role": "user", "content": "Question?"}]]
