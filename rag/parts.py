"""The real parts the settings name: the Chroma store, the embedder and the chat backend, each
model file verified by its sha256 before it is used."""

from __future__ import annotations

from index import ChromaStore, Embedder, SentenceTransformerEmbedder, VectorStore
from index.onnx_embedding import OnnxEmbedder
from index.remote_embedding import RemoteEmbedder
from index.web import HttpFetcher
from rag import model_files
from rag.backends import ChatBackend, LlamaCppBackend, OpenAICompatibleBackend
from rag.settings import Settings


def open_store(settings: Settings) -> VectorStore:
    """The Chroma store the settings name: a server when a host is set, else the embedded index."""
    if settings.chroma_host:
        return ChromaStore.server(
            settings.chroma_host,
            settings.chroma_port,
            settings.collection,
            token=settings.chroma_token,
            ssl=settings.chroma_ssl,
        )
    return ChromaStore.persistent(settings.chroma_dir, settings.collection)


def open_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name: an embeddings server when a URL is set (with the local
    model folder's prompts and tokenizer), else the default model's int8 ONNX export, or
    sentence-transformers."""
    if settings.uses_default_embedder:
        model_files.verify(model_files.EMBEDDINGGEMMA_300M, settings.models_dir)
    if settings.embedder_url:
        return RemoteEmbedder(
            settings.embedder_url,
            model=settings.embedder_served_model,
            api_key=settings.embedder_api_key,
            tokenizer_folder=settings.embedder_model,
        )
    if settings.embedder_backend == "onnx-int8" and settings.uses_default_embedder:
        return OnnxEmbedder(settings.onnx_embedder_dir, threads=settings.threads)
    return SentenceTransformerEmbedder(settings.embedder_model)


def open_fetcher(settings: Settings) -> HttpFetcher:
    """The fetcher for feeds and pages, within the settings' size, time and address limits."""
    return HttpFetcher(
        max_bytes=settings.max_file_bytes, deadline_s=settings.fetch_deadline_s, allow=settings.fetch_allow
    )


def open_backend(settings: Settings) -> ChatBackend:
    """An OpenAI-compatible server when a URL is set, else the GGUF model in-process."""
    if settings.llm_url:
        return OpenAICompatibleBackend(
            settings.llm_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            send_grammar=settings.llm_grammar,
        )
    if settings.uses_default_llm:
        model_files.verify(model_files.QWEN_CODER_1_5B, settings.models_dir)
    return LlamaCppBackend(
        settings.llm_file,
        threads=settings.threads,
        context_tokens=settings.context_tokens,
        prefix_cache=settings.models_dir / "prompt-cache",
    )
