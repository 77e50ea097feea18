"""Settings: every path, model and knob in one frozen dataclass.

Read once, at the entry points (CLI, UI, eval), with ``Settings.from_env()``; library code
takes a Settings (or plain arguments) and never reads the environment itself.

Environment variables (all optional):

    ARTICLE_QA_HOME          base folder for data/ and models/ (default: the project folder)
    ARTICLE_QA_DATA_DIR      where the Chroma index lives (default: HOME/data)
    ARTICLE_QA_MODELS_DIR    where models are pulled to (default: HOME/models)
    ARTICLE_QA_ARTICLES      the default corpus folder (default: the sample articles)
    ARTICLE_QA_COLLECTION    Chroma collection name (default: articles)
    ARTICLE_QA_CHROMA_HOST   use the Chroma server on this host instead of the embedded index
    ARTICLE_QA_CHROMA_PORT   its port (default: 8000)
    ARTICLE_QA_CHROMA_TOKEN  sent as a bearer token (for a server behind an auth proxy)
    ARTICLE_QA_CHROMA_SSL    1 to use https
    ARTICLE_QA_CHUNK_TOKENS  chunk size in embedder tokens (default: 160)
    ARTICLE_QA_OVERLAP_TOKENS  tokens shared by neighbouring chunks (default: 30)
    ARTICLE_QA_MAX_FILE_BYTES  larger files are skipped (default: 20,000,000)
    ARTICLE_QA_EMBEDDER      sentence-transformers model folder or name
    ARTICLE_QA_EMBEDDER_BACKEND  onnx-int8 (default): the default embedder's int8 ONNX export, made
                             by `article-qa models pull`, about 3x faster on CPU; torch: the fp32 model
    ARTICLE_QA_LLM_PATH      GGUF file for the in-process model
    ARTICLE_QA_LLM_URL       base URL of an OpenAI-compatible server (used instead of the GGUF)
    ARTICLE_QA_LLM_MODEL     model name to send to that server
    ARTICLE_QA_LLM_API_KEY   API key for that server
    ARTICLE_QA_LLM_GRAMMAR   1 when that server is llama.cpp's: it then gets the answer grammar too
    ARTICLE_QA_TOP_K         chunks retrieved per question (default: 5)
    ARTICLE_QA_MIN_SCORE     lowest cosine similarity a passage needs to be used (default: 0.25)
    ARTICLE_QA_BUDGET_TOKENS tokens of article text the model reads per question (default: 150;
                             0 sends the retrieved chunks whole)
    ARTICLE_QA_THREADS       CPU threads for the in-process model (default: all cores)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from index.articles import DEFAULT_MAX_FILE_BYTES
from index.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from rag.model_files import EMBEDDINGGEMMA_300M, QWEN_CODER_1_5B
from rag.passages import DEFAULT_BUDGET_TOKENS

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_home() -> Path:
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT  # a checkout: keep data and models beside the code
    return Path.home() / ".local" / "share" / "article-qa"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    models_dir: Path
    articles_dir: Path
    collection: str = "articles"
    chroma_host: str = ""  # empty: embedded Chroma in data_dir
    chroma_port: int = 8000
    chroma_token: str = ""
    chroma_ssl: bool = False
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    embedder: str = ""  # empty: the pulled EmbeddingGemma in models_dir
    embedder_backend: str = "onnx-int8"  # or "torch" (fp32 sentence-transformers); see index.onnx_embedding
    llm_path: str = ""  # empty: the pulled Qwen2.5-Coder GGUF in models_dir
    llm_url: str = ""
    llm_model: str = "default"
    llm_api_key: str = ""
    llm_grammar: bool = False
    top_k: int = 5
    min_score: float = 0.25
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    max_answer_tokens: int = 200
    budget_tokens: int = DEFAULT_BUDGET_TOKENS
    threads: int = 0  # 0: all cores
    context_tokens: int = 4096

    @classmethod
    def defaults(cls, home: Path | None = None) -> "Settings":
        home = home or _default_home()
        return cls(data_dir=home / "data", models_dir=home / "models", articles_dir=PROJECT_ROOT / "articles")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        home = Path(env["ARTICLE_QA_HOME"]) if env.get("ARTICLE_QA_HOME") else None
        base = cls.defaults(home)

        def get(name: str, default):
            value = env.get(f"ARTICLE_QA_{name}")
            if value in (None, ""):
                return default
            if isinstance(default, bool):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return Path(value) if isinstance(default, Path) else type(default)(value)

        return replace(
            base,
            data_dir=get("DATA_DIR", base.data_dir),
            models_dir=get("MODELS_DIR", base.models_dir),
            articles_dir=get("ARTICLES", base.articles_dir),
            collection=get("COLLECTION", base.collection),
            chroma_host=get("CHROMA_HOST", base.chroma_host),
            chroma_port=get("CHROMA_PORT", base.chroma_port),
            chroma_token=get("CHROMA_TOKEN", base.chroma_token),
            chroma_ssl=get("CHROMA_SSL", base.chroma_ssl),
            max_file_bytes=get("MAX_FILE_BYTES", base.max_file_bytes),
            chunk_tokens=get("CHUNK_TOKENS", base.chunk_tokens),
            overlap_tokens=get("OVERLAP_TOKENS", base.overlap_tokens),
            embedder=get("EMBEDDER", base.embedder),
            embedder_backend=get("EMBEDDER_BACKEND", base.embedder_backend),
            llm_path=get("LLM_PATH", base.llm_path),
            llm_url=get("LLM_URL", base.llm_url),
            llm_model=get("LLM_MODEL", base.llm_model),
            llm_api_key=get("LLM_API_KEY", base.llm_api_key),
            llm_grammar=get("LLM_GRAMMAR", base.llm_grammar),
            top_k=get("TOP_K", base.top_k),
            min_score=get("MIN_SCORE", base.min_score),
            budget_tokens=get("BUDGET_TOKENS", base.budget_tokens),
            threads=get("THREADS", base.threads),
        )

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    def __repr__(self) -> str:  # secrets stay out of logs and tracebacks
        hidden = {"llm_api_key", "chroma_token"}
        shown = ", ".join(
            f"{name}={'***' if name in hidden and getattr(self, name) else repr(getattr(self, name))}"
            for name in self.__dataclass_fields__
        )
        return f"Settings({shown})"

    @property
    def uses_default_embedder(self) -> bool:
        return not self.embedder

    @property
    def uses_default_llm(self) -> bool:
        return not self.llm_path and not self.llm_url

    @property
    def embedder_model(self) -> str:
        return self.embedder or str(self.models_dir / EMBEDDINGGEMMA_300M.target)

    @property
    def onnx_embedder_dir(self) -> Path:
        """Where the default embedder's int8 ONNX export lives, beside the model it was made from."""
        return self.models_dir / f"{EMBEDDINGGEMMA_300M.target}-onnx-int8"

    @property
    def llm_file(self) -> Path:
        return Path(self.llm_path) if self.llm_path else self.models_dir / QWEN_CODER_1_5B.target
