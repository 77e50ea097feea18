"""bench.html_extraction on a folder laid out as newspaper4k's test data, with pages written here."""

import json

from bench.html_extraction import main
from tests.news_site import article_page


def test_the_benchmark_scores_every_extractor_on_the_pages_of_a_folder(tmp_path):
    for folder in ("html", "txt", "metadata"):
        (tmp_path / folder).mkdir()
    page = article_page("Neues Wasserwerk", "ein neues Wasserwerk", 38)
    (tmp_path / "html" / "wasser.html").write_text(page, encoding="utf-8")
    gold = page.split("</h1>")[1].split("</article>")[0].replace("</p><p>", "\n").strip("<p>/")
    (tmp_path / "txt" / "wasser.txt").write_text(gold, encoding="utf-8")
    (tmp_path / "metadata" / "wasser.json").write_text(json.dumps({"publish_date": "2025-03-04"}), encoding="utf-8")
    (tmp_path / "html" / "no-gold.html").write_text(page, encoding="utf-8")
    out = tmp_path / "result.md"
    assert main(["--pages", str(tmp_path), "--out", str(out)]) == 0
    report = out.read_text(encoding="utf-8")
    assert "main text of 1 real news pages" in report
    chosen = next(line for line in report.splitlines() if line.startswith("| index.pages"))
    cells = [cell.strip() for cell in chosen.split("|")[1:-1]]
    assert float(cells[3]) > 0.9 and cells[6] == "0 / 0 / 1"  # F1; the page has no date to find
