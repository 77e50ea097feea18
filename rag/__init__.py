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
    report_unexpected,
)
from index.formats import SUFFIXES as ARTICLE_FILE_SUFFIXES
from index.types import Article
from index.vector_store import StoredArticle
from rag.assistant import Assistant
from rag.settings import Settings
from rag.types import Answer, Citation, Passage

__all__ = [
    "ARTICLE_FILE_SUFFIXES",
    "Answer",
    "Article",
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
    "StoredArticle",
    "report_unexpected",
]
