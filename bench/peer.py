"""LlamaIndex's ``CitationQueryEngine`` as the peer our pipeline is measured against.

It is built on the same Chroma collection (our chunks, read through llama-index's
``ChromaVectorStore``), the same embedder and the same language model, each wrapped in
llama-index's own interface, and left with its defaults otherwise: its citation prompt, the
same number of retrieved chunks as ours, whole chunks as its sources.

Its answer becomes an ``Answer`` so that the eval harness scores both sides alike: ``[n]``
cites the n-th source chunk, quoted whole and located in the article's text. Its prompt asks it
to "indicate" when no source helps, so a reply that cites no source, or opens by saying the
sources do not answer, counts as its refusal.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Sequence, cast

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.base.response.schema import StreamingResponse
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import PrivateAttr

from index import detect_language
from index.embedding import Embedder
from index.store import ChromaStore
from rag import Answer, Assistant
from rag.backends import ChatBackend
from rag.citations import MARKER
from rag.types import Citation

_SOURCE_HEADER = re.compile(r"^Source \d+:\n")
_REFUSAL = re.compile(
    r"^[^.\n]*\b(none of the (provided )?sources|(do|does|did) not (mention|provide|contain|specify|say|state|include)"
    r"|no information|not (mentioned|provided|specified|available)|keine (angabe|information)|nicht (erwähnt|genannt))",
    re.IGNORECASE,
)


class EmbedderForLlamaIndex(BaseEmbedding):
    """Our embedder behind llama-index's embedding interface (queries get the query prompt)."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder) -> None:
        super().__init__(model_name=embedder.name)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return list(self._embedder.embed_query(query))

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return list(self._embedder.embed_documents([text])[0])


class BackendForLlamaIndex(CustomLLM):
    """Our chat backend behind llama-index's LLM interface: the prompt goes as one user message."""

    context_window: int = 4096
    num_output: int = 200
    _backend: Any = PrivateAttr()

    def __init__(self, backend: ChatBackend, *, context_window: int, num_output: int) -> None:
        super().__init__(context_window=context_window, num_output=num_output)
        self._backend = backend

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window, num_output=self.num_output, model_name=self._backend.name
        )

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text="".join(self._pieces(prompt)))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Iterator[CompletionResponse]:
        def responses():
            text = ""
            for piece in self._pieces(prompt):
                text += piece
                yield CompletionResponse(text=text, delta=piece)

        return responses()

    def _pieces(self, prompt: str) -> Iterator[str]:
        return self._backend.stream_chat([{"role": "user", "content": prompt}], max_tokens=self.num_output)


class CitationPeer:
    """``ask_stream`` as ``Assistant.ask_stream`` has it: text pieces, then the ``Answer``."""

    def __init__(self, assistant: Assistant, *, context_window: int = 4096) -> None:
        from llama_index.core import Settings as LlamaSettings
        from llama_index.core import VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.vector_stores.chroma import ChromaVectorStore

        embedder = assistant.embedder
        # llama-index measures prompts with tiktoken by default, which would fetch its tables
        # from the network: the embedder's tokenizer counts instead (its default splitter too).
        LlamaSettings.tokenizer = embedder.tokenize
        llm = BackendForLlamaIndex(
            assistant.backend, context_window=context_window, num_output=assistant.max_answer_tokens
        )
        index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=_chroma_store(assistant).chunk_collection),
            embed_model=EmbedderForLlamaIndex(embedder),
        )
        self.engine = CitationQueryEngine.from_args(
            index,
            llm=llm,
            similarity_top_k=assistant.top_k,
            text_splitter=SentenceSplitter(chunk_size=512, chunk_overlap=20, tokenizer=embedder.tokenize),
            streaming=True,
        )
        self.store = assistant.store

    def ask_stream(self, question: str) -> Iterator[str | Answer]:
        response = self.engine.query(question)
        assert isinstance(response, StreamingResponse)  # the engine was made with streaming=True
        pieces = []
        for piece in cast(Iterator[str], response.response_gen):
            pieces.append(piece)
            yield piece
        yield self.to_answer(question, "".join(pieces).strip(), [source.node for source in response.source_nodes])

    def to_answer(self, question: str, text: str, sources: Sequence[Any]) -> Answer:
        cited = sorted({int(n) for group in MARKER.findall(text) for n in re.split(r"[,;]", group)})
        cited = [n for n in cited if 1 <= n <= len(sources)]
        nodes = {n: sources[n - 1] for n in cited}
        article_ids = sorted({node.metadata.get("article_id", "") for node in nodes.values()})
        texts = {stored.article.id: stored.article.text for stored in self.store.articles(article_ids)}
        citations = []
        for n, node in nodes.items():
            quote = _SOURCE_HEADER.sub("", node.get_content()).strip()
            article_id = node.metadata.get("article_id", "")
            start = texts.get(article_id, "").find(quote)
            citations.append(
                Citation(
                    n,
                    article_id,
                    node.metadata.get("title", ""),
                    quote,
                    start,
                    start + len(quote) if start >= 0 else -1,
                )
            )
        refused = not citations or bool(_REFUSAL.search(text))
        return Answer(question, text, tuple(citations), refused, detect_language(question))


def _chroma_store(assistant: Assistant) -> ChromaStore:
    """The peer reads our Chroma collection directly: it needs the Chroma store."""
    if not isinstance(assistant.store, ChromaStore):
        raise TypeError("the llama-index peer needs the assistant's Chroma store")
    return assistant.store
