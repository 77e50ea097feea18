"""SQuAD v1.1 files to a corpus folder and an eval dataset.

``convert(FILE, OUT)`` writes ``OUT/corpus/<title>.md`` (one article per SQuAD title, its
paragraphs in order, with front matter) and ``OUT/dataset.jsonl`` (one item per question:
``expect: {any: [gold answers]}``, ``sources: [<title>]``). With ``questions_from``, a
second SQuAD file with the same question ids (XQuAD's other language), the questions are
taken from it and its gold answers are added as alternatives: German corpus, English
questions, answers accepted in either language. Licence and readme files found beside FILE
are copied to OUT, so the data keeps its attribution.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from eval.dataset import DatasetError


@dataclass(frozen=True)
class Converted:
    articles: int
    questions: int
    corpus: Path
    dataset: Path


def convert(squad_file: Path, out_dir: Path, *, questions_from: Path | None = None) -> Converted:
    data = _load(squad_file)
    other = {}
    if questions_from is not None:
        other = {qa["id"]: qa for article in _load(questions_from) for p in article["paragraphs"] for qa in p["qas"]}
    corpus = out_dir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    language = _language_of(squad_file)
    items: list[dict] = []
    for article in data:
        article_id = _slug(article.get("title", "")) or f"article-{len(items)}"
        title = article.get("title", article_id).replace("_", " ")
        paragraphs = [paragraph["context"].strip() for paragraph in article["paragraphs"]]
        front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsource: {squad_file.name}\n"
        front += f"language: {language}\n---\n" if language else "---\n"
        (corpus / f"{article_id}.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                translated = other.get(qa["id"], {})
                answers = [a["text"] for a in qa.get("answers", []) + translated.get("answers", [])]
                items.append(
                    {
                        "id": qa["id"],
                        "question": translated.get("question", qa["question"]),
                        "expect": {"any": list(dict.fromkeys(a.strip() for a in answers if a.strip()))},
                        "sources": [article_id],
                    }
                )
    dataset = out_dir / "dataset.jsonl"
    dataset.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    for beside in sorted(squad_file.parent.iterdir()):
        if beside.is_file() and beside.name.upper().startswith(("LICENSE", "LICENCE", "README", "NOTICE")):
            shutil.copyfile(beside, out_dir / beside.name)
    return Converted(len(data), len(items), corpus, dataset)


def _load(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatasetError(f"{path} is not a readable SQuAD v1.1 file: {exc}") from exc
    if not isinstance(data, list):
        raise DatasetError(f"{path}: 'data' must be a list of articles")
    return data


def _slug(title: str) -> str:
    return re.sub(r"[^\w-]+", "-", title, flags=re.UNICODE).strip("-").lower()


def _language_of(path: Path) -> str:
    """XQuAD names its files ``xquad.<language>.json``."""
    match = re.search(r"\.([a-z]{2})\.json$", path.name)
    return match.group(1) if match else ""
