"""The fakes of the unit tests stand in for the real parts: ``make lint`` (mypy) checks each
assignment below against its Protocol, and the test checks the same at run time."""

from index.embedding import Embedder
from index.vector_store import VectorStore
from rag.backends import ChatBackend
from tests.fakes import FakeEmbedder, MemoryStore, PassageEchoBackend, ScriptedBackend


def test_each_fake_is_its_protocol() -> None:
    embedder: Embedder = FakeEmbedder()
    store: VectorStore = MemoryStore()
    scripted: ChatBackend = ScriptedBackend("NOT FOUND")
    echo: ChatBackend = PassageEchoBackend()
    for fake, protocol in [(embedder, Embedder), (store, VectorStore), (scripted, ChatBackend), (echo, ChatBackend)]:
        missing = [name for name in dir(protocol) if not name.startswith("_") and not hasattr(fake, name)]
        assert not missing, f"{type(fake).__name__} lacks {missing}"


def test_rag_exports_its_public_names():
    import rag

    assert sorted(rag.__all__) == [
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
    assert all(hasattr(rag, name) for name in rag.__all__)
