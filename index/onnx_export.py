"""Export a sentence-transformers model folder to one int8 ONNX graph for ``OnnxEmbedder``.

The whole module chain (transformer, pooling, dense layers) becomes one graph from token ids
and attention mask to the sentence vector, exported with torch's ONNX exporter; its MatMul
weights are then quantized to int8 per channel (onnxruntime's dynamic quantization). The
tokenizer files and the model's prompts are copied beside it, and a manifest records the
graph's sha256, size and the source it was made from. About two minutes on two cores.

Needs ``onnx`` and ``onnxscript`` (the exporter) besides torch and onnxruntime.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
import time
import warnings
from pathlib import Path

from index.checksums import sha256_of
from index.onnx_embedding import GRAPH, MANIFEST

TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
                   "added_tokens.json", "config.json")  # fmt: skip


def export_int8(model_dir: Path, out_dir: Path, *, source_sha256: str = "") -> Path:
    """Write ``out_dir`` (graph, tokenizer, manifest) from ``model_dir``; replaces what was there."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    class SentenceVector(torch.nn.Module):  # tensors in, the sentence vector out, as the exporter needs
        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]

    started = time.perf_counter()
    model = SentenceTransformer(str(model_dir), device="cpu").eval()
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        with _quiet():  # the exporter's and quantizer's progress lines are for their developers
            sample = model.tokenizer(["title: none | text: Ein Satz.", "kurz"], padding=True, return_tensors="pt")
            batch, length = torch.export.Dim("batch"), torch.export.Dim("length")
            fp32 = staging / "model.fp32.onnx"
            torch.onnx.export(
                SentenceVector(model).eval(),
                (sample["input_ids"], sample["attention_mask"]),
                str(fp32),
                input_names=["input_ids", "attention_mask"],
                output_names=["sentence_embedding"],
                dynamic_shapes={"input_ids": {0: batch, 1: length}, "attention_mask": {0: batch, 1: length}},
                dynamo=True,
                verbose=False,
                external_data=True,
            )
            graph = onnx.load(str(fp32))
            del graph.graph.value_info[:]  # the exporter's shape hints trip the quantizer's shape inference
            cleaned = staging / "model.clean.onnx"
            onnx.save(graph, str(cleaned), save_as_external_data=True, location="model.clean.onnx.data")
            del graph
            quantize_dynamic(str(cleaned), str(staging / GRAPH), weight_type=QuantType.QInt8, per_channel=True)
        for leftover in staging.glob("model.*"):
            if leftover.name != GRAPH:
                leftover.unlink()
        for name in TOKENIZER_FILES:
            if (model_dir / name).is_file():
                shutil.copy2(model_dir / name, staging / name)
        manifest = {
            "graph": GRAPH,
            "sha256": sha256_of(staging / GRAPH),
            "size": (staging / GRAPH).stat().st_size,
            "files": {  # the tokenizer files, checked at every load like the graph
                name: {"sha256": sha256_of(staging / name), "size": (staging / name).stat().st_size}
                for name in TOKENIZER_FILES
                if (staging / name).is_file()
            },
            "source": model_dir.name,
            "source_sha256": source_sha256,
            "prompts": {key: model.prompts[key] for key in ("query", "document") if key in model.prompts},
            "max_seq_length": int(model.max_seq_length or model.tokenizer.model_max_length),
            "quantization": "dynamic int8, per channel, MatMul weights (onnxruntime)",
            "export_seconds": round(time.perf_counter() - started, 1),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)  # whole or not at all: a crash leaves only the hidden staging folder
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir


@contextlib.contextmanager
def _quiet():
    """Warnings and log lines below ERROR are kept back while the exporter and quantizer run."""
    loggers = [logging.getLogger(name) for name in ("", "torch", "torch.onnx", "onnxruntime")]
    levels = [logger.level for logger in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)
