"""The article library over HTTP: listed a page at a time, read, added from files or URLs with
what each did and why, deleted."""

from __future__ import annotations

import json

import pytest

from index import IngestReport
from index.articles import Skipped
from index.web import FetchError

NOTES = b"# Celle baut zwei Parks\n\nDie Stadt Celle baut bis 2027 zwei neue Parks am Fluss.\n"


def test_the_articles_are_listed_by_id_a_page_at_a_time(api):
    client, _ = api()
    whole = client.get("/v1/articles").json()
    assert whole["total"] == 2 and whole["offset"] == 0 and whole["limit"] == 50
    assert [a["id"] for a in whole["articles"]] == ["xiaomi-ford-geruecht", "xiaomi-zubehoer-usa"]
    first = whole["articles"][0]
    assert set(first) == {"id", "title", "date", "when", "language", "source", "url", "chunks"}
    assert first["title"] == "Xiaomi Aktie: Ford-Gerücht dementiert" and first["language"] == "de"
    assert first["chunks"] >= 1 and "text" not in first
    second = client.get("/v1/articles", params={"offset": 1, "limit": 1}).json()
    assert second["total"] == 2 and [a["id"] for a in second["articles"]] == ["xiaomi-zubehoer-usa"]
    assert client.get("/v1/articles", params={"offset": 5}).json()["articles"] == []
    too_many = client.get("/v1/articles", params={"limit": 501})
    assert too_many.status_code == 422 and "limit: Input should be less than or equal to 500" in too_many.text


def test_an_article_is_read_with_its_text_and_a_missing_one_is_a_404(api):
    client, qa = api()
    article = client.get("/v1/articles/xiaomi-ford-geruecht").json()
    assert article["text"] == qa.articles(["xiaomi-ford-geruecht"])[0].text
    missing = client.get("/v1/articles/no-such-article")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "article_not_found"
    assert "No article 'no-such-article' is indexed" in missing.json()["error"]["message"]


def test_a_404_for_a_very_long_id_does_not_send_it_back_whole(api):
    client, _ = api(indexed=False)
    missing = client.get("/v1/articles/" + "a" * 60_000)
    assert missing.status_code == 404 and len(missing.text) < 400
    assert "'" + "a" * 99 + "…'" in missing.json()["error"]["message"]


def test_an_article_is_deleted_once(api):
    client, _ = api()
    deleted = client.delete("/v1/articles/xiaomi-ford-geruecht")
    assert deleted.status_code == 200 and deleted.json() == {"id": "xiaomi-ford-geruecht", "deleted": True}
    assert [a["id"] for a in client.get("/v1/articles").json()["articles"]] == ["xiaomi-zubehoer-usa"]
    again = client.delete("/v1/articles/xiaomi-ford-geruecht")
    assert again.status_code == 404 and again.json()["error"]["code"] == "article_not_found"


def test_uploaded_files_are_added_and_each_refusal_says_why(api, tmp_path):
    client, _ = api()
    files = [
        ("files", ("../../notes.md", NOTES, "text/markdown")),
        ("files", ("tool.exe", b"MZ", "application/octet-stream")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    reply = client.post("/v1/articles", files=files)
    assert reply.status_code == 200
    body = reply.json()
    assert (body["added"], body["failed"]) == (1, 2)
    by_source = {result["source"]: result for result in body["results"]}
    assert by_source["notes.md"]["added"] == ["notes"] and by_source["notes.md"]["error"] == ""
    assert "1 added" in by_source["notes.md"]["summary"] and str(tmp_path) not in reply.text  # no server path
    assert by_source["tool.exe"]["error"].startswith("not added: not a supported type (.txt, .md")
    assert by_source["empty.txt"]["error"] == "not added: empty file"
    assert (tmp_path / "uploads" / "notes.md").read_bytes() == NOTES  # kept inside the uploads folder only
    assert client.get("/v1/articles/notes").json()["title"] == "Celle baut zwei Parks"


def test_an_upload_never_replaces_an_article(api):
    client, _ = api()
    renamed = client.post("/v1/articles", files=[("files", ("xiaomi-ford-geruecht.md", NOTES, "text/markdown"))])
    [result] = renamed.json()["results"]
    assert result["added"] == ["xiaomi-ford-geruecht-2"]
    assert result["note"] == "the name xiaomi-ford-geruecht is in use, so it was added as xiaomi-ford-geruecht-2"
    assert client.get("/v1/articles/xiaomi-ford-geruecht").json()["title"] == "Xiaomi Aktie: Ford-Gerücht dementiert"


def test_an_upload_whose_record_takes_an_indexed_id_and_another_articles_text_removes_nothing(api):
    client, qa = api()
    usa_text = qa.articles(["xiaomi-zubehoer-usa"])[0].text
    record = json.dumps({"id": "xiaomi-ford-geruecht", "title": "Copy", "text": usa_text}).encode()
    reply = client.post("/v1/articles", files=[("files", ("records.jsonl", record, "application/jsonl"))])
    assert reply.status_code == 200 and reply.json()["added"] == 0
    assert client.get("/v1/articles/xiaomi-ford-geruecht").json()["title"] == "Xiaomi Aktie: Ford-Gerücht dementiert"
    assert client.get("/v1/articles").json()["total"] == 2


def test_a_file_over_the_librarys_limit_is_refused(api, make_assistant, tmp_path):
    client, _ = api(assistant=make_assistant(max_file_bytes=200), indexed=False)
    big = client.post("/v1/articles", files=[("files", ("big.md", NOTES * 3, "text/markdown"))])
    assert big.json()["results"][0]["error"] == f"not added: {len(NOTES) * 3} bytes is over the 200-byte limit"
    assert not (tmp_path / "uploads" / "big.md").exists()


def test_an_upload_of_nothing_new_is_not_kept_and_its_deletion_removes_its_copy(api, tmp_path):
    client, _ = api()
    client.post("/v1/articles", files=[("files", ("notes.md", NOTES, "text/markdown"))])
    again = client.post("/v1/articles", files=[("files", ("notes copy.md", NOTES, "text/markdown"))]).json()
    [result] = again["results"]
    assert result["added"] == [] and result["skipped"] == [
        {"item": "notes copy.md", "reason": "duplicate of notes (same text)"}
    ]
    assert sorted(path.name for path in (tmp_path / "uploads").iterdir()) == ["notes.md"]
    client.delete("/v1/articles/notes")
    assert list((tmp_path / "uploads").iterdir()) == []


def test_an_upload_over_the_request_limit_is_a_413(api):
    client, _ = api(indexed=False, max_upload_bytes=1000)
    reply = client.post("/v1/articles", files=[("files", ("big.md", b"x" * 5000, "text/markdown"))])
    assert reply.status_code == 413 and "limit of 1,000 bytes" in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    "kwargs, status, message",
    [
        ({"data": {"note": "x"}}, 422, "Choose one or more files"),
        ({"content": b"urls", "headers": {"content-type": "text/plain"}}, 415, "Send files as multipart/form-data"),
        ({"json": {"urls": []}}, 422, "urls: List should have at least 1 item"),
        ({"json": {"url": "https://example.org"}}, 422, "urls: Field required"),
    ],
)
def test_an_addition_of_nothing_is_a_clear_error(api, kwargs, status, message):
    client, _ = api(indexed=False)
    if "data" in kwargs:  # a multipart form without files
        kwargs = {"files": [("note", (None, b"x"))]}
    reply = client.post("/v1/articles", **kwargs)
    assert reply.status_code == status and message in reply.json()["error"]["message"]


def test_urls_are_fetched_by_the_assistant_and_each_failure_says_why(api, monkeypatch):
    client, qa = api(indexed=False)
    fetched = []

    def ingest_url(url: str, **_) -> IngestReport:
        fetched.append(url)
        if "down" in url:
            raise FetchError(f"{url}: the server did not answer within 20 s (3 tries)")
        return IngestReport(added=["park-news"], skipped=[Skipped(f"{url}#2", "no text")])

    monkeypatch.setattr(qa, "ingest_url", ingest_url)
    urls = ["https://news.example/feed.xml", "https://down.example/", "file:///etc/passwd"]
    body = client.post("/v1/articles", json={"urls": urls}).json()
    assert fetched == urls[:2]  # never a file
    feed, down, local = body["results"]
    assert feed["added"] == ["park-news"] and feed["skipped"] == [{"item": f"{urls[0]}#2", "reason": "no text"}]
    assert down["error"] == "not added: https://down.example/: the server did not answer within 20 s (3 tries)"
    assert local["error"] == "not added: not an http:// or https:// URL"
    assert (body["added"], body["skipped"], body["failed"]) == (1, 1, 2)
