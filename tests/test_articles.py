import pytest

from index import ArticleError, read_folder


def test_sample_articles_are_read_with_ids_titles_and_language(sample_articles):
    articles, skipped = read_folder(sample_articles)
    assert skipped == []
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {"xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"}
    assert by_id["xiaomi-ford-geruecht"].title == "Xiaomi Aktie: Ford-Gerücht dementiert"
    assert by_id["xiaomi-ford-geruecht"].language == "de"
    assert "rund 150 neuen Stores" in by_id["xiaomi-ford-geruecht"].text


def test_bad_files_are_skipped_with_a_reason_and_good_ones_kept(tmp_path):
    (tmp_path / "good.txt").write_text("Titel\nXiaomi plant 150 Stores.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n \n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "huge.txt").write_text("x" * 2000)
    articles, skipped = read_folder(tmp_path, max_bytes=1000)
    assert [a.id for a in articles] == ["good"]
    reasons = {item.path.rsplit("/", 1)[-1]: item.reason for item in skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "no text in the file"
    assert "binary" in reasons["binary.txt"]
    assert "unsupported" in reasons["image.png"]
    assert "limit" in reasons["huge.txt"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_umlauts_survive_every_common_encoding(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes("Größe\r\nÄrger über Straßen.".encode(encoding))
    [article], _ = read_folder(tmp_path)
    assert article.text == "Größe\nÄrger über Straßen."
    assert article.title == "Größe"


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ArticleError, match="does not exist"):
        read_folder(tmp_path / "nope")
