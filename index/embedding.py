"""Turning text into vectors: the Embedder Protocol and its sentence-transformers implementation."""

from __future__ import annotations

import threading
from typing import Protocol, Sequence

from index.errors import ModelError


class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model; a different name means different vectors."""

    def tokenize(self, text: str) -> list:
        """The model's tokens for ``text``; chunk sizes are counted in these."""

    def embed_documents(self, texts: Sequence[str], *, titles: Sequence[str] | None = None) -> list[list[float]]:
        """Vectors of passages; ``titles`` (one per text) name the article each comes from, for
        models whose document prompt has a place for a title."""

    def embed_query(self, text: str) -> list[float]: ...


class SentenceTransformerEmbedder:
    """Any sentence-transformers model folder (or name), loaded on first use.

    Models with query and document prompts (EmbeddingGemma: "task: search result | query: ",
    "title: none | text: ") get them through ``encode_query`` / ``encode_document``.
    """

    def __init__(self, model: str, *, batch_size: int = 8) -> None:
        self.model = model
        self.batch_size = batch_size
        self._loaded = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.model.rstrip("/").rsplit("/", 1)[-1]

    def warm_up(self):
        with self._lock:
            if self._loaded is None:
                try:
                    from sentence_transformers import SentenceTransformer

                    self._loaded = SentenceTransformer(self.model, device="cpu")
                except Exception as exc:
                    raise ModelError(
                        f"Could not load the embedding model {self.model}: {exc}. "
                        "Run `article-qa models pull`, or set ARTICLE_QA_EMBEDDER to a sentence-transformers "
                        "model folder."
                    ) from exc
        return self._loaded

    def tokenize(self, text: str) -> list:
        return self.warm_up().tokenizer(text, add_special_tokens=False)["input_ids"]

    def embed_documents(self, texts: Sequence[str], *, titles: Sequence[str] | None = None) -> list[list[float]]:
        if not texts:
            return []
        model = self.warm_up()
        prompts = titled_prompts(model.prompts.get("document", ""), len(texts), titles)
        vectors: list[list[float]] = [[] for _ in texts]
        for prompt in dict.fromkeys(prompts):  # one call per title: sentence-transformers takes one prompt a call
            positions = [i for i, p in enumerate(prompts) if p == prompt]
            encoded = model.encode_document(
                [texts[i] for i in positions],
                prompt=prompt,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
            )
            for i, vector in zip(positions, encoded.tolist()):
                vectors[i] = vector
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector = self.warm_up().encode_query([text], normalize_embeddings=True, convert_to_numpy=True)
        return vector[0].tolist()


def titled_prompts(prompt: str, count: int, titles: Sequence[str] | None) -> list[str]:
    """The document prompt for each text, naming its title where the prompt has a place for one
    (EmbeddingGemma's "title: none | text: ")."""
    if titles is None or "title: none" not in prompt:
        return [prompt] * count
    return [prompt.replace("title: none", f"title: {' '.join(title.split()) or 'none'}") for title in titles]
