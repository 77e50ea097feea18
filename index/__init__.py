"""Articles in, chunks and vectors out, into Chroma. Imports nothing from rag, ui or eval."""

from index.articles import Skipped, read_article, read_folder
from index.chunking import SentenceChunker
from index.embedding import Embedder, SentenceTransformerEmbedder
from index.errors import ArticleError, ArticleQAError, BackendError, ModelError, QuestionError, StoreError
from index.ingest import IngestReport, ingest
from index.language import detect_language
from index.sentences import sentence_spans
from index.store import ChromaStore, StoredArticle, VectorStore
from index.types import Article, Chunk, Hit

__all__ = [
    "Article",
    "ArticleError",
    "ArticleQAError",
    "BackendError",
    "ChromaStore",
    "Chunk",
    "Embedder",
    "Hit",
    "IngestReport",
    "ModelError",
    "QuestionError",
    "SentenceChunker",
    "SentenceTransformerEmbedder",
    "Skipped",
    "StoreError",
    "StoredArticle",
    "VectorStore",
    "detect_language",
    "ingest",
    "read_article",
    "read_folder",
    "sentence_spans",
]
