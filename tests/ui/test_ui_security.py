"""What a hostile user of the chat UI finds: no requests to servers the operator did not allow,
no upload that blocks questions or overwrites another's article, no server path in a message,
security headers on every response, and a login that resists guessing."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from rag import Assistant, SettingsError
from tests.conftest import free_port
from ui.app import SERVER, launch

UK_QUESTION = "Wie viele neue Stores plant Xiaomi auf dem britischen Markt?"
LOGIN = ("reader", "a-long-password")
SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@pytest.fixture
def serve(tmp_path):
    """Serve an assistant on 127.0.0.1; return its URL."""
    apps = []

    def start(assistant: Assistant, **options) -> str:
        port = free_port()
        options.setdefault("uploads_dir", tmp_path / "uploads")
        apps.append(launch(assistant, port=port, block=False, warm_up=False, **options))
        return f"http://127.0.0.1:{port}/"

    yield start
    for app in apps:
        app.close()


@pytest.fixture
def internal_service() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server standing for a service inside the operator's network: it records
    every request it gets, and answers each with an error."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            requests.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def _client(url: str, **options):
    from gradio_client import Client

    return Client(url, verbose=False, **options)


def _ask(client, question: str, *, kind: str = "In-process model", url: str = "", model: str = "default") -> str:
    _, chat, _ = client.predict(question, [], 3, 200, kind, url, model, "", "", api_name="/ask")
    reply = chat[-1]["content"]
    return reply if isinstance(reply, str) else reply[0]["text"]


def _upload(client, *paths: Path) -> tuple[str, list[list]]:
    from gradio_client import handle_file

    report, table, _ = client.predict([handle_file(str(path)) for path in paths], "", api_name="/add")
    return report, table["data"]


def _article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.integration
def test_a_model_server_url_is_refused_unless_the_operator_allows_it(
    make_assistant, sample_articles, serve, internal_service
):
    service, requests = internal_service
    assistant = make_assistant()
    assistant.ingest(sample_articles)
    client = _client(serve(assistant))
    reply = _ask(client, UK_QUESTION, kind=SERVER, url=service)
    assert "ARTICLE_QA_UI_LLM_URLS" in reply and requests == []

    client = _client(serve(assistant, model_urls=("http://127.0.0.1:9/v1",)))
    reply = _ask(client, UK_QUESTION, kind=SERVER, url=service)
    assert "not one this app allows" in reply and "http://127.0.0.1:9/v1" in reply and requests == []

    client = _client(serve(assistant, model_urls=(service,)))
    _ask(client, UK_QUESTION, kind=SERVER, url=service + "/")
    assert requests == ["/chat/completions"]  # an allowed server is asked, as before


@pytest.mark.integration
def test_a_question_is_answered_while_an_upload_is_still_being_indexed(
    store, embedder, sample_articles, serve, tmp_path
):
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    class SlowUploads(Assistant):
        def ingest(self, path, **options):
            if Path(path).parent == tmp_path / "uploads":
                started.set()
                release.wait(timeout=8)  # without the fix the question waits this long behind the upload
            try:
                return super().ingest(path, **options)
            finally:
                finished.set()

    from tests.fakes import ScriptedBackend

    assistant = SlowUploads(
        store=store, embedder=embedder, backend=ScriptedBackend("Rund 150 neue Stores [1]."), min_score=0.05
    )
    assistant.ingest(sample_articles)
    finished.clear()
    url = serve(assistant)
    from gradio_client import handle_file

    upload = _article(tmp_path / "incoming", "bakery.md", "# Sonnenkorn\n\nDie Bäckerei Sonnenkorn eröffnet.\n")
    job = _client(url).submit([handle_file(str(upload))], "", api_name="/add")
    try:
        assert started.wait(timeout=30)
        reply = _ask(_client(url), UK_QUESTION)
        assert "150" in reply and not finished.is_set()
    finally:
        release.set()
    assert "1 added" in job.result(timeout=30)[0]


@pytest.mark.integration
def test_an_upload_under_a_name_in_use_gets_a_new_id_and_overwrites_nothing(
    make_assistant, sample_articles, serve, tmp_path
):
    assistant = make_assistant()
    assistant.ingest(sample_articles)  # as from the CLI
    before = assistant.articles(["xiaomi-ford-geruecht"])[0].text
    client = _client(serve(assistant))
    first = _article(tmp_path / "alice", "notes.md", "# Alice\n\nAlice schreibt über Brot und Brötchen.\n")
    second = _article(tmp_path / "bob", "notes.md", "# Bob\n\nBob schreibt über Kuchen und Torten.\n")
    clash = _article(tmp_path / "bob", "xiaomi-ford-geruecht.md", "# Falsch\n\nEin ganz anderer Text.\n")
    _upload(client, first)
    report, table = _upload(client, second, clash)
    assert "notes.md: the name notes is in use, so it was added as notes-2" in report
    assert "xiaomi-ford-geruecht.md: the name xiaomi-ford-geruecht is in use" in report
    ids = {row[0]: row[1] for row in table}
    assert ids["notes"] == "Alice" and ids["notes-2"] == "Bob" and ids["xiaomi-ford-geruecht-2"] == "Falsch"
    assert assistant.articles(["xiaomi-ford-geruecht"])[0].text == before
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == [
        "notes-2.md",
        "notes.md",
        "xiaomi-ford-geruecht-2.md",
    ]


@pytest.mark.integration
def test_a_skipped_upload_leaves_no_copy_and_its_message_shows_no_server_path(make_assistant, serve, tmp_path):
    broken = _article(tmp_path / "incoming", "broken feed.json", "{not json")
    blank = _article(tmp_path / "incoming", "blank.md", "   \n\n  \n")
    report, _ = _upload(_client(serve(make_assistant())), broken, blank)
    assert "broken feed.json: 0 added" in report and "invalid JSON" in report
    assert "blank.md: 0 added" in report
    assert "/" not in report and "uploads" not in report
    assert not any((tmp_path / "uploads").iterdir())


@pytest.mark.integration
@pytest.mark.parametrize("login", [None, LOGIN])
def test_every_response_carries_the_security_headers(make_assistant, serve, login):
    import httpx

    url = serve(make_assistant(), auth=login)
    for path in ["", "config", "gradio_api/info", "no-such-page", "theme.css"]:
        response = httpx.get(url + path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
    login_response = httpx.post(url + "login", data={"username": "reader", "password": "wrong"})
    assert login_response.headers.get("x-frame-options") == "DENY"


@pytest.mark.integration
def test_failed_logins_from_one_address_are_refused_for_a_while(make_assistant, serve):
    import httpx

    url = serve(make_assistant(), auth=LOGIN)
    wrong = {"username": "reader", "password": "wrong-password"}
    assert [httpx.post(url + "login", data=wrong).status_code for _ in range(5)] == [400] * 5
    refused = httpx.post(url + "login", data={"username": "reader", "password": LOGIN[1]})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Too many failed logins" in refused.text


def test_a_short_login_password_refuses_to_serve(make_assistant):
    with pytest.raises(SettingsError, match="ARTICLE_QA_UI_PASSWORD must be at least 12 characters"):
        launch(make_assistant(), host="0.0.0.0", port=free_port(), auth=("reader", "pass-word-9"), block=False)


def test_a_model_server_is_built_only_for_an_allowed_url():
    from rag import ArticleQAError
    from ui.app import IN_PROCESS, model_server

    assert model_server(IN_PROCESS, "http://10.0.0.1", "m", allowed=()) is None
    with pytest.raises(ArticleQAError, match="ARTICLE_QA_UI_LLM_URLS"):
        model_server(SERVER, "http://169.254.169.254/latest", "m", allowed=())
    with pytest.raises(ArticleQAError, match="not one this app allows"):
        model_server(SERVER, "http://169.254.169.254/latest", "m", allowed=("http://10.0.0.5:8080/v1",))
    backend = model_server(SERVER, " http://10.0.0.5:8080/v1/ ", " qwen ", allowed=("http://10.0.0.5:8080/v1",))
    assert backend is not None and backend.name == "qwen@http://10.0.0.5:8080/v1"


def test_the_login_limit_lifts_once_the_failures_are_a_minute_old():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from ui.security import LoginLimit, LoginLimiter

    async def login(request):
        form = await request.form()
        return PlainTextResponse(
            "ok" if form["password"] == "right" else "no", 200 if form["password"] == "right" else 400
        )

    now = [1000.0]
    limiter = LoginLimiter(
        Starlette(routes=[Route("/login", login, methods=["POST"])]), limit=LoginLimit(), clock=lambda: now[0]
    )
    client = TestClient(limiter)
    for _ in range(5):
        assert client.post("/login", data={"password": "wrong"}).status_code == 400
        now[0] += 1
    assert client.post("/login/", data={"password": "right"}).status_code == 429
    now[0] += 56  # the first failure is now a minute old: four in the last minute
    assert client.post("/login", data={"password": "right"}).status_code == 200
    for _ in range(5):  # a success forgets the failures before it
        assert client.post("/login", data={"password": "wrong"}).status_code == 400
    assert client.post("/login", data={"password": "right"}).status_code == 429
