"""Load: 8 concurrent askers (4 API threads, 4 UI sessions over HTTP on 127.0.0.1) while an
ingest keeps rewriting one article. Every question is answered from its own article, none is
mixed with another's, nobody hangs, and each answer comes from the old version of the rewritten
article or the new one, never half of each. Figures go to the run's "figures" section."""

from __future__ import annotations

import json
import re
import threading

import pytest

from index import ChromaStore
from rag import Answer, Assistant
from rag.gate import FifoGate, in_turn
from tests.conftest import free_port
from tests.fakes import FakeEmbedder, PassageEchoBackend
from tests.load import LoadRun, run_load
from ui.app import launch

# city: (how many, of what); each question matches its own article best, by far
CITIES = {"celle": ("zwölf", "Parks"), "bremen": ("neun", "Brücken"), "husum": ("sieben", "Schulen"),
          "goslar": ("fünf", "Bäder"), "emden": ("vier", "Häfen"), "hameln": ("drei", "Museen"),
          "verden": ("elf", "Radwege"), "aurich": ("sechs", "Bibliotheken")}  # fmt: skip
# the UI's settings: sources, answer tokens, model, server URL, model name, articles since, until
UI_SETTINGS = (3, 200, "In-process model", "", "default", "", "")
VERSIONS = ("zwölf", "dreizehn")  # what Celle plans, as the ingest rewrites it back and forth


def question(city: str) -> str:
    return f"Wie viele {CITIES[city][1]} baut {city.title()}?"


def write_corpus(folder, celle: str) -> None:
    records = [
        {"id": city, "title": f"{things} in {city.title()}",
         "text": f"{city.title()} baut {celle if city == 'celle' else count} {things}."}
        for city, (count, things) in CITIES.items()
    ]  # fmt: skip
    (folder / "parks.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")


class OneReplyAtATime:
    """A fake model behind the in-process model's gate (rag.gate): one reply at a time, in the
    order they were asked for."""

    name = "one-reply-at-a-time"

    def __init__(self, model: PassageEchoBackend) -> None:
        self.model = model
        self.gate = FifoGate(1)

    def read_prefix(self, messages) -> str:
        return self.model.read_prefix(messages)

    def stream_chat(self, messages, *, max_tokens: int, grammar: str | None = None):
        return in_turn(self.gate, self.model.stream_chat(messages, max_tokens=max_tokens, grammar=grammar))


def answers_of(run: LoadRun, kind: str) -> int:
    return sum(o.asker.startswith(kind) and not o.error for o in run.outcomes)


def ui_session(port: int):
    from gradio_client import Client

    client = Client(f"http://127.0.0.1:{port}/", verbose=False)  # one browser session

    def ask(text: str) -> tuple[str, str]:
        _, chat, sources = client.predict(text, [], *UI_SETTINGS, api_name="/ask")
        reply = chat[-1]["content"]
        return (reply if isinstance(reply, str) else reply[0]["text"]), sources

    return ask


def counts_in(text: str) -> set[str]:
    return {word for word in VERSIONS if word in text}


def check_api(city: str, answer: Answer) -> None:
    assert answer.question == question(city) and not answer.refused
    assert {c.article_id for c in answer.citations} == {city}, answer.citations
    if city == "celle":  # old or new version, never half: the answer and its quote agree
        assert len(counts_in(answer.text)) == 1 and counts_in(answer.text) == counts_in(answer.citations[0].quote)


def check_ui(city: str, seen: tuple[str, str]) -> None:
    reply, sources = seen
    assert f"{city.title()} baut" in reply, reply
    assert f">{city}<" in sources and not [other for other in CITIES if other != city and f">{other}<" in sources]
    if city == "celle":
        quote = re.search(r'<mark class="aqa-quote">(.*?)</mark>', sources) or re.search(r"<mark>(.*?)</mark>", sources)
        assert quote is not None, sources
        assert len(counts_in(reply)) == 1 and counts_in(reply) == counts_in(quote[1])


@pytest.fixture
def parks(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_corpus(corpus, VERSIONS[0])
    assistant = Assistant(
        store=ChromaStore.persistent(tmp_path / "index"),
        embedder=FakeEmbedder(),
        backend=PassageEchoBackend(seconds_per_word=0.003),
        min_score=0.05,
    )
    assistant.ingest(corpus)
    return assistant, corpus


@pytest.mark.integration  # a real Gradio server and Chroma on disk
def test_eight_askers_while_an_article_is_rewritten(parks, tmp_path, figure):
    assistant, corpus = parks
    port = free_port()
    app = launch(assistant, port=port, block=False, warm_up=False, uploads_dir=tmp_path / "uploads")
    stop = threading.Event()
    rewrites = []

    def rewrite_celle() -> None:
        while not stop.is_set():
            write_corpus(corpus, VERSIONS[len(rewrites) % 2 == 0])
            rewrites.append(assistant.ingest(corpus).chunks_embedded)
            stop.wait(0.2)

    def api_asker(text: str) -> Answer:
        return assistant.ask(text)

    writer = threading.Thread(target=rewrite_celle, daemon=True)
    try:
        askers = {f"api-{n}": api_asker for n in range(4)} | {f"ui-{n}": ui_session(port) for n in range(4)}
        writer.start()
        run = run_load(askers, [question(city) for city in CITIES], seconds=8, grace_s=60)
    finally:
        stop.set()
        writer.join(timeout=60)
        app.close()
    figure(f"{run.summary()}; {len(rewrites)} ingests rewrote an article meanwhile")
    assert not run.hung and not run.errors, run.errors[:3]
    assert {o.asker for o in run.outcomes} == set(askers) and len(rewrites) >= 2
    by_question = {question(city): city for city in CITIES}
    for outcome in run.outcomes:
        city = by_question[outcome.question]
        check_api(city, outcome.result) if outcome.asker.startswith("api") else check_ui(city, outcome.result)


@pytest.mark.integration  # a real Gradio server
def test_ui_sessions_and_api_threads_take_turns_at_the_model_fairly(parks, tmp_path, figure):
    """4 API threads and 4 UI sessions against a model that answers one at a time: the UI's
    sessions wait in the same line as the API's threads, so each side gets about half."""
    assistant, _ = parks
    assistant.backend = OneReplyAtATime(PassageEchoBackend(seconds_per_word=0.05))  # the model, not HTTP, sets the pace
    port = free_port()
    app = launch(assistant, port=port, block=False, warm_up=False, uploads_dir=tmp_path / "uploads")
    try:
        askers = {f"api-{n}": assistant.ask for n in range(4)} | {f"ui-{n}": ui_session(port) for n in range(4)}
        run = run_load(askers, [question(city) for city in CITIES], seconds=12, grace_s=60)
    finally:
        app.close()
    figure(run.summary())
    assert not run.hung and not run.errors, run.errors[:3]
    assert answers_of(run, "ui") >= answers_of(run, "api") / 2, run.summary()


@pytest.mark.integration
@pytest.mark.slow
def test_eight_askers_on_the_real_models(tmp_path, figure):
    """The long run: the real models behind 4 API threads and 4 UI sessions for 90 s, questions
    of the sample eval set; each answer is its own question's, cited verbatim or refused, and
    the UI's sessions get their share: they wait for the model in the same line as the API's
    threads (before rag.gate: 6 UI answers against 18 API answers)."""
    from dataclasses import replace

    from gradio_client import Client

    from eval.dataset import load_dataset
    from eval.metrics import answer_matches
    from rag import Settings
    from rag.citations import is_verbatim
    from tests.conftest import ROOT

    settings = replace(Settings.defaults(tmp_path / "home"), models_dir=Settings.from_env().models_dir)
    assistant = Assistant.open(settings)
    assistant.ensure_indexed(progress=lambda line: None)
    assistant.warm_up()
    items = {item.question: item for item in load_dataset(ROOT / "eval" / "datasets" / "samples.yaml")[::3]}
    retrieved = {q: {p.article_id for p in assistant.retrieve(q)} for q in items}
    texts = {a.id: a.text for a in assistant.articles()}
    port = free_port()
    app = launch(assistant, port=port, block=False, warm_up=False, uploads_dir=tmp_path / "uploads")

    def ui_ask(text: str) -> tuple[str, str]:  # a new session each time: unrelated questions, not follow-ups
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        _, chat, sources = client.predict(text, [], *UI_SETTINGS, api_name="/ask")
        reply = chat[-1]["content"]
        return (reply if isinstance(reply, str) else reply[0]["text"]), sources

    def right(answer: Answer) -> bool:
        expect = items[answer.question].expect
        return answer.refused if expect.refuse else not answer.refused and answer_matches(answer.text, expect)[0]

    try:
        askers = {f"api-{n}": assistant.ask for n in range(4)} | {f"ui-{n}": ui_ask for n in range(4)}
        run = run_load(askers, list(items), seconds=90, grace_s=240)
    finally:
        app.close()
    api = [o for o in run.outcomes if o.asker.startswith("api") and not o.error]
    figure(f"{run.summary()}; API answers right under load {sum(right(o.result) for o in api)}/{len(api)}")
    assert not run.hung and not run.errors, run.errors[:3]
    assert {o.asker for o in run.outcomes} == set(askers)
    assert answers_of(run, "ui") >= answers_of(run, "api") / 2, run.summary()
    for outcome in api:
        answer = outcome.result
        assert answer.question == outcome.question
        assert {p.article_id for p in answer.passages} <= retrieved[outcome.question]  # its own question's passages
        assert answer.refused or all(is_verbatim(c, texts[c.article_id]) for c in answer.citations)
    for outcome in (o for o in run.outcomes if o.asker.startswith("ui")):
        reply, sources = outcome.result
        assert reply.strip() and ("aqa-refusal" in reply or 'class="aqa-cite"' in reply), reply
