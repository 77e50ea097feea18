from bench.figures import Figure, ratio_figure
from bench.suite import markdown


def test_a_ratio_figure_says_whether_its_target_is_met():
    fast = ratio_figure("ingest", "chunks/s", 9.5, 10.0, "chunks/s", target="ratio >= 0.9", at_least=0.9)
    assert fast.ratio == 0.95 and fast.met is True
    slow = ratio_figure("answer", "first token", 4.0, 3.0, "s", target="ratio <= 1.1", at_most=1.1)
    assert slow.ratio == 1.333 and slow.met is False
    assert ratio_figure("cold start", "ask", 5.0, 2.0, "s").met is None  # no target: reported only


def test_the_table_has_one_row_per_figure_with_both_sides():
    results = {
        "quick": True,
        "seconds": 12.0,
        "machine": "2 CPU cores",
        "figures": [
            vars(ratio_figure("ingest", "chunks/s", 9.5, 10.0, "chunks/s", target="ratio >= 0.9", at_least=0.9)),
            vars(Figure("retrieval", "search p50 at 1,000 chunks", 6.0, None, None, "ms")),
        ],
    }
    table = markdown(results)
    assert table.startswith("`article-qa bench --quick`")
    assert "| ingest | chunks/s | 9.5 chunks/s | 10.0 chunks/s | 0.95 | ratio >= 0.9 | yes |" in table
    assert "| retrieval | search p50 at 1,000 chunks | 6.0 ms |  |  |  |  |" in table


def test_the_article_dates_table_gives_shares_of_the_dated_articles():
    from collections import Counter

    from bench.article_dates import markdown

    counts = {"tblock/10kGNAD": Counter({"articles": 10, "dated": 4, "range holds the years": 3})}
    table = markdown(counts)
    assert "| DER STANDARD (10kGNAD) (2015-2016) | 10 | 4 (40%) | 3 (75%) | 0 (0%) | 0 (0%) |" in table
