"""Wire copies: the same agency story printed by several outlets is grouped at ingest and read once."""

import random

import numpy as np

from index import Article, SentenceChunker, ingest
from index.copies import COPY_THRESHOLD, conflicting, members, signature, similarity

STORY = [
    "Der Autobauer Stellantis hat am Dienstag in Turin neue Pläne für sein Werk in Mirafiori vorgestellt.",
    "Ab dem kommenden Jahr sollen dort jährlich rund 100.000 Elektroautos vom Band laufen.",
    "Das Unternehmen investiert dafür nach eigenen Angaben etwa 1,2 Milliarden Euro in neue Fertigungsstraßen.",
    "Die Gewerkschaft Fiom begrüßte die Ankündigung, forderte aber Garantien für die 12.000 Beschäftigten.",
    "Im vergangenen Jahr war die Produktion in Mirafiori auf einen historischen Tiefstand gefallen.",
    "Konzernchef Carlos Tavares sprach von einem klaren Bekenntnis zum Standort Italien.",
    "Die italienische Regierung hatte zuvor mit dem Entzug von Förderungen gedroht.",
    "Analysten sehen in dem Schritt vor allem eine Reaktion auf den politischen Druck aus Rom.",
]
OTHER_STORY = [
    "Stellantis meldet für das erste Halbjahr einen Gewinnrückgang um 48 Prozent.",
    "Konzernchef Carlos Tavares verwies auf hohe Kosten für die Umstellung auf Elektroautos.",
    "Besonders in Nordamerika seien die Verkäufe deutlich zurückgegangen, hieß es in Amsterdam.",
    "Die Aktie verlor im frühen Handel mehr als sieben Prozent an Wert.",
    "Für das Gesamtjahr senkte das Unternehmen seine Prognose für die operative Marge.",
]


def _article(article_id: str, title: str, sentences: list[str], *, date: str = "", extra: str = "") -> Article:
    text = "\n\n".join([title, " ".join(sentences), extra])
    return Article(id=article_id, title=title, text=text.strip(), language="de", date=date or None)


AGENCY = _article("apa", "Stellantis baut Elektroautos in Turin", STORY, date="2024-04-02", extra="(APA/dpa)")
OUTLET = _article(  # another headline, a sentence cut, its own boilerplate
    "zeitung", "Mirafiori: 100.000 E-Autos pro Jahr geplant", STORY[:4] + STORY[5:], date="2024-04-03",
    extra="Teilen auf Facebook. Mehr zum Thema Autoindustrie.",
)  # fmt: skip
PORTAL = _article(  # a paragraph of its own added
    "portal",
    "Stellantis setzt auf Turin",
    STORY + ["Mirafiori war jahrzehntelang das Herz der italienischen Autoindustrie."],
    date="2024-04-02",
)
OTHER = _article("halbjahr", "Stellantis: Gewinn bricht ein", OTHER_STORY, date="2024-07-25")


def _ingest(store, embedder, *articles):
    return ingest(list(articles), store=store, chunker=SentenceChunker(str.split), embedder=embedder)


def test_copies_of_one_story_are_one_group_and_another_story_on_the_topic_is_not(store, embedder):
    assert similarity(signature(AGENCY.text), signature(OUTLET.text)) >= COPY_THRESHOLD
    assert similarity(signature(AGENCY.text), signature(OTHER.text)) < 0.1
    report = _ingest(store, embedder, AGENCY, OTHER, OUTLET, PORTAL)
    assert report.copies == {"zeitung": "apa", "portal": "apa"}
    assert "  zeitung: a wire copy, grouped with apa" in report.summary()
    group = {s.article.id: s.article.copy_group for s in store.articles()}
    assert group["apa"] == group["zeitung"] == group["portal"] == "apa" and group["halbjahr"] == ""
    [outlet] = [s.article for s in store.articles(["zeitung"])]
    assert sorted(a.id for a in members(outlet, store)) == ["apa", "portal"]


def test_an_article_that_joins_two_groups_makes_them_one(store, embedder):
    own = [  # each print's own sentence: none an edit of another (one that changed only a figure would be)
        "Die Redaktion ergänzt einen Hinweis auf die Lage am Hafen von Genua.",
        "Ein Kommentar dazu folgt am Abend in unserer Sendung.",
        "Leserinnen können Fragen an die Wirtschaftsredaktion schicken.",
        "Das Wetter in Turin war an diesem Tag sonnig und mild.",
    ]
    beginning = [_article(f"a{n}", "A", STORY[:5] + [own[n]]) for n in (0, 1)]
    end = [_article(f"b{n}", "B", STORY[3:] + [own[n + 2]]) for n in (0, 1)]
    _ingest(store, embedder, *beginning, *end)
    assert sorted({s.article.copy_group for s in store.articles()}) == ["a0", "b0"]  # two stories, it seems
    _ingest(store, embedder, AGENCY)  # the whole story: both were cut from it
    assert {s.article.copy_group for s in store.articles()} == {"a0"}


def test_retrieval_reads_the_earliest_copy_once_and_names_the_others(make_assistant):
    qa = make_assistant("Rund 100.000 Elektroautos [1].")
    _ingest(qa.store, qa.embedder, OUTLET, PORTAL, AGENCY, OTHER)
    answer = qa.ask("Wie viele Elektroautos sollen in Mirafiori jährlich vom Band laufen?")
    read = {passage.article_id for passage in answer.passages}
    assert read & {"apa", "zeitung", "portal"} == {"apa"}  # 2 April, before the paper's 3 April; by id before portal
    for passage in (p for p in answer.passages if p.article_id == "apa"):  # a headline or a sentence cut: not there
        prints = [copy.id for copy in (PORTAL, OUTLET) if " ".join(passage.text.split()) in " ".join(copy.text.split())]
        assert passage.also_in == tuple(prints)
    assert any(passage.also_in == ("portal", "zeitung") for passage in answer.passages)
    [citation] = answer.citations
    assert citation.article_id == "apa" and citation.also_in == ("portal", "zeitung")


def test_show_lists_the_group_and_a_source_card_names_the_copies(store, embedder, monkeypatch, capsys):
    import rag.parts
    from cli.main import main
    from rag.types import Answer, Citation
    from ui.render import sources_html

    _ingest(store, embedder, AGENCY, OUTLET, OTHER)
    monkeypatch.setattr(rag.parts, "open_store", lambda settings: store)
    assert main(["show", "apa"]) == 0
    out = capsys.readouterr().out
    assert "wire copies (the same story, read once): 1" in out
    assert "zeitung: Mirafiori: 100.000 E-Autos pro Jahr geplant (2024-04-03 (from the metadata))" in out
    quote = STORY[1]
    start = AGENCY.text.index(quote)
    citation = Citation(1, "apa", AGENCY.title, quote, start, start + len(quote), also_in=("zeitung",))
    card = sources_html(Answer("q", "100.000 [1].", (citation,), False, "de"), {"apa": AGENCY})
    assert "also in zeitung" in card


def test_the_benchmark_scores_each_method_over_every_pair():
    from bench.wire_copies import scored, wire_copy

    scores = np.array([[1.0, 0.9, 0.2], [0.9, 1.0, 0.5], [0.2, 0.5, 1.0]])
    best = scored("m", scores, {(0, 1)}, 0.0)
    assert (best.threshold, best.precision, best.recall, best.hardest_negative, best.weakest_positive) == (
        0.9,
        1.0,
        1.0,
        0.5,
        0.9,
    )
    loose = scored("m", scores, {(0, 1)}, 0.0, threshold=0.4)
    assert (loose.precision, loose.recall) == (0.5, 1.0)
    copy = wire_copy(AGENCY, OTHER, random.Random(1))
    assert copy.title != AGENCY.title and similarity(signature(copy.text), signature(AGENCY.text)) >= COPY_THRESHOLD


def test_a_report_from_the_same_template_about_other_figures_is_no_copy(store, embedder):
    template = (
        "Die Stadtwerke haben am Montag {thing} vorgestellt. Die Kosten werden auf {cost} Millionen Euro geschätzt."
    )
    water = _article("wasser", "Wasserwerk", [template.format(thing="ein neues Wasserwerk", cost=38), *STORY[5:]])
    bridge = _article("bruecke", "Brücke", [template.format(thing="eine neue Brücke", cost=12), *STORY[5:]])
    assert similarity(signature(water.text), signature(bridge.text)) >= COPY_THRESHOLD
    report = _ingest(store, embedder, water, bridge)
    assert report.copies == {} and {s.article.copy_group for s in store.articles()} == {""}


def test_a_print_that_changes_a_figure_of_the_story_is_no_copy_and_both_are_read(make_assistant):
    altered = _article(  # a feed's page: the agency's text with one figure changed, claiming an earlier day
        "feed-page", "Stellantis baut in Turin", [STORY[0], STORY[1].replace("100.000", "900.000"), *STORY[2:]],
        date="2024-03-01",
    )  # fmt: skip
    assert conflicting(AGENCY.text, altered.text) and not conflicting(AGENCY.text, OUTLET.text)
    qa = make_assistant("Rund 900.000 Elektroautos [1].", "Rund 100.000 Elektroautos [1].")
    report = _ingest(qa.store, qa.embedder, AGENCY, OUTLET, altered)
    assert report.copies == {"zeitung": "apa"}  # the altered print stands alone
    answer = qa.ask("Wie viele Elektroautos sollen in Mirafiori jährlich vom Band laufen?")
    assert {passage.article_id for passage in answer.passages} >= {"apa", "feed-page"}  # both versions read


def test_also_in_names_only_the_copies_that_print_the_cited_sentence_word_for_word(make_assistant):
    qa = make_assistant("Die Gewerkschaft Fiom begrüßte die Ankündigung [1].")
    _ingest(qa.store, qa.embedder, AGENCY, OUTLET, PORTAL)
    answer = qa.ask("Was sagte die Gewerkschaft Fiom zu den Plänen für Mirafiori?")
    [citation] = answer.citations
    assert citation.article_id == "apa" and citation.also_in == ("portal", "zeitung")
    cut = qa.ask("Wie tief war die Produktion in Mirafiori im vergangenen Jahr gefallen?")  # a sentence the paper cut
    assert all(c.also_in == ("portal",) for c in cut.citations if c.quote == STORY[4])


def test_a_feed_cannot_date_a_page_earlier_than_the_page_says():
    from index.pages import page_article

    page = "<html><head><meta property='article:published_time' content='2024-04-02T08:00:00Z'></head><body>"
    page += "<article><p>" + " ".join(STORY) + "</p></article></body></html>"
    claimed = page_article(page, url="https://feed.example/a", source="Feed", date="2024-03-01")
    assert claimed.date.startswith("2024-04-02")
    later = page_article(page, url="https://feed.example/a", source="Feed", date="2024-04-05")
    assert later.date == "2024-04-05"
