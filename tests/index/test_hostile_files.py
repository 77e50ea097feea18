"""Files and folders a hostile (or unlucky) user hands over: mixed encodings, control characters
in ids and titles, symlinks out of the folder, and files or folders that vanish during the scan."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from index.articles import read_file, read_folder
from index.errors import ArticleError

BODY = "Die Brücke über den Fluss ist gesperrt. Das sagte ein Sprecher am Montag."


def reasons(skipped) -> dict[str, str]:
    return {Path(item.path).name: item.reason for item in skipped}


# --- encodings ---------------------------------------------------------------------------------


def test_a_stray_bad_byte_in_utf8_becomes_a_replacement_character_and_the_rest_stays_utf8(tmp_path):
    (tmp_path / "a.txt").write_bytes("Titel\n".encode() + BODY.encode() + b"\nDer Preis: 5 \x80 mehr.\n")
    [article], problems = read_file(tmp_path / "a.txt")
    assert "Die Brücke über den Fluss" in article.text
    assert "Der Preis: 5 \ufffd mehr." in article.text


def test_a_file_without_any_utf8_is_still_read_as_windows_1252(tmp_path):
    (tmp_path / "a.txt").write_bytes(("Titel\n" + BODY + " Kosten: 5 €.").encode("cp1252"))
    [article], _ = read_file(tmp_path / "a.txt")
    assert article.text == "Titel\n" + BODY + " Kosten: 5 €."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path, encoding):
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    (tmp_path / "a.txt").write_bytes(bom + ("Titel\r\n" + BODY).encode(encoding))
    (tmp_path / "b.html").write_bytes(bom + f"<p>{BODY}</p>".encode(encoding))
    articles, skipped = read_folder(tmp_path)
    assert skipped == []
    assert [article.text for article in articles] == ["Titel\n" + BODY, BODY]


def test_binaries_with_nul_bytes_are_still_refused(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4)
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF16_LE + os.urandom(4000))
    articles, skipped = read_folder(tmp_path)
    assert articles == []
    assert all(reason.startswith("binary file") for reason in reasons(skipped).values())


@pytest.mark.parametrize(
    ("name", "content"),
    [("deep.json", "[" * 100_000), ("deep.jsonl", "[" * 100_000 + "\n"), ("deep.md", "---\nid: " + "[" * 100_000)],
)
def test_structures_nested_deeper_than_python_allows_are_a_clear_reason(tmp_path, name, content):
    (tmp_path / name).write_text(content + ("\n---\nText." if name.endswith(".md") else ""), encoding="utf-8")
    articles, problems = read_file(tmp_path / name)
    assert articles == [] and len(problems) == 1
    assert problems[0].startswith(("invalid JSON", "line 1: invalid JSON", "invalid front matter"))


# --- control characters in ids and titles ---------------------------------------------------------


def test_control_characters_are_stripped_from_record_ids_and_titles(tmp_path):
    record = {"id": "evil\x00-\x1b]0;pwned\x07", "title": "Br\x1b[2Jücke\x00 gesperrt", "text": BODY}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    [article], _ = read_file(tmp_path / "feed.jsonl")
    assert article.id == "evil-]0;pwned"
    assert article.title == "Br[2Jücke gesperrt"


def test_control_characters_are_stripped_from_ids_made_of_file_names_and_from_html_titles(tmp_path):
    (tmp_path / "bad\x1b[31mname\x07.html").write_text(
        f"<html><head><title>Titel\x1b]0;x\x07 hier</title></head><body><p>{BODY}</p></body></html>", encoding="utf-8"
    )
    [article], _ = read_folder(tmp_path)
    assert article.id == "bad[31mname"
    assert article.title == "Titel]0;x hier"


def test_a_record_whose_id_is_only_control_characters_is_skipped_with_a_reason(tmp_path):
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "\x00\x1b", "text": BODY}) + "\n", encoding="utf-8")
    articles, problems = read_file(tmp_path / "feed.jsonl")
    assert articles == [] and problems == ["line 1: no id"]


# --- symlinks ----------------------------------------------------------------------------------


def test_symlinks_that_leave_the_folder_are_not_followed_and_are_reported(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Geheim\nDas Passwort ist hunter2.", encoding="utf-8")
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text("Titel\n" + BODY, encoding="utf-8")
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "sub" / "more").symlink_to(outside)
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    articles, skipped = read_folder(folder)
    assert "hunter2" not in " ".join(article.text for article in articles)
    assert sorted(article.id for article in articles) == ["good", "inside"]
    why = reasons(skipped)
    assert why["leak.txt"] == "symlink leaves the folder" and why["more"] == "symlink leaves the folder"


def test_a_symlink_named_explicitly_is_read(tmp_path):
    (tmp_path / "real.txt").write_text("Titel\n" + BODY, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    articles, skipped = read_folder(tmp_path / "link.txt")
    assert [article.id for article in articles] == ["link"] and skipped == []


# --- files and folders vanishing during the scan ---------------------------------------------------


class _Listing:
    """What ``os.scandir`` returns: entries listed now, usable as a context manager."""

    def __init__(self, entries: list) -> None:
        self.entries = entries

    def __iter__(self):
        return iter(self.entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


def _remove_tree(path: Path) -> None:
    for child in path.iterdir():
        _remove_tree(child) if child.is_dir() else child.unlink()
    path.rmdir()


def vanish_when_listed(monkeypatch, listed: Path, vanishing: Path, *, after_listing: bool) -> None:
    """When ``listed`` is scanned, ``vanishing`` is deleted, before or after its entries are read."""
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) != listed or not vanishing.exists():
            return real_scandir(path)
        if not after_listing:
            _remove_tree(vanishing) if vanishing.is_dir() else vanishing.unlink()
        with real_scandir(path) as found:
            entries = list(found)
        if after_listing:
            _remove_tree(vanishing) if vanishing.is_dir() else vanishing.unlink()
        return _Listing(entries)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_file_that_vanishes_between_listing_and_reading_is_skipped_and_the_rest_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Eins\n" + BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Zwei\n" + BODY + " Zwei.", encoding="utf-8")
    vanish_when_listed(monkeypatch, tmp_path, tmp_path / "b.txt", after_listing=True)
    articles, skipped = read_folder(tmp_path)
    assert [article.id for article in articles] == ["a"]
    assert reasons(skipped) == {"b.txt": "the file vanished before it could be read"}


def test_a_folder_deleted_during_the_scan_is_skipped_and_the_rest_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Eins\n" + BODY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Zwei\n" + BODY + " Zwei.", encoding="utf-8")
    vanish_when_listed(monkeypatch, tmp_path / "sub", tmp_path / "sub", after_listing=False)
    articles, skipped = read_folder(tmp_path)
    assert [article.id for article in articles] == ["a"]
    assert reasons(skipped) == {"sub": "the folder vanished before it could be read"}


def test_a_top_folder_that_vanishes_during_the_scan_is_one_clear_error(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Eins\n" + BODY, encoding="utf-8")
    vanish_when_listed(monkeypatch, folder, folder, after_listing=False)
    with pytest.raises(ArticleError, match="vanished"):
        read_folder(folder)
