"""A sentence-transformers model exported to ONNX with int8 weights, run by onnxruntime.

On a 2-core CPU the int8 graph embeds about three times as fast as the fp32 torch model (see
bench/results/embedder.md for the figures and the retrieval quality). The export is made
locally from the verified model folder (``export_int8``) into a folder beside it, with a
manifest that records the sha256 of the graph and of every tokenizer file; loading checks
each against it, so a missing, truncated or altered file is found before use.

Texts are embedded one at a time: without padding the quantized graph stays closest to the
fp32 model (cosine 0.98), and on two cores batching gained nothing measurable.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Sequence

from index.checksums import sha256_of
from index.embedding import titled_prompts
from index.errors import ModelError

GRAPH = "model.int8.onnx"
MANIFEST = "manifest.json"
_FIX = "Run `article-qa models pull` to make it again."


class OnnxEmbedder:
    """The Embedder Protocol over an exported folder (``GRAPH``, ``MANIFEST``, tokenizer files)."""

    def __init__(self, folder: str | Path, *, threads: int = 0) -> None:
        self.folder = Path(folder)
        self.threads = threads
        self._session = None
        self._tokenizer: Any = None
        self._prompts: dict[str, str] = {}
        self._max_length = 2048
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.folder.name

    def warm_up(self):
        with self._lock:
            if self._session is None:
                manifest = checked_manifest(self.folder)
                import onnxruntime
                from transformers import AutoTokenizer

                options = onnxruntime.SessionOptions()
                if self.threads:
                    options.intra_op_num_threads = self.threads
                self._tokenizer = AutoTokenizer.from_pretrained(self.folder)
                self._prompts = manifest.get("prompts", {})
                self._max_length = int(manifest.get("max_seq_length", self._max_length))
                self._session = onnxruntime.InferenceSession(
                    str(self.folder / GRAPH), options, providers=["CPUExecutionProvider"]
                )
        return self._session

    def tokenize(self, text: str) -> list:
        self.warm_up()  # the Rust tokenizer itself: the same ids as the Python wrapper's, in half the time
        return self._tokenizer.backend_tokenizer.encode(text, add_special_tokens=False).ids

    def embed_documents(self, texts: Sequence[str], *, titles: Sequence[str] | None = None) -> list[list[float]]:
        self.warm_up()  # the prompts are read from the manifest when the model loads
        prompts = titled_prompts(self._prompts.get("document", ""), len(texts), titles)
        return [self._embed(prompt + text) for prompt, text in zip(prompts, texts)]

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()  # the prompts are read from the manifest when the model loads
        return self._embed(self._prompts.get("query", "") + text)

    def _embed(self, text: str) -> list[float]:
        import numpy as np

        session = self.warm_up()
        encoded = self._tokenizer([text], return_tensors="np", truncation=True, max_length=self._max_length)
        inputs = {
            "input_ids": encoded["input_ids"].astype(np.int64),
            "attention_mask": encoded["attention_mask"].astype(np.int64),
        }
        vector = session.run(None, inputs)[0][0]
        return (vector / (np.linalg.norm(vector) or 1.0)).tolist()


def checked_manifest(folder: Path) -> dict:
    """The export's manifest, once its graph is found to match it; ModelError naming the fix if not."""
    manifest = _read_manifest(folder)
    graph = folder / GRAPH
    if not graph.is_file():
        raise ModelError(f"The exported embedder {graph} is missing. {_FIX}")
    if graph.stat().st_size != manifest.get("size") or sha256_of(graph) != manifest.get("sha256"):
        raise ModelError(f"The exported embedder {graph} does not match its manifest (truncated or altered). {_FIX}")
    files = manifest.get("files") or {}
    if not any(name.startswith("tokenizer") for name in files):
        raise ModelError(f"The exported embedder in {folder} lists no tokenizer files in its {MANIFEST}. {_FIX}")
    for name, expected in files.items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"The exported embedder's {path} is missing. {_FIX}")
        if path.stat().st_size != expected.get("size") or sha256_of(path) != expected.get("sha256"):
            raise ModelError(f"The exported embedder's {path} does not match its manifest. {_FIX}")
    return manifest


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"The exported embedder in {folder} has no readable {MANIFEST}. {_FIX}") from exc
