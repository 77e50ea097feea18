"""How well an article's date is inferred from its text (``index.dates``), on news-dev.

    python -m bench.article_dates [--shared ../shared] [--out bench/results/article_dates.md]

news-dev's 416 articles (corpus and distractors, ../shared/data/news-dev, read where they
lie) come from two datasets whose years are known, though not each article's day: the BBC
News dataset (2004-2005) and 10kGNAD, DER STANDARD articles of June 2015 to May 2016. Their
files carry no date, so every date here is inferred from the text. For each dataset: how many
articles get a date, how often the inferred range holds the dataset's years (the start no
later than their end, an announced end no earlier than their start), and how often the most
likely day (the range's start) falls in them. No day-level error can be given: no day is known.

With ``--pages PATH`` (newspaper4k's sdist or its tests/data folder, as for
``bench.html_extraction``), the same inference runs on the gold texts of its news pages whose
publication day is known, and gives the error in days of the most likely day.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path
from typing import Sequence

from index.articles import read_folder

ROOT = Path(__file__).resolve().parents[1]
YEARS = {"tblock/10kGNAD": (2015, 2016), "dejanbatanjac/bbc-article-classify-bert": (2004, 2005)}
NAMES = {"tblock/10kGNAD": "DER STANDARD (10kGNAD)", "dejanbatanjac/bbc-article-classify-bert": "BBC News"}


def measure(news_dev: Path) -> dict[str, Counter]:
    with (news_dev / "sources.tsv").open(encoding="utf-8") as listing:
        origin = {row["file"]: row["repo"] for row in csv.DictReader(listing, delimiter="\t")}
    counts: dict[str, Counter] = {}
    for folder in ("corpus", "distractors"):
        articles, _ = read_folder(news_dev / folder)
        for article in articles:
            repo = origin[article.id]
            first, last = YEARS[repo]
            count = counts.setdefault(repo, Counter())
            count["articles"] += 1
            if article.date_how != "text":
                continue
            start = int(article.date_earliest[:4])
            end = int(article.date_latest[:4]) if article.date_latest else None
            count["dated"] += 1
            count["range holds the years"] += start <= last and (end is None or end >= first)
            count["most likely year right"] += first <= start <= last
            count["range closed by an announced date"] += end is not None
    return counts


def markdown(counts: dict[str, Counter]) -> str:
    columns = [
        "articles",
        "dated",
        "range holds the years",
        "most likely year right",
        "range closed by an announced date",
    ]
    lines = [
        "`python -m bench.article_dates`: dates inferred from the text of news-dev's articles (no metadata dates)",
        "",
        "| dataset (years) | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for repo, count in counts.items():
        first, last = YEARS[repo]
        cells = [str(count["articles"])] + [_share(count[c], count["dated"]) for c in columns[2:]]
        cells.insert(1, _share(count["dated"], count["articles"]))
        lines.append(f"| {NAMES[repo]} ({first}-{last}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def day_errors(pages_path: Path) -> str:
    """The inference on pages whose publication day is known: a table, and each page's error."""
    from datetime import date

    from bench.html_extraction import read_pages
    from index.dates import dating

    rows, errors = [], []
    known = [(page, page.date) for page in read_pages(pages_path) if page.date]
    for page, published in known:
        found = dating(page.gold, None)
        if not found.earliest:
            rows.append(f"| {page.name} | {published} | - | - | - |")
            continue
        error = (date.fromisoformat(found.earliest) - date.fromisoformat(published)).days
        holds = found.earliest <= published and (not found.latest or published <= found.latest)
        errors.append((error, holds, found.earliest[:4] == published[:4]))
        rows.append(
            f"| {page.name} | {published} | {found.earliest} .. {found.latest or 'open'} | {error:+d} | {holds} |"
        )
    absolute = sorted(abs(error) for error, _, _ in errors)
    median = absolute[len(absolute) // 2] if absolute else 0
    return "\n".join(
        [
            "",
            f"`python -m bench.article_dates --pages PATH`: {len(known)} news pages with a known publication day "
            f"(newspaper4k's test pages, gold text); {len(errors)} dated from their text, the year right for "
            f"{sum(year for _, _, year in errors)}, the range holding the day for {sum(h for _, h, _ in errors)}, "
            f"median error {median} days (the most likely day minus the real one)",
            "",
            "| page | published | inferred range | error (days) | range holds the day |",
            "|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="where data/ lies")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "article_dates.md")
    parser.add_argument("--pages", type=Path, help="newspaper4k's sdist or tests/data: pages with known days")
    args = parser.parse_args(argv)
    table = markdown(measure(args.shared / "data" / "news-dev"))
    if args.pages:
        table += day_errors(args.pages)
    args.out.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
