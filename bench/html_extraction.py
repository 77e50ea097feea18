"""Main text of real news pages: our ``index.html_text`` against trafilatura, with gold text.

    python -m bench.html_extraction --pages PATH [--out bench/results/html_extraction.md]

PATH is the test data of newspaper4k's source distribution, read where it lies and never
copied here (the pages belong to their sites): its ``tests/data`` folder, or the downloaded
archive itself (``pip download --no-deps --no-binary :all: newspaper4k==0.9.6``). Every page
``html/NAME.html`` with a gold text ``txt/NAME.txt`` counts; ``metadata/NAME.json`` gives its
publication date where it has one. The gold texts are the article bodies newspaper's own
tests expect: a reference, not a human annotation, so a few points either way mean little.

Per extractor: precision, recall and F1 of the output's word tokens against the gold text's
(bags of lower-cased words; a character of Chinese, Japanese, Thai or Burmese counts as a word),
averaged over pages; boilerplate left in, the share of output lines of four words or more of
which fewer than half the words are in the gold text; pages with no text; the date's day
against the metadata's; and the time per page.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import tarfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from index.dates import iso_date
from index.formats import decode
from index.html_text import extract
from index.main_text import page_text

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "html_extraction.md"
_TOKEN = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|[^\W_]+")
_BOILERPLATE_LINE_WORDS = 4


@dataclass(frozen=True)
class Page:
    name: str
    html: str
    gold: str
    date: str | None  # YYYY-MM-DD


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    boilerplate_lines: int
    lines: int
    empty: bool
    date: str  # "right" | "wrong" | "none" | "" (no gold date)
    seconds: float


def _ours(html: str) -> tuple[str, str | None]:
    page = extract(html)
    return page.text, page.date


def _trafilatura(html: str) -> tuple[str, str | None]:
    import trafilatura
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    return (document.text or "", document.date) if isinstance(document, Document) else ("", None)


def _trafilatura_precise(html: str) -> tuple[str, str | None]:
    import trafilatura
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
    )
    return (document.text or "", document.date) if isinstance(document, Document) else ("", None)


def _chosen(html: str) -> tuple[str, str | None]:
    page, _ = page_text(html)
    return page.text, page.date


EXTRACTORS: dict[str, Callable[[str], tuple[str, str | None]]] = {
    "index.html_text (ours, before)": _ours,
    "trafilatura 2.3 (defaults, no comments)": _trafilatura,
    "trafilatura 2.3, favor_precision": _trafilatura_precise,
    "index.pages (chosen: hidden markup out, trafilatura, ours as fallback)": _chosen,
}


def read_pages(path: Path) -> list[Page]:
    """The pages with a gold text in newspaper4k's test data (a folder, or the sdist archive)."""
    files: dict[str, bytes] = {}
    if path.is_file():
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                if member.isfile() and "/tests/data/" in member.name:
                    stream = archive.extractfile(member)
                    if stream is not None:
                        files[member.name.split("/tests/data/", 1)[1]] = stream.read()
    else:
        for file in path.rglob("*"):
            if file.is_file():
                files[file.relative_to(path).as_posix()] = file.read_bytes()
    pages = []
    for name in sorted(key[5:-5] for key in files if key.startswith("html/") and key.endswith(".html")):
        gold = files.get(f"txt/{name}.txt")
        if gold is None:
            continue
        meta = json.load(io.BytesIO(files[f"metadata/{name}.json"])) if f"metadata/{name}.json" in files else {}
        date = meta.get("publish_date") or None
        pages.append(Page(name, decode(files[f"html/{name}.html"]), gold.decode("utf-8"), date and date[:10]))
    return pages


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def score(page: Page, extractor: Callable[[str], tuple[str, str | None]]) -> Score:
    started = time.perf_counter()
    text, date = extractor(page.html)
    seconds = time.perf_counter() - started
    found, gold = Counter(tokens(text)), Counter(tokens(page.gold))
    shared = sum((found & gold).values())
    precision = shared / sum(found.values()) if found else 0.0
    recall = shared / sum(gold.values()) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    lines = [tokens(line) for line in text.splitlines()]
    lines = [line for line in lines if len(line) >= _BOILERPLATE_LINE_WORDS]
    stray = sum(sum(word in gold for word in line) < len(line) / 2 for line in lines)
    if page.date is None:
        dated = ""
    else:
        dated = "none" if not date else ("right" if _day(date) == page.date else "wrong")
    return Score(precision, recall, f1, stray, len(lines), not text.strip(), dated, seconds)


def _day(date: str) -> str:
    return (iso_date(date) or "")[:10]


def measure(pages: list[Page]) -> dict[str, list[Score]]:
    results = {}
    for name, extractor in EXTRACTORS.items():
        extractor(pages[0].html)  # imports and caches, outside the timing
        results[name] = [score(page, extractor) for page in pages]
    return results


def markdown(pages: list[Page], results: dict[str, list[Score]], source: str) -> str:
    dated = sum(page.date is not None for page in pages)
    lines = [
        f"`python -m bench.html_extraction --pages {source}`: main text of {len(pages)} real news pages "
        "(newspaper4k 0.9.6's test pages and gold texts: CNN, Time, Wired, Fox 13, cleveland.com, Yonhap "
        "and Arabic, Chinese, Japanese, Latvian, Spanish and Thai sites; read from the package, not kept here)",
        "",
        "| extractor | precision | recall | F1 | boilerplate lines left | pages without text "
        f"| date right / wrong / none (of {dated}) | ms per page (median / mean) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, scores in results.items():
        dates = Counter(score.date for score in scores)
        times = [score.seconds * 1000 for score in scores]
        left = sum(score.boilerplate_lines for score in scores)
        total = sum(score.lines for score in scores)
        lines.append(
            f"| {name} | {_mean(scores, 'precision'):.3f} | {_mean(scores, 'recall'):.3f} | {_mean(scores, 'f1'):.3f} "
            f"| {left} of {total} ({left / max(total, 1):.0%}) | {sum(score.empty for score in scores)} "
            f"| {dates['right']} / {dates['wrong']} / {dates['none']} "
            f"| {statistics.median(times):.0f} / {statistics.mean(times):.0f} |"
        )
    names = list(results)
    lines += ["", "F1 per page:", "", "| page | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for i, page in enumerate(pages):
        lines.append(f"| {page.name} | " + " | ".join(f"{results[name][i].f1:.3f}" for name in names) + " |")
    lines += [
        "",
        "The pages: `pip download --no-deps --no-binary :all: newspaper4k==0.9.6` (its tests/data: html/, txt/,"
        " metadata/); the gold texts are what newspaper's own tests expect it to extract, so an extractor that"
        " cuts where newspaper cuts scores higher. The pages' hidden elements held no article text, so taking"
        " them out first changes nothing here; it is there so that hidden text never becomes article text.",
    ]
    return "\n".join(lines) + "\n"


def _mean(scores: list[Score], name: str) -> float:
    return statistics.mean(getattr(score, name) for score in scores)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.html_extraction", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", required=True, type=Path, help="newspaper4k's tests/data folder or its sdist")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    pages = read_pages(args.pages)
    if not pages:
        parser.error(f"no html/NAME.html with a txt/NAME.txt under {args.pages}")
    report = markdown(pages, measure(pages), args.pages.name)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
