"""Retrieve, prompt, generate, cite: the Python API.

from rag import Assistant
qa = Assistant.open()
qa.ingest("articles/")
answer = qa.ask("How many stores does Xiaomi plan to open in the UK?")
answer.text, answer.citations, answer.refused
"""

from index.errors import (
    ArticleError,
    ArticleQAError,
    BackendError,
    ModelError,
    QuestionError,
    SettingsError,
    StoreError,
)
from rag.assistant import Assistant
from rag.settings import Settings
from rag.types import Answer, Citation, Passage

__all__ = [
    "Answer",
    "ArticleError",
    "ArticleQAError",
    "Assistant",
    "BackendError",
    "Citation",
    "ModelError",
    "Passage",
    "QuestionError",
    "Settings",
    "SettingsError",
    "StoreError",
]
