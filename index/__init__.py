"""Articles in, chunks and vectors out, into Chroma. Imports nothing from rag, ui or eval."""

from index.articles import Skipped, read_file, read_folder, reading
from index.chunking import SentenceChunker
from index.cleaning import clean
from index.embedding import Embedder, SentenceTransformerEmbedder
from index.errors import ArticleError, ArticleQAError, BackendError, ModelError, QuestionError, StoreError
from index.ingest import IngestReport, Progress, ingest
from index.language import detect_language
from index.sentences import sentence_spans
from index.store import ChromaStore
from index.types import Article, Chunk, DayRange, Hit, Removal
from index.vector_store import ArticleWrite, Catalogued, StoredArticle, VectorStore
from index.watching import ingest_url, watch
from index.web import Fetcher, FetchError, HttpFetcher
from index.web_articles import WebState, read_url

__all__ = [
    "Article",
    "ArticleError",
    "ArticleQAError",
    "ArticleWrite",
    "BackendError",
    "Catalogued",
    "ChromaStore",
    "Chunk",
    "DayRange",
    "Embedder",
    "FetchError",
    "Fetcher",
    "Hit",
    "HttpFetcher",
    "IngestReport",
    "ModelError",
    "Progress",
    "QuestionError",
    "Removal",
    "SentenceChunker",
    "SentenceTransformerEmbedder",
    "Skipped",
    "StoreError",
    "StoredArticle",
    "VectorStore",
    "WebState",
    "clean",
    "detect_language",
    "ingest",
    "ingest_url",
    "read_file",
    "read_folder",
    "reading",
    "read_url",
    "sentence_spans",
    "watch",
]
