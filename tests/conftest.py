from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes import FakeEmbedder, MemoryStore, ScriptedBackend

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_ARTICLES = ROOT / "articles"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

# The test harness's own variables; every other ARTICLE_QA_* setting of the developer (a Chroma
# host, say) is kept away from the tests, including session fixtures made before any test runs.
TEST_HARNESS_VARIABLES = {"ARTICLE_QA_TEST_ARTIFACTS", "ARTICLE_QA_CHROMIUM"}


def _user_settings() -> list[str]:
    return [name for name in os.environ if name.startswith("ARTICLE_QA_") and name not in TEST_HARNESS_VARIABLES]


for _name in _user_settings():
    del os.environ[_name]


@pytest.fixture(autouse=True)
def no_user_settings(monkeypatch, request, tmp_path_factory):
    """Each test starts without ARTICLE_QA_* settings; what it sets with monkeypatch is undone after it.

    A unit test sees an empty models folder, so one that needs the pulled models fails
    everywhere rather than passing where they happen to be: it must be marked integration.
    """
    for name in _user_settings():
        monkeypatch.delenv(name)
    if request.node.get_closest_marker("integration") is None:
        monkeypatch.setenv("ARTICLE_QA_MODELS_DIR", str(tmp_path_factory.mktemp("no-models")))


@pytest.fixture
def sample_articles(tmp_path) -> Path:
    """A private copy of the sample corpus, so tests may change it."""
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLE_ARTICLES, folder)
    return folder


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def make_assistant(store, embedder):
    from rag import Assistant

    def make(*replies: str, **options) -> Assistant:
        options.setdefault("min_score", 0.05)
        return Assistant(store=store, embedder=embedder, backend=ScriptedBackend(*replies), **options)

    return make


@pytest.fixture
def api(make_assistant, sample_articles, tmp_path):
    """The HTTP API over an assistant with scripted replies and the sample articles indexed:
    ``client, assistant = api("reply", ..., **build_api options)``."""
    from fastapi.testclient import TestClient

    from api import build_api

    def start(*replies: str, assistant=None, indexed: bool = True, **options):
        qa = assistant or make_assistant(*replies)
        if indexed:
            qa.ingest(sample_articles)
        options.setdefault("warm_up", False)
        options.setdefault("uploads_dir", tmp_path / "uploads")
        return TestClient(build_api(qa, **options)), qa

    return start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ChromaServer:
    """A real `chroma run` server on 127.0.0.1, from the chromadb package in this environment."""

    path: Path
    port: int
    process: subprocess.Popen | None = None

    def start(self) -> "ChromaServer":
        import httpx

        chroma = Path(sys.executable).parent / "chroma"
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("chroma run did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"), free_port()).start()
    yield server
    server.stop()


INFINITY = ROOT / ".venv-infinity" / "bin" / "infinity_emb"  # made by `make embed-server` (`make test` does)
SERVED_EMBEDDER = "embeddinggemma-300m"


class EmbeddingServer:
    """A real Infinity server (OpenAI-compatible /embeddings) on 127.0.0.1 over the pulled
    EmbeddingGemma folder, fp32 on the CPU."""

    def __init__(self, model_folder: Path, port: int, log: Path) -> None:
        self.model_folder, self.port, self.log = model_folder, port, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "EmbeddingServer":
        import httpx

        command = [str(INFINITY), "v2", "--model-id", str(self.model_folder), "--served-model-name", SERVED_EMBEDDER,
                   "--host", "127.0.0.1", "--port", str(self.port), "--engine", "torch", "--device", "cpu",
                   "--no-bettertransformer", "--no-model-warmup"]  # fmt: skip
        quiet = {"HF_HUB_OFFLINE": "1", "INFINITY_ANONYMOUS_USAGE_STATS": "0", "DO_NOT_TRACK": "1"}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **quiet})
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/models", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Infinity did not answer within 300 s; its log: {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def embedding_server(tmp_path_factory):
    """Infinity on 127.0.0.1, shared by the tests of a run; without it (no `make embed-server`),
    the test is skipped, except under CI, where `make test` must have made it."""
    from rag import Settings

    if not INFINITY.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{INFINITY} is missing: `make test` makes it with `make embed-server`")
        pytest.skip("no Infinity environment: run `make embed-server`")
    folder = Settings.from_env().embedder_model
    server = EmbeddingServer(Path(folder), free_port(), tmp_path_factory.mktemp("infinity") / "infinity.log").start()
    yield server
    server.stop()


ARTIFACTS = Path(os.environ.get("ARTICLE_QA_TEST_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright (no browser download). Missing chromium fails:
    `make test` installs it."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("ARTICLE_QA_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.fail(
            "No chromium on PATH: install Debian's chromium package (make test does) or set ARTICLE_QA_CHROMIUM."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot(request):
    """Save a page's screenshot under test-artifacts/ui/, named after the test."""
    folder = ARTIFACTS / "ui"
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, step: str) -> Path:
        path = folder / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


_FIGURES: list[str] = []


def record_figure(name: str, text: str) -> None:
    """A measured figure (load, faults, hostile input); all are printed at the end of the test run."""
    _FIGURES.append(f"{name}: {text}")


@pytest.fixture
def figure(request):
    return lambda text: record_figure(request.node.name, text)


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
