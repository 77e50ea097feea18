"""The Embedder Protocol over an OpenAI-compatible ``/embeddings`` endpoint: Infinity, llama.cpp's
server, vLLM, Hugging Face TEI, or OpenAI itself.

The server only turns texts into vectors. Everything that decides which text is embedded stays
here, so that a remote index is built exactly as a local one: the model's query and document
prompts (EmbeddingGemma's "task: search result | query: " and "title: none | text: ") are
applied on this side, and chunk sizes are counted with the model's own tokenizer, read from its
local folder (the tokenizer files only; no weights are loaded).

Texts go in batches of ``batch_size``, ``concurrency`` requests at once; a 429, a 5xx, a timeout
or a dropped connection is tried again after 0.5 s, 1 s, 2 s, ... (or the server's Retry-After),
``retries`` times. Any other refusal is one EmbedderError saying what to check. Vectors are
normalised here (cosine search), and every vector of one embedder must have the same size.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Sequence

from index.embedding import titled_prompts
from index.errors import ModelError

RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_WAIT_S = 30.0  # the longest pause before a retry, whatever Retry-After asks


class RemoteEmbedder:
    """Embeds through ``{base_url}/embeddings`` (the base URL as an OpenAI client takes it:
    ``http://host:8080/v1`` for llama.cpp or vLLM, ``http://host:7997`` for Infinity)."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str,
        tokenizer_folder: str | Path,
        api_key: str = "",
        batch_size: int = 32,
        concurrency: int = 4,
        retries: int = 4,
        timeout_s: float = 120.0,
        transport: Any = None,  # an httpx transport, for tests
        tokenize: Callable[[str], list] | None = None,  # instead of the folder's tokenizer, for tests
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.tokenizer_folder = Path(tokenizer_folder)
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.retries = retries
        self.timeout_s = timeout_s
        self._api_key = api_key
        self._transport = transport
        self._client: Any = None
        self._tokenize = tokenize
        self._prompts: dict[str, str] = {}
        self._dimensions = 0
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The model served; another model (or the local export of it) means other vectors."""
        return f"{self.model} (OpenAI-compatible API)"

    def warm_up(self) -> None:
        with self._lock:
            if self._client is None:
                import httpx

                try:
                    self._tokenize = self._tokenize or _tokenizer_of(self.tokenizer_folder)
                except Exception as exc:
                    raise ModelError(
                        f"The remote embedder needs the tokenizer of {self.model} in {self.tokenizer_folder} "
                        f"to count chunk sizes ({type(exc).__name__}). Run `article-qa models pull`, or set "
                        "ARTICLE_QA_EMBEDDER to the model's folder."
                    ) from exc
                self._prompts = _prompts_of(self.tokenizer_folder)
                headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
                self._client = httpx.Client(
                    headers=headers,
                    timeout=self.timeout_s,
                    transport=self._transport,
                    limits=httpx.Limits(max_connections=self.concurrency),
                )
                self._check_model()

    def tokenize(self, text: str) -> list:
        self.warm_up()
        assert self._tokenize is not None  # set by warm_up
        return self._tokenize(text)

    def embed_documents(self, texts: Sequence[str], *, titles: Sequence[str] | None = None) -> list[list[float]]:
        self.warm_up()
        prompts = titled_prompts(self._prompts.get("document", ""), len(texts), titles)
        return self._embed([prompt + text for prompt, text in zip(prompts, texts)])

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        return self._embed([self._prompts.get("query", "") + text])[0]

    def _embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        batches = [texts[first : first + self.batch_size] for first in range(0, len(texts), self.batch_size)]
        if len(batches) == 1:
            return self._embed_batch(batches[0])
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(batches))) as pool:
            return [vector for batch in pool.map(self._embed_batch, batches) for vector in batch]

    def _embed_batch(self, texts: list[str]) -> list[list[float]]:
        answer = self._post({"model": self.model, "input": texts})
        try:
            records = sorted(answer["data"], key=lambda record: record["index"])
            vectors = [_normalised(record["embedding"]) for record in records]
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(
                f"The embeddings server at {self.base_url} sent an answer that holds no embeddings."
            ) from exc
        if len(vectors) != len(texts):
            raise ModelError(
                f"The embeddings server at {self.base_url} sent {len(vectors)} vectors for {len(texts)} texts."
            )
        self._check_size(vectors)
        return vectors

    def _check_size(self, vectors: list[list[float]]) -> None:
        with self._lock:
            for vector in vectors:
                if not self._dimensions:
                    self._dimensions = len(vector)
                if len(vector) != self._dimensions:
                    raise ModelError(
                        f"The embeddings server at {self.base_url} sent vectors of {len(vector)} and of "
                        f"{self._dimensions} numbers for {self.model}: is more than one model behind that URL?"
                    )

    def _post(self, body: dict) -> dict:
        import httpx

        url = f"{self.base_url}/embeddings"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._client.post(url, json=body)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if last:
                    raise ModelError(
                        f"Could not reach the embeddings server at {self.base_url} ({type(exc).__name__}, "
                        f"{attempt + 1} tries). Is it running? Check ARTICLE_QA_EMBEDDER_URL."
                    ) from exc
                time.sleep(_backoff(attempt))
                continue
            if response.status_code == 200:
                try:
                    return response.json()
                except json.JSONDecodeError as exc:
                    raise ModelError(f"The embeddings server at {self.base_url} did not answer in JSON.") from exc
            if response.status_code in RETRIED_STATUSES and not last:
                time.sleep(_backoff(attempt, response.headers.get("retry-after")))
                continue
            raise ModelError(self._refusal(response.status_code, attempt + 1))
        raise AssertionError("unreachable: the last try returns or raises")

    def _refusal(self, status: int, tries: int) -> str:
        """What an HTTP refusal means for the user; the server's own text is not shown (it may
        echo the API key or the texts)."""
        where = f"The embeddings server at {self.base_url}"
        if status in (401, 403):
            return f"{where} refused the API key (HTTP {status}). Check ARTICLE_QA_EMBEDDER_API_KEY."
        if status == 404:
            return (
                f"{where} has no {self.base_url}/embeddings, or no model {self.model!r} (HTTP 404). Check "
                "ARTICLE_QA_EMBEDDER_URL (the base URL, as an OpenAI client takes it: often ending in /v1) "
                f"and ARTICLE_QA_EMBEDDER_MODEL.{self._served()}"
            )
        if status in (400, 422):
            return (
                f"{where} refused the request for model {self.model!r} (HTTP {status}). Check "
                f"ARTICLE_QA_EMBEDDER_MODEL.{self._served()}"
            )
        if status in RETRIED_STATUSES:
            return f"{where} answered HTTP {status} {tries} times. Try again later, or check that server's log."
        return f"{where} answered HTTP {status}. Check ARTICLE_QA_EMBEDDER_URL and that server's log."

    def _check_model(self) -> None:
        """A server that lists its models must list ours (Infinity with one model answers any name)."""
        served = self._served_models()
        if served and self.model not in served:
            raise ModelError(
                f"The embeddings server at {self.base_url} does not serve {self.model!r}; it serves: "
                f"{', '.join(served)}. Set ARTICLE_QA_EMBEDDER_MODEL to the one this index is built with."
            )

    def _served_models(self) -> list[str]:
        """The server's model list (GET /models); none when it has none or cannot be reached
        (then the first request says what is wrong)."""
        try:
            answer = self._client.get(f"{self.base_url}/models", timeout=10)
            return [str(record["id"]) for record in answer.json()["data"]] if answer.status_code == 200 else []
        except Exception:  # a check only: no list, no check
            return []

    def _served(self) -> str:
        """ " It serves: a, b." from the server's model list, when it has one."""
        try:
            answer = self._client.get(f"{self.base_url}/models", timeout=10)
            names = [str(record["id"]) for record in answer.json()["data"]]
        except Exception:  # a hint only: no list, no hint
            return ""
        return f" It serves: {', '.join(names)}." if names else ""


def _tokenizer_of(folder: Path) -> Callable[[str], list]:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    return lambda text: tokenizer.backend_tokenizer.encode(text, add_special_tokens=False).ids  # fast path


def _prompts_of(folder: Path) -> dict[str, str]:
    """The query and document prompts of a sentence-transformers folder (none: plain texts)."""
    try:
        config = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    prompts = config.get("prompts") or {}
    return {kind: prompts[kind] for kind in ("query", "document") if isinstance(prompts.get(kind), str)}


def _normalised(vector: Sequence[float]) -> list[float]:
    values = [float(value) for value in vector]
    length = sum(value * value for value in values) ** 0.5
    return [value / length for value in values] if length else values


def _backoff(attempt: int, retry_after: str | None = None) -> float:
    try:
        asked = float(retry_after) if retry_after else 0.0
    except ValueError:  # an HTTP date: not worth parsing for a pause this short
        asked = 0.0
    return min(MAX_WAIT_S, max(asked, 0.5 * 2**attempt))
