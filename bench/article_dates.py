"""How well an article's date is inferred from its text (``index.dates``), on news-dev.

    python -m bench.article_dates [--shared ../shared] [--out bench/results/article_dates.md]

news-dev's 416 articles (corpus and distractors, ../shared/data/news-dev, read where they
lie) come from two datasets whose years are known, though not each article's day: the BBC
News dataset (2004-2005) and 10kGNAD, DER STANDARD articles of June 2015 to May 2016. Their
files carry no date, so every date here is inferred from the text. For each dataset: how many
articles get a date, how often the inferred range holds the dataset's years (the start no
later than their end, an announced end no earlier than their start), and how often the most
likely day (the range's start) falls in them. No day-level error can be given: no day is known.
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


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="where data/ lies")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "article_dates.md")
    args = parser.parse_args(argv)
    table = markdown(measure(args.shared / "data" / "news-dev"))
    args.out.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
