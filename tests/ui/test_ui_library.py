"""Uploads: only supported types and sizes, stored under a cleaned name inside the uploads folder."""

from index.types import Article
from index.vector_store import StoredArticle
from rag.uploads import safe_name, store_uploads
from ui.library import library_rows


def test_upload_names_lose_every_path_part_and_odd_character():
    assert safe_name("../../etc/passwd.md") == "passwd.md"
    assert safe_name("..\\..\\Windows\\win.ini.txt") == "win-ini.txt"
    assert safe_name("/abs/Report 2025 (final).HTML") == "Report-2025-final.html"
    assert safe_name("Größe.jsonl") == "Größe.jsonl"
    assert safe_name("....md") == "upload.md"
    assert safe_name("tool.exe") is None and safe_name("noext") is None and safe_name(".md") is None


def test_uploads_are_copied_inside_the_folder_and_bad_ones_refused(tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    good, empty, big, exe = (incoming / name for name in ("good.md", "empty.txt", "big.txt", "x.exe"))
    good.write_text("# Title\nText.")
    empty.write_bytes(b"")
    big.write_bytes(b"x" * 101)
    exe.write_bytes(b"MZ")
    folder = tmp_path / "data" / "uploads"
    result = store_uploads(
        [("../../outside.md", good), ("empty.txt", empty), ("big.txt", big), ("x.exe", exe)], folder, max_bytes=100
    )
    assert result.saved == [folder / "outside.md"] and (folder / "outside.md").read_text() == "# Title\nText."
    assert not (tmp_path / "outside.md").exists()
    assert dict(result.refused) == {
        "empty.txt": "empty file",
        "big.txt": "101 bytes is over the 100-byte limit",
        "x.exe": "not a supported type (.txt, .md, .markdown, .html, .htm, .json, .jsonl)",
    }
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and "incoming" not in p.parts) == ["outside.md"]


def test_library_rows_filter_by_title_or_id():
    stored = [
        StoredArticle(Article("xiaomi-uk", "Xiaomi plant 150 Stores", "t", date="2025-11-03", language="de"), "f", 4),
        StoredArticle(Article("bakery", "Neue Bäckerei", "t"), "f", 1),
    ]
    assert library_rows(stored) == [
        ["xiaomi-uk", "Xiaomi plant 150 Stores", "2025-11-03 (from the metadata)", "de", 4],
        ["bakery", "Neue Bäckerei", "-", "", 1],
    ]
    assert [row[0] for row in library_rows(stored, "BÄCK")] == ["bakery"]
    assert [row[0] for row in library_rows(stored, "uk")] == ["xiaomi-uk"]


def test_an_upload_never_overwrites_an_earlier_upload_or_an_indexed_article(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "report.md").write_text("another user's report")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    mine = incoming / "mine.md"
    mine.write_text("# Mine\nText.")
    result = store_uploads(
        [("report.md", mine), ("REPORT.txt", mine), ("xiaomi-uk.md", mine), ("fresh.md", mine)],
        folder,
        max_bytes=100,
        taken_ids={"xiaomi-uk", "xiaomi-uk-2"},
    )
    assert (folder / "report.md").read_text() == "another user's report"
    assert [path.name for path in result.saved] == ["report-2.md", "REPORT-3.txt", "xiaomi-uk-3.md", "fresh.md"]
    assert result.renamed == {
        folder / "report-2.md": "report",
        folder / "REPORT-3.txt": "REPORT",
        folder / "xiaomi-uk-3.md": "xiaomi-uk",
    }
    assert result.names == {
        folder / "report-2.md": "report.md",
        folder / "REPORT-3.txt": "REPORT.txt",
        folder / "xiaomi-uk-3.md": "xiaomi-uk.md",
        folder / "fresh.md": "fresh.md",
    }


def test_a_report_on_an_upload_shows_its_own_name_never_a_server_path(tmp_path):
    from rag.uploads import shown_without_paths

    copy = tmp_path / "uploads" / "notes-2.json"
    text = f"{copy}: invalid JSON; the id a is already used by /srv/articles/secret/a.md: rename this file"
    assert shown_without_paths(text, copy, "notes.json") == (
        "notes.json: invalid JSON; the id a is already used by a.md: rename this file"
    )
