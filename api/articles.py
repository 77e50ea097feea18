"""The article library: list (paged), read, add (uploaded files or URLs) and delete.

Uploads are the UI's (``rag.uploads``): the same types, the same size limit per file
(``Assistant.max_file_bytes``), kept in the uploads folder under a cleaned form of their name,
numbered when the name is in use, and dropped again when nothing in them was added. The reply
to an addition lists each file or URL with what it added, updated, left unchanged or skipped
and why, or the error that stopped it; the request as a whole succeeds (200) even when some of
its files fail. Additions and deletions run one at a time, on a worker thread.

A URL is fetched by the server (``Assistant.ingest_url``: robots.txt, the size limit and the
fetch deadline kept), from public addresses only unless ``ARTICLE_QA_FETCH_ALLOW`` names more
(``index.addresses``). At most ``MAX_URL_ADDS`` requests add URLs at once (a 503 beyond them);
each fetches without holding the library, which it takes only to write, and stops within a
second once its client has gone.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Sequence

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.errors import ApiError
from api.schemas import UrlsRequest
from api.service import MAX_URL_ADDS, Service
from index import IngestReport
from index.connections import stopped_by
from index.urls import is_url
from rag import ArticleQAError, Assistant, StoredArticle, report_unexpected
from rag.uploads import UPLOAD_SUFFIXES, shown_without_paths, store_uploads

DEFAULT_PAGE = 50
MAX_PAGE = 500
MAX_UPLOAD_FILES = 20
CLIENT_CHECK_S = 0.5
ADD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                },
            },
            "application/json": {"schema": UrlsRequest.model_json_schema()},
        },
    },
    "description": f"Files ({', '.join(UPLOAD_SUFFIXES)}) as multipart/form-data in the field 'files', "
    f'at most {MAX_UPLOAD_FILES} at once; or feeds and article pages as JSON: {{"urls": [...]}}.',
}


def routes(service: Service) -> APIRouter:
    router = APIRouter(tags=["articles"])
    assistant = service.assistant

    @router.get("/v1/articles")
    def list_articles(
        offset: int = Query(0, ge=0), limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    ) -> dict[str, Any]:
        """The indexed articles by id, a page at a time, with their total."""
        ids = assistant.store.article_ids()  # only the page's articles are read
        page = [article_json(s) for s in assistant.store.articles(ids[offset : offset + limit])]
        return {"total": len(ids), "offset": offset, "limit": limit, "articles": page}

    @router.get("/v1/articles/{article_id:path}")
    def get_article(article_id: str) -> dict[str, Any]:
        """One article with its text (the text citation spans index into)."""
        found = assistant.store.articles([article_id])
        if not found:
            raise _not_indexed(article_id)
        return article_json(found[0], text=True)

    @router.delete("/v1/articles/{article_id:path}")
    def delete_article(article_id: str) -> dict[str, Any]:
        """Take an article out of the index (and its uploaded file, when it was an upload)."""
        with service.library_lock:
            if not assistant.remove(article_id):
                raise _not_indexed(article_id)
            for upload in service.uploads.iterdir() if service.uploads.is_dir() else ():
                if upload.stem == article_id:  # compared, never globbed: an id is not a pattern
                    upload.unlink()
        return {"id": article_id, "deleted": True}

    @router.post("/v1/articles", openapi_extra=ADD_DOC)
    async def add_articles(request: Request) -> dict[str, Any]:
        """Add uploaded files, or the articles of feeds and pages: new ones added, changed ones replaced."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "multipart/form-data":
            form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FILES)
            try:
                files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
                if not files:
                    raise ApiError(
                        422, "Choose one or more files: send them in the multipart field 'files'.", code="no_files"
                    )
                results = await run_in_threadpool(add_files, service, files)
            finally:
                await form.close()
        elif media == "application/json":
            try:
                urls = UrlsRequest.model_validate_json(await request.body()).urls
            except ValidationError as exc:
                raise RequestValidationError(exc.errors(include_url=False)) from None
            results = await added_while_the_client_waits(request, service, urls)
        else:
            raise ApiError(
                415,
                "Send files as multipart/form-data (the field 'files') or URLs as JSON: {\"urls\": [...]}.",
                code="unsupported_media_type",
            )
        return summed(results)

    return router


def article_json(stored: StoredArticle, *, text: bool = False) -> dict[str, Any]:
    article = stored.article
    data: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "date": article.date,
        "when": article.when,  # the date for people, and how it was found: "about Jan 2026 (from the text)"
        "language": article.language,
        "source": article.source,
        "url": article.url,
        "chunks": stored.chunk_count,
    }
    if text:
        data["text"] = article.text
    return data


def add_files(service: Service, files: Sequence[UploadFile]) -> list[dict[str, Any]]:
    """Each upload checked, stored under a free name and indexed (on a worker thread)."""
    assistant = service.assistant
    with tempfile.TemporaryDirectory(prefix="article-qa-api-upload-") as folder:
        incoming = []
        for number, upload in enumerate(files):
            temporary = Path(folder) / str(number)
            with temporary.open("wb") as copy:
                shutil.copyfileobj(upload.file, copy)
            incoming.append((upload.filename or "upload", temporary))
        with service.library_lock:
            in_use = {stored.article.id for stored in assistant.library()}
            stored = store_uploads(incoming, service.uploads, max_bytes=assistant.max_file_bytes, taken_ids=in_use)
            results = [outcome(name, error=f"not added: {why}") for name, why in stored.refused]
            for path in stored.saved:
                results.append(add_upload(assistant, path, stored.names[path], stored.renamed.get(path)))
    return results


def add_upload(assistant: Assistant, path: Path, name: str, id_in_use: str | None) -> dict[str, Any]:
    """Index one stored upload; its copy goes again when nothing in it was added."""
    try:
        report = assistant.ingest(path)
    except Exception as exc:  # the other uploads still go in
        path.unlink(missing_ok=True)
        why = (
            str(exc)
            if isinstance(exc, ArticleQAError)
            else report_unexpected(exc, f"adding an upload via the API: {path}")
        )
        return outcome(name, error=f"not added: {shown_without_paths(why, path, name)}")
    if not (report.added or report.updated):
        path.unlink(missing_ok=True)
        id_in_use = None
    result = outcome(name, report, shown=lambda text: shown_without_paths(text, path, name))
    if id_in_use:
        result["note"] = f"the name {id_in_use} is in use, so it was added as {path.stem}"
    return result


async def added_while_the_client_waits(request: Request, service: Service, urls: Sequence[str]) -> list[dict]:
    """``add_urls`` on a worker thread, one of at most ``MAX_URL_ADDS``; stopped when the client goes."""
    if not service.url_adds.acquire(blocking=False):
        raise ApiError(
            503,
            f"{MAX_URL_ADDS} additions of URLs are under way, the most this server runs at once; "
            "try again when one has finished.",
            code="too_many_url_additions",
            headers={"Retry-After": "10"},
        )
    stop = threading.Event()
    try:
        job = asyncio.ensure_future(run_in_threadpool(add_urls, service, urls, stop))
        while not job.done():
            await asyncio.wait({job}, timeout=CLIENT_CHECK_S)
            if not job.done() and await request.is_disconnected():
                stop.set()
        return job.result()
    finally:
        stop.set()  # a server shutting down cancels this coroutine: the fetch stops too
        service.url_adds.release()


def add_urls(service: Service, urls: Sequence[str], stop: threading.Event | None = None) -> list[dict[str, Any]]:
    """Each URL's feed or page indexed, one after the other (on a worker thread); the library is
    held while the articles are written, not while they are fetched. Nothing more is begun once
    ``stop`` is set."""
    stop = stop or threading.Event()
    results = []
    for url in urls:
        if stop.is_set():
            results.append(outcome(url, error="not added: the request was given up"))
            continue
        if not is_url(url):
            results.append(outcome(url, error="not added: not an http:// or https:// URL"))
            continue
        try:
            with stopped_by(stop):
                report = service.assistant.ingest_url(url, writing=service.library_lock)
        except ArticleQAError as exc:
            results.append(outcome(url, error=f"not added: {exc}"))
        except Exception as exc:
            results.append(outcome(url, error=f"not added: {report_unexpected(exc, f'adding {url} via the API')}"))
        else:
            results.append(outcome(url, report))
    return results


def outcome(source: str, report: IngestReport | None = None, *, error: str = "", shown=lambda text: text) -> dict:
    """What adding one file or URL did, with its messages as ``shown`` (an upload's path hidden)."""
    report = report or IngestReport()
    return {
        "source": source,
        "added": list(report.added),
        "updated": list(report.updated),
        "unchanged": list(report.unchanged),
        "skipped": [{"item": shown(item.path), "reason": shown(item.reason)} for item in report.skipped],
        "summary": shown(report.summary()) if not error else "",
        "error": error,
        "note": "",
    }


def summed(results: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {
        kind: sum(len(result[kind]) for result in results) for kind in ("added", "updated", "unchanged", "skipped")
    }
    return {**counts, "failed": sum(1 for result in results if result["error"]), "results": results}


SHOWN_ID_CHARS = 100  # of an id that is not indexed: a 60 KB one is not sent back whole


def _not_indexed(article_id: str) -> ApiError:
    shown = article_id if len(article_id) <= SHOWN_ID_CHARS else article_id[: SHOWN_ID_CHARS - 1] + "…"
    return ApiError(404, f"No article {shown!r} is indexed; GET /v1/articles lists them.", code="article_not_found")
