"""Scale-out: two article-qa processes, each with a home folder of its own, share one index on a
Chroma server and one embeddings server (Infinity); one ingests while the other answers, and
each sees what the other wrote. Nothing but the models is read from a process's own folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from index import ChromaStore
from tests.bench.test_load import UI_SETTINGS
from tests.conftest import ROOT, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

WIRE_ARTICLES = 1000  # one chunk each: about half a minute through Infinity on 2 cores
NEWS = "Die Stadt Kleinfeld baut ein neues Wasserwerk. Es kostet 12 Millionen Euro und soll 2027 fertig sein."


def article_qa(home: Path, env: dict, *arguments: str, background: bool = False):
    command = [str(Path(sys.executable).parent / "article-qa"), *arguments]
    options = dict(cwd=ROOT, env={**env, "ARTICLE_QA_HOME": str(home)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if background:
        return subprocess.Popen(command, text=True, **options)  # type: ignore[call-overload]
    return subprocess.run(command, text=True, timeout=600, **options)  # type: ignore[call-overload]


def wait_for_page(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise AssertionError(f"the UI did not answer on port {port}")


def test_two_processes_share_one_index_one_ingesting_while_the_other_answers(
    chroma_server, embedding_server, sample_articles, tmp_path, figure
):
    from gradio_client import Client

    from rag import Settings

    shared = {
        **os.environ,
        "ARTICLE_QA_MODELS_DIR": str(Settings.from_env().models_dir),
        "ARTICLE_QA_CHROMA_HOST": "127.0.0.1",
        "ARTICLE_QA_CHROMA_PORT": str(chroma_server.port),
        "ARTICLE_QA_COLLECTION": "newsroom",
        "ARTICLE_QA_EMBEDDER_URL": embedding_server.url,
    }
    writer, reader = tmp_path / "writer", tmp_path / "reader"
    first = article_qa(writer, shared, "ingest", str(sample_articles))
    assert first.returncode == 0 and first.stdout.startswith("2 added"), first.stderr[-2000:]

    wire = tmp_path / "wire"
    for number in range(WIRE_ARTICLES):  # enough for the ingest to last while the other process answers
        text = f"Meldung {number}\nDer Gemeinderat von Ort {number} berät über {number + 3} neue Radwege."
        (wire / f"part-{number // 100}").mkdir(parents=True, exist_ok=True)
        (wire / f"part-{number // 100}" / f"meldung-{number:04d}.txt").write_text(text, encoding="utf-8")
    front_matter = "---\ntitle: Neues Wasserwerk\ndate: 2026-11-20\n---\n"
    (wire / "wasserwerk.md").write_text(f"{front_matter}{NEWS}\n", encoding="utf-8")

    port = free_port()
    ui = article_qa(reader, shared, "ui", "--port", str(port), background=True)
    ingesting = None
    try:
        wait_for_page(port, ui)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        client.predict("Who announced the US online shop?", [], *UI_SETTINGS, api_name="/ask")  # models warm
        ingesting = article_qa(writer, shared, "ingest", str(wire), background=True)
        server = ChromaStore.server("127.0.0.1", chroma_server.port, "newsroom")
        while len(server.catalog()) <= 2 and ingesting.poll() is None:  # until its first batch is written
            time.sleep(0.2)
        _, chat, _ = client.predict("How many stores does Xiaomi plan to open in the UK?", [], *UI_SETTINGS,
                                    api_name="/ask")  # fmt: skip
        answered_while_ingesting = ingesting.poll() is None
        stdout, stderr = ingesting.communicate(timeout=900)
    finally:
        for process in (ingesting, ui):
            if process is not None:
                process.kill()
    assert ingesting.returncode == 0 and stdout.startswith(f"{WIRE_ARTICLES + 1} added"), stderr[-2000:]
    reply = chat[-1]["content"]
    assert "150" in (reply if isinstance(reply, str) else reply[0]["text"])
    assert answered_while_ingesting  # the reader's answer came while the writer was still writing

    after = article_qa(tmp_path / "third", shared, "ask", "Wie viel kostet das neue Wasserwerk in Kleinfeld?", "--json")
    assert after.returncode == 0, after.stderr[-2000:]
    news = json.loads(after.stdout)
    assert "12" in news["answer"] and news["citations"][0]["article_id"] == "wasserwerk", after.stdout
    listed = article_qa(tmp_path / "third", shared, "list")
    assert "wasserwerk" in listed.stdout and "xiaomi-ford-geruecht" in listed.stdout
    assert not (reader / "data" / "chroma").exists()  # the index is the server's, in no process's folder
    figure(
        "two processes, one Chroma server and one Infinity server: the UI process answered while the other "
        f"ingested {WIRE_ARTICLES + 1} articles, then a third process answered from the new article: {news['answer']!r}"
    )
