"""Reading every supported format and encoding, and skipping bad input with a reason."""

import json

import pytest

from index import ArticleError, read_file, read_folder

BODY = "Xiaomi plant rund 150 neue Stores in Großbritannien. Das sagte ein Sprecher am Montag."


def reasons(skipped):
    return {item.path.rsplit("/", 1)[-1]: item.reason for item in skipped}


def test_sample_articles_are_read_with_ids_clean_titles_and_language(sample_articles):
    articles, skipped = read_folder(sample_articles)
    assert skipped == []
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {"xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"}
    assert by_id["xiaomi-ford-geruecht"].title == "Xiaomi Aktie: Ford-Gerücht dementiert"
    assert by_id["xiaomi-zubehoer-usa"].title == "Xiaomi will Online-Shop für Zubehör in den USA eröffnen"
    assert all(a.language == "de" for a in articles)
    assert "rund 150 neuen Stores" in by_id["xiaomi-ford-geruecht"].text


def test_plain_text_title_is_the_first_non_empty_line(tmp_path):
    (tmp_path / "note.txt").write_text(f"\n\n  Stores in Britain  \n{BODY}", encoding="utf-8")
    [article], _ = read_folder(tmp_path)
    assert (article.id, article.title) == ("note", "Stores in Britain")


def test_markdown_front_matter_is_honoured_and_syntax_reduced(tmp_path):
    (tmp_path / "post.md").write_text(
        "---\ntitle: Xiaomi expands\ndate: 2026-02-02\nurl: https://example.org/x\nsource: Example News\n"
        "language: en\n---\n# Heading\n\nXiaomi will open **about 150** stores, says [the company](https://x.y).\n",
        encoding="utf-8",
    )
    [article], _ = read_folder(tmp_path)
    assert article.title == "Xiaomi expands" and article.date == "2026-02-02"
    assert article.url == "https://example.org/x" and article.source == "Example News" and article.language == "en"
    assert article.text == "Heading\n\nXiaomi will open about 150 stores, says the company."


def test_markdown_without_front_matter_takes_the_heading_as_title(tmp_path):
    (tmp_path / "plain.md").write_text("## Xiaomi in Europa\n\n" + BODY, encoding="utf-8")
    [article], _ = read_folder(tmp_path)
    assert article.title == "Xiaomi in Europa" and article.language == "de"


def test_html_keeps_the_article_and_drops_scripts_navigation_and_cookie_banners(tmp_path):
    (tmp_path / "page.html").write_text(
        """<!doctype html><html lang="de"><head><title>Site | Xiaomi</title>
        <meta property="og:title" content="Xiaomi plant 150 Stores">
        <meta property="article:published_time" content="2026-02-02T09:00:00+01:00">
        <script>var tracking = "Kauf jetzt";</script><style>p { color: red }</style></head>
        <body><nav><a href="/">Startseite</a> <a href="/wirtschaft">Wirtschaft</a></nav>
        <div id="cookie-banner">Wir verwenden Cookies. <button>Akzeptieren</button></div>
        <article><h1>Xiaomi plant 150 Stores</h1><p>Xiaomi plant rund 150 neue Stores.</p>
        <div class="share-buttons">Teilen auf Facebook</div><p>Das sagte ein Sprecher.<br>Am Montag.</p></article>
        <aside>Meistgelesen: Etwas anderes</aside><footer>Impressum</footer></body></html>""",
        encoding="utf-8",
    )
    [article], _ = read_folder(tmp_path)
    assert article.title == "Xiaomi plant 150 Stores"
    assert article.date == "2026-02-02T09:00:00+01:00" and article.language == "de"
    assert (
        article.text
        == "Xiaomi plant 150 Stores\nXiaomi plant rund 150 neue Stores.\nDas sagte ein Sprecher.\nAm Montag."
    )
    for boilerplate in ("tracking", "Startseite", "Cookies", "Teilen", "Meistgelesen", "Impressum", "color"):
        assert boilerplate not in article.text


def test_html_without_an_article_element_uses_the_body_and_title_tag_and_time(tmp_path):
    (tmp_path / "bare.htm").write_text(
        "<html><head><title>Bare page</title></head><body><header>Logo</header>"
        "<p>First paragraph &amp; more.</p><p>Second <time datetime='2025-12-24'>yesterday</time>.</p></body></html>",
        encoding="utf-8",
    )
    [article], _ = read_folder(tmp_path)
    assert article.title == "Bare page" and article.date == "2025-12-24"
    assert article.text == "First paragraph & more.\nSecond yesterday."


def test_json_feeds_in_every_shape(tmp_path):
    record = {"id": "a1", "title": "First", "text": BODY, "date": "2026-01-01", "url": "u", "source": "dpa"}
    (tmp_path / "list.json").write_text(json.dumps([record]), encoding="utf-8")
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": [{**record, "id": "a2", "text": BODY + " Zwei."}]}))
    (tmp_path / "single.json").write_text(json.dumps({**record, "id": 3, "text": BODY + " Drei."}))
    articles, skipped = read_folder(tmp_path)
    assert skipped == []
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {"a1", "a2", "3"}
    assert (by_id["a1"].title, by_id["a1"].date, by_id["a1"].url, by_id["a1"].source) == (
        "First",
        "2026-01-01",
        "u",
        "dpa",
    )


def test_json_lines_keeps_good_records_and_names_each_bad_one(tmp_path):
    lines = [
        json.dumps({"id": "ok-1", "title": "One", "text": BODY}),
        "{not json",
        json.dumps({"title": "no id", "text": BODY}),
        json.dumps({"id": "empty", "title": "T", "text": "  "}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": "ok-2", "text": "Ohne Titel\n" + BODY}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    articles, skipped = read_folder(tmp_path)
    assert [(a.id, a.title) for a in articles] == [("ok-1", "One"), ("ok-2", "Ohne Titel")]
    assert [s.reason for s in skipped] == [
        "line 2: invalid JSON",
        "line 3: no id",
        "line 4 (empty): no text",
        "line 5: not an object",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_umlauts_survive_every_common_encoding(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes("Größe\r\nÄrger über Straßen.".encode(encoding))
    (tmp_path / "b.html").write_bytes("<p>Grüße aus Köln.</p>".encode(encoding))
    articles, skipped = read_folder(tmp_path)
    assert skipped == []
    assert [a.text for a in articles] == ["Größe\nÄrger über Straßen.", "Grüße aus Köln."]


def test_bad_files_are_skipped_with_a_reason_and_good_ones_kept(tmp_path):
    (tmp_path / "good.txt").write_text("Titel\n" + BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text("  \n \n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (tmp_path / "controls.txt").write_bytes(bytes(range(1, 9)) * 50)
    (tmp_path / "undecodable.txt").write_bytes(b"caf\xc3 \x81\x8d\x8f\x90\x9d")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "huge.txt").write_text("x" * 2000)
    (tmp_path / "nothing.html").write_text("<html><script>x()</script><nav>Menu</nav></html>")
    (tmp_path / "broken.json").write_text("{]")
    (tmp_path / "only-ads.txt").write_text("Bild: dpa\nFoto: AP")
    articles, skipped = read_folder(tmp_path, max_file_bytes=1000)
    assert [a.id for a in articles] == ["good"]
    why = reasons(skipped)
    assert why["empty.txt"] == "empty file"
    assert why["blank.md"] == "no text in the file"
    assert why["binary.txt"] == "binary file (contains NUL bytes)"
    assert why["controls.txt"] == "binary file (control characters)"
    assert why["undecodable.txt"].startswith("undecodable bytes")
    assert why["image.png"] == "unsupported file type .png"
    assert why["huge.txt"] == "2,000 bytes is over the 1,000-byte limit"
    assert why["nothing.html"] == "no article text found in the HTML"
    assert why["broken.json"].startswith("invalid JSON")
    assert why["only-ads.txt"] == "nothing left after cleaning"
    assert len(skipped) == 10


def test_hidden_files_are_ignored_and_folders_are_read_recursively(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref")
    (tmp_path / "2026" / "02").mkdir(parents=True)
    (tmp_path / "2026" / "02" / "deep.txt").write_text("Tief\n" + BODY, encoding="utf-8")
    articles, skipped = read_folder(tmp_path)
    assert [a.id for a in articles] == ["deep"] and skipped == []


def test_two_files_claiming_one_id_keep_the_first(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text("Eins\n" + BODY, encoding="utf-8")
    (tmp_path / "b" / "same.md").write_text("Zwei\n" + BODY + " Anders.", encoding="utf-8")
    articles, skipped = read_folder(tmp_path)
    assert [a.title for a in articles] == ["Eins"]
    assert "already used" in skipped[0].reason


def test_a_single_file_can_be_read(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Titel\n" + BODY, encoding="utf-8")
    articles, problems = read_file(path)
    assert [a.id for a in articles] == ["one"] and problems == []


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ArticleError, match="does not exist"):
        read_folder(tmp_path / "nope")


def test_html_teasers_in_asides_do_not_hide_the_article(tmp_path):
    (tmp_path / "teasers.html").write_text(
        "<html><body><aside><article><p>Teaser eins.</p></article><article><p>Teaser zwei.</p></article></aside>"
        "<article><h1>Echte Meldung</h1><p>Xiaomi plant rund 150 neue Stores.</p><div><p>Zweiter Absatz."
        "</article><footer><article>Noch ein Teaser.</article></footer></body></html>",
        encoding="utf-8",
    )
    [article], _ = read_folder(tmp_path)
    assert article.title == "Echte Meldung"
    assert article.text == "Echte Meldung\nXiaomi plant rund 150 neue Stores.\nZweiter Absatz."
