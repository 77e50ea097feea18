import json
from dataclasses import replace

import pytest

from index import SentenceTransformerEmbedder
from index.checksums import sha256_of
from index.errors import ModelError, SettingsError
from index.onnx_embedding import GRAPH, MANIFEST, OnnxEmbedder
from rag.parts import open_embedder
from rag.settings import Settings


def exported(folder, graph=b"not really a graph"):
    folder.mkdir()
    (folder / GRAPH).write_bytes(graph)
    (folder / "tokenizer.json").write_text('{"not": "really a tokenizer"}')
    manifest = {
        "sha256": sha256_of(folder / GRAPH),
        "size": len(graph),
        "files": {"tokenizer.json": {"sha256": sha256_of(folder / "tokenizer.json"), "size": 30}},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest))
    return folder


def test_a_missing_export_names_the_command_that_makes_it(tmp_path):
    with pytest.raises(ModelError, match="article-qa models pull"):
        OnnxEmbedder(tmp_path / "nothing").embed_query("x")


@pytest.mark.parametrize("damage", [lambda g: g[:-3], lambda g: g[:-3] + b"XYZ"], ids=["truncated", "altered"])
def test_a_truncated_or_altered_graph_is_found_by_its_hash_before_use(tmp_path, damage):
    folder = exported(tmp_path / "export")
    (folder / GRAPH).write_bytes(damage((folder / GRAPH).read_bytes()))
    with pytest.raises(ModelError, match="does not match its manifest.*models pull"):
        OnnxEmbedder(folder).embed_query("x")


@pytest.mark.parametrize(
    "damage, problem",
    [
        (lambda folder: (folder / "tokenizer.json").unlink(), "tokenizer.json is missing"),
        (lambda folder: (folder / "tokenizer.json").write_text("{}"), "tokenizer.json does not match"),
        (
            lambda folder: (folder / MANIFEST).write_text(
                json.dumps({**json.loads((folder / MANIFEST).read_text()), "files": {}})
            ),
            "lists no tokenizer files",
        ),
    ],
    ids=["removed", "altered", "unlisted"],
)
def test_every_tokenizer_file_of_the_export_is_checked_against_the_manifest(tmp_path, damage, problem):
    folder = exported(tmp_path / "export")
    damage(folder)
    with pytest.raises(ModelError, match=f"{problem}.*models pull"):
        OnnxEmbedder(folder).embed_query("x")


def test_the_default_embedder_is_the_int8_export_and_torch_can_be_chosen(tmp_path, monkeypatch):
    settings = Settings.defaults(tmp_path)
    with pytest.raises(ModelError, match="models pull"):  # the default model's files are verified first
        open_embedder(settings)
    monkeypatch.setattr("rag.parts.model_files.verify", lambda spec, folder: None)
    assert isinstance(open_embedder(settings), OnnxEmbedder)
    assert isinstance(open_embedder(replace(settings, embedder_backend="torch")), SentenceTransformerEmbedder)
    custom = replace(settings, embedder="some/sentence-transformers-model")  # the export is of the default model only
    assert isinstance(open_embedder(custom), SentenceTransformerEmbedder)


def test_an_unknown_embedder_backend_is_a_clear_error(tmp_path):
    settings = Settings.defaults(tmp_path)
    with pytest.raises(SettingsError, match="ARTICLE_QA_EMBEDDER_BACKEND must be one of onnx-int8, torch"):
        replace(settings, embedder_backend="tensorrt")
