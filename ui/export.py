"""An answer for the UI's export panel: the Markdown and JSON of ``rag.export`` (the shapes the
HTTP API returns), shown to copy and written to files to download."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from rag import Answer
from rag.export import answer_json, answer_markdown


def exported(answer: Answer, folder: Path) -> tuple[str, str, Path, Path]:
    """(Markdown, JSON text, the Markdown file, the JSON file); the files are named after the
    question and written into a folder of their own, so that two answers never share one."""
    markdown = answer_markdown(answer)
    text = json.dumps(answer_json(answer), ensure_ascii=False, indent=2)
    name = "-".join(re.findall(r"\w+", answer.question.lower())[:8]) or "answer"
    into = folder / uuid.uuid4().hex[:12]
    into.mkdir(parents=True)
    markdown_file, json_file = into / f"{name}.md", into / f"{name}.json"
    markdown_file.write_text(markdown + "\n", encoding="utf-8")
    json_file.write_text(text + "\n", encoding="utf-8")
    return markdown, text, markdown_file, json_file
