from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.fakes import FakeEmbedder, MemoryStore, ScriptedBackend

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_ARTICLES = ROOT / "articles"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


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
