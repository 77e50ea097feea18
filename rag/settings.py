"""Settings: every path, model and knob in one frozen dataclass.

Read once, at the entry points (CLI, UI, eval), with ``Settings.from_env()``; library code
takes a Settings (or plain arguments) and never reads or writes the environment itself.

Environment variables (all optional):

    ARTICLE_QA_HOME          base folder for data/ and models/ (default: the project folder)
    ARTICLE_QA_DATA_DIR      where the Chroma index lives (default: HOME/data)
    ARTICLE_QA_MODELS_DIR    where models are pulled to (default: HOME/models)
    ARTICLE_QA_ARTICLES      the default corpus folder (default: the sample articles)
    ARTICLE_QA_COLLECTION    Chroma collection name (default: articles)
    ARTICLE_QA_CHROMA_HOST   use the Chroma server on this host instead of the embedded index
    ARTICLE_QA_CHROMA_PORT   its port (default: 8000)
    ARTICLE_QA_CHROMA_TOKEN  sent as a bearer token (for a server behind an auth proxy)
    ARTICLE_QA_CHROMA_SSL    1 to use https
    ARTICLE_QA_CHUNK_TOKENS  chunk size in embedder tokens (default: 160)
    ARTICLE_QA_OVERLAP_TOKENS  tokens shared by neighbouring chunks (default: 30)
    ARTICLE_QA_MAX_FILE_BYTES  larger files are skipped (default: 20,000,000)
    ARTICLE_QA_EMBEDDER      sentence-transformers model folder or name
    ARTICLE_QA_EMBEDDER_BACKEND  onnx-int8 (default): the default embedder's int8 ONNX export, made
                             by `article-qa models pull`, about 3x faster on CPU; torch: the fp32 model
    ARTICLE_QA_EMBEDDER_URL  base URL of an OpenAI-compatible embeddings server (Infinity, llama.cpp,
                             vLLM, TEI) to embed with instead of in-process; the model's prompts and
                             tokenizer (for chunk sizes) are still taken from its local folder
    ARTICLE_QA_EMBEDDER_MODEL  the model name to send to that server (default: embeddinggemma-300m)
    ARTICLE_QA_EMBEDDER_API_KEY  API key for that server
    ARTICLE_QA_LLM_PATH      GGUF file for the in-process model
    ARTICLE_QA_LLM_URL       base URL of an OpenAI-compatible server (used instead of the GGUF)
    ARTICLE_QA_LLM_MODEL     model name to send to that server
    ARTICLE_QA_LLM_API_KEY   API key for that server
    ARTICLE_QA_LLM_GRAMMAR   1 when that server is llama.cpp's: it then gets the answer grammar too
    ARTICLE_QA_TOP_K         chunks retrieved per question (default: 5)
    ARTICLE_QA_MIN_SCORE     lowest cosine similarity a passage needs to be used (default: 0.25)
    ARTICLE_QA_MIN_CONFIDENCE  an answer whose least related cited sentence is further from the
                             question (cosine) is refused (default: 0, off)
    ARTICLE_QA_MIN_ANSWER_PROBABILITY  an answer whose least likely word the model gave a lower
                             probability is refused (default: 0, off)
    ARTICLE_QA_BUDGET_TOKENS tokens of article text the model reads per question (default: 200;
                             0 sends the retrieved chunks whole)
    ARTICLE_QA_THREADS       CPU threads for the in-process model and the embedder (default: all
                             cores; at most 4 per core)
    ARTICLE_QA_UI_USER, ARTICLE_QA_UI_PASSWORD  the chat UI's login (needed to serve beyond this machine;
                             both or neither, the password at least 12 characters)
    ARTICLE_QA_UI_LLM_URLS   comma-separated base URLs of OpenAI-compatible servers a UI user may
                             choose for their session (default: none, and the UI offers no choice)
    ARTICLE_QA_API_KEY       the key the HTTP API asks for (``Authorization: Bearer KEY``; at least
                             16 characters); needed to serve it beyond this machine
    ARTICLE_QA_API_CORS_ORIGINS  comma-separated origins (scheme, host, port) whose web pages may call
                             the HTTP API from a browser (default: none, and CORS is off)
    ARTICLE_QA_FETCH_ALLOW   comma-separated hosts, addresses or networks (10.1.0.0/16) that feeds and
                             pages may be fetched from besides public addresses (default: none: no
                             loopback, private, link-local or reserved address is ever fetched)
    ARTICLE_QA_FETCH_DEADLINE_S  seconds one fetch of a feed or page may take, all of it (default: 60)

Each value is checked when the settings are made (``RULES``): a bad one is a SettingsError with
one line per bad value, naming the variable, what it allows and what it got.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from index.addresses import AddressPolicy
from index.articles import DEFAULT_MAX_FILE_BYTES
from index.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from index.errors import SettingsError
from index.urls import is_url
from index.web import DEFAULT_DEADLINE_S
from rag.answer.confidence import DEFAULT_MIN_ANSWER_PROBABILITY, DEFAULT_MIN_CONFIDENCE
from rag.model_files import EMBEDDINGGEMMA_300M, QWEN_CODER_1_5B
from rag.passages import DEFAULT_BUDGET_TOKENS

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EMBEDDER_BACKENDS = ("onnx-int8", "torch")


def _default_home() -> Path:
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT  # a checkout: keep data and models beside the code
    return Path.home() / ".local" / "share" / "article-qa"


@dataclass(frozen=True)
class Rule:
    """What one setting allows: ``parse`` reads its variable's text, ``accepts`` judges a value.
    A ``secret``'s message gives its length, never the value."""

    allowed: str  # for the message: "a whole number from 1 to 50"
    parse: Callable[[str], Any]
    accepts: Callable[[Any], bool] = lambda value: True
    secret: bool = False

    def read(self, text: str) -> Any | None:
        """The value ``text`` gives, or None when it cannot be read or is not allowed."""
        try:
            value = self.parse(text)
        except (ValueError, KeyError):
            return None
        return value if value is not None and self.accepts(value) else None

    def refusal(self, label: str, value: Any) -> str:
        got = f"{len(value)} characters" if self.secret and isinstance(value, str) else repr(value)
        return f"{label} must be {self.allowed}, got {got}"


def whole_number(low: int, high: int) -> Rule:
    def accepts(value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    return Rule(f"a whole number from {low:,} to {high:,}", lambda text: int(text.strip()), accepts)


def number_between(low: float, high: float) -> Rule:
    def accepts(value) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high

    return Rule(f"a number from {low:g} to {high:g}", lambda text: float(text.strip()), accepts)


_SWITCHES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
SWITCH = Rule("1 or 0 (or true/false, yes/no, on/off)", lambda text: _SWITCHES[text.strip().lower()])
TEXT = Rule("any text", str)
FOLDER = Rule("a folder (or a path where one can be made)", Path, lambda path: not Path(path).is_file())
HOST = Rule(
    "a host name or address, without a scheme or port (e.g. 10.0.0.5)",
    str,
    lambda host: bool(re.fullmatch(r"[A-Za-z0-9.\-]*|\[?[0-9A-Fa-f:]+\]?", host)),
)
URL = Rule("an http:// or https:// URL (e.g. http://127.0.0.1:8080/v1)", str, lambda url: not url or is_url(url))
COLLECTION = Rule(
    "3 to 512 letters, digits, '.', '_' or '-', beginning and ending with a letter or digit",
    str,
    lambda name: bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-]{1,510}[A-Za-z0-9]", name)),
)
BACKEND = Rule(f"one of {', '.join(EMBEDDER_BACKENDS)}", str, lambda name: name in EMBEDDER_BACKENDS)
URL_LIST = Rule(
    "a comma-separated list of http:// or https:// URLs (e.g. http://10.0.0.5:8080/v1,http://10.0.0.6:8080/v1)",
    lambda text: tuple(url.strip() for url in text.split(",") if url.strip()),
    lambda urls: isinstance(urls, tuple) and all(isinstance(url, str) and is_url(url) for url in urls),
)
FETCH_ALLOW = Rule(
    "a comma-separated list of host names, addresses or networks (e.g. intranet.example,10.1.0.0/16)",
    lambda text: tuple(entry.strip() for entry in text.split(",") if entry.strip()),
    lambda entries: isinstance(entries, tuple) and _allowable(entries),
)


def _allowable(entries: tuple) -> bool:
    try:
        AddressPolicy.allowing(entries)
    except (ValueError, AttributeError):
        return False
    return True


MIN_PASSWORD_CHARACTERS = 12  # a login guessed online, and slowed further by ui.security's limit
PASSWORD = Rule(
    f"at least {MIN_PASSWORD_CHARACTERS} characters",
    str,
    lambda password: not password or len(password) >= MIN_PASSWORD_CHARACTERS,
    secret=True,
)
# The API's key is ours to choose (the embedder's and the LLM's are the servers'): long enough that
# guessing it online is hopeless, even without a limit on tries.
MIN_API_KEY_CHARACTERS = 16
API_KEY = Rule(
    f"at least {MIN_API_KEY_CHARACTERS} characters",
    str,
    lambda key: not key or len(key) >= MIN_API_KEY_CHARACTERS,
    secret=True,
)
_ORIGIN = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(:\d{1,5})?")
ORIGIN_LIST = Rule(
    "a comma-separated list of origins: a scheme, a host and an optional port, without a path"
    " (e.g. http://localhost:3000,https://chat.example.org)",
    lambda text: tuple(origin.strip() for origin in text.split(",") if origin.strip()),
    lambda origins: isinstance(origins, tuple) and all(isinstance(o, str) and _ORIGIN.fullmatch(o) for o in origins),
)
# onnxruntime hangs ingest when asked for 100,000 threads; more than a few per core only slows
# both models down.
MOST_THREADS = 4 * (os.cpu_count() or 1)
THREADS = replace(whole_number(0, MOST_THREADS), allowed=f"a whole number from 0 (all cores) to {MOST_THREADS}")


# field: (environment variable without its ARTICLE_QA_ prefix, rule)
RULES: dict[str, tuple[str, Rule]] = {
    "data_dir": ("DATA_DIR", FOLDER),
    "models_dir": ("MODELS_DIR", FOLDER),
    "articles_dir": ("ARTICLES", FOLDER),
    "collection": ("COLLECTION", COLLECTION),
    "chroma_host": ("CHROMA_HOST", HOST),
    "chroma_port": ("CHROMA_PORT", whole_number(1, 65535)),
    "chroma_token": ("CHROMA_TOKEN", TEXT),
    "chroma_ssl": ("CHROMA_SSL", SWITCH),
    "max_file_bytes": ("MAX_FILE_BYTES", whole_number(1, 10**12)),
    "chunk_tokens": ("CHUNK_TOKENS", whole_number(16, 2048)),
    "overlap_tokens": ("OVERLAP_TOKENS", whole_number(0, 1024)),
    "embedder": ("EMBEDDER", TEXT),
    "embedder_backend": ("EMBEDDER_BACKEND", BACKEND),
    "embedder_url": ("EMBEDDER_URL", URL),
    "embedder_served_model": ("EMBEDDER_MODEL", TEXT),
    "embedder_api_key": ("EMBEDDER_API_KEY", TEXT),
    "llm_path": ("LLM_PATH", TEXT),
    "llm_url": ("LLM_URL", URL),
    "llm_model": ("LLM_MODEL", TEXT),
    "llm_api_key": ("LLM_API_KEY", TEXT),
    "llm_grammar": ("LLM_GRAMMAR", SWITCH),
    "top_k": ("TOP_K", whole_number(1, 50)),
    "min_score": ("MIN_SCORE", number_between(0.0, 1.0)),
    "min_confidence": ("MIN_CONFIDENCE", number_between(0.0, 1.0)),
    "min_answer_probability": ("MIN_ANSWER_PROBABILITY", number_between(0.0, 1.0)),
    "budget_tokens": ("BUDGET_TOKENS", whole_number(0, 4000)),
    "threads": ("THREADS", THREADS),
    "ui_user": ("UI_USER", TEXT),
    "ui_password": ("UI_PASSWORD", PASSWORD),
    "ui_llm_urls": ("UI_LLM_URLS", URL_LIST),
    "api_key": ("API_KEY", API_KEY),
    "api_cors_origins": ("API_CORS_ORIGINS", ORIGIN_LIST),
    "fetch_allow": ("FETCH_ALLOW", FETCH_ALLOW),
    "fetch_deadline_s": ("FETCH_DEADLINE_S", number_between(1.0, 3600.0)),
}
# Settings without a variable, checked all the same
_ARGUMENT_RULES: dict[str, Rule] = {
    "max_answer_tokens": whole_number(1, 4096),
    "context_tokens": whole_number(512, 131072),
}


def checked(name: str, value: Any) -> Any:
    """``value`` for the setting ``name`` (a Settings field), or a SettingsError saying what it allows."""
    if problem := _problem(name, name, value):
        raise SettingsError(problem)
    return value


def _problem(field_name: str, label: str, value: Any) -> str | None:
    """What is wrong with a setting's value, in one line that names it by ``label``; None when nothing."""
    rule = RULES[field_name][1] if field_name in RULES else _ARGUMENT_RULES.get(field_name)
    if rule is None or rule.accepts(value):
        return None
    return rule.refusal(label, value)


def _label(field_name: str) -> str:
    """The environment variable of a setting, or the field's own name where it has none."""
    return f"ARTICLE_QA_{RULES[field_name][0]}" if field_name in RULES else field_name


def _half_a_login(user: str, password: str) -> list[str]:
    """The UI would otherwise start without any login, and say nothing."""
    if user and not password:
        return [
            f"ARTICLE_QA_UI_USER is set without ARTICLE_QA_UI_PASSWORD: set a password of at least"
            f" {MIN_PASSWORD_CHARACTERS} characters, or unset ARTICLE_QA_UI_USER"
        ]
    if password and not user:
        return ["ARTICLE_QA_UI_PASSWORD is set without ARTICLE_QA_UI_USER: set the user name too, or unset both"]
    return []


def check_login(user: str, password: str) -> None:
    """A SettingsError unless the UI's login has both parts and a long enough password."""
    if not user and not password:
        raise SettingsError("A login needs both ARTICLE_QA_UI_USER and ARTICLE_QA_UI_PASSWORD")
    problem = "\n".join(_half_a_login(user, password)) or _problem("ui_password", _label("ui_password"), password)
    if problem:
        raise SettingsError(problem)


@dataclass(frozen=True, kw_only=True)
class Settings:
    data_dir: Path
    models_dir: Path
    articles_dir: Path
    collection: str = "articles"
    chroma_host: str = ""  # empty: embedded Chroma in data_dir
    chroma_port: int = 8000
    chroma_token: str = ""
    chroma_ssl: bool = False
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    embedder: str = ""  # empty: the pulled EmbeddingGemma in models_dir
    embedder_backend: str = "onnx-int8"  # or "torch" (fp32 sentence-transformers); see index.onnx_embedding
    embedder_url: str = ""  # an OpenAI-compatible embeddings server; empty: embed in-process
    embedder_served_model: str = EMBEDDINGGEMMA_300M.target  # the name sent to that server
    embedder_api_key: str = ""
    llm_path: str = ""  # empty: the pulled Qwen2.5-Coder GGUF in models_dir
    llm_url: str = ""
    llm_model: str = "default"
    llm_api_key: str = ""
    llm_grammar: bool = False
    top_k: int = 5
    min_score: float = 0.25
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    min_answer_probability: float = DEFAULT_MIN_ANSWER_PROBABILITY
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS
    max_answer_tokens: int = 200
    budget_tokens: int = DEFAULT_BUDGET_TOKENS
    threads: int = 0  # 0: all cores
    context_tokens: int = 4096
    ui_user: str = ""  # with ui_password: the login the chat UI asks for
    ui_password: str = ""
    ui_llm_urls: tuple[str, ...] = ()  # the model servers a UI user may choose; none: no choice
    api_key: str = ""  # the HTTP API's bearer key; empty: no key (then it serves this machine only)
    api_cors_origins: tuple[str, ...] = ()  # web origins allowed to call the API; none: CORS off
    fetch_allow: tuple[str, ...] = ()  # hosts and networks fetched from besides public addresses (index.addresses)
    fetch_deadline_s: float = DEFAULT_DEADLINE_S  # one fetch of a feed or page, all of it

    def __post_init__(self) -> None:
        """Every value checked, however the settings were made: one line for each bad one."""
        found = (_problem(field.name, _label(field.name), getattr(self, field.name)) for field in fields(self))
        problems = [problem for problem in found if problem]
        if not problems and self.overlap_tokens >= self.chunk_tokens:
            problems.append(
                f"ARTICLE_QA_OVERLAP_TOKENS must be less than ARTICLE_QA_CHUNK_TOKENS ({self.chunk_tokens}),"
                f" got {self.overlap_tokens}"
            )
        if not problems:
            problems = _half_a_login(self.ui_user, self.ui_password)
        if problems:
            raise SettingsError("\n".join(problems))

    @classmethod
    def defaults(cls, home: Path | None = None) -> "Settings":
        home = home or _default_home()
        return cls(data_dir=home / "data", models_dir=home / "models", articles_dir=PROJECT_ROOT / "articles")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """The settings of the ``ARTICLE_QA_*`` variables (SettingsError names each bad one)."""
        env = os.environ if env is None else env
        home_text = env.get("ARTICLE_QA_HOME", "")
        if home_text and Path(home_text).is_file():
            raise SettingsError(f"ARTICLE_QA_HOME must be {FOLDER.allowed}, got {home_text!r}")
        base = cls.defaults(Path(home_text) if home_text else None)
        values: dict[str, Any] = {}
        problems: list[str] = []
        for field_name, (name, rule) in RULES.items():
            text = env.get(f"ARTICLE_QA_{name}", "")
            if text == "":
                continue
            value = rule.read(text)
            if value is None:
                problems.append(rule.refusal(f"ARTICLE_QA_{name}", text))
            values[field_name] = value
        if problems:
            raise SettingsError("\n".join(problems))
        return replace(base, **values)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    def __repr__(self) -> str:  # secrets stay out of logs and tracebacks
        hidden = {"llm_api_key", "embedder_api_key", "chroma_token", "ui_password", "api_key"}
        shown = ", ".join(
            f"{name}={'***' if name in hidden and getattr(self, name) else repr(getattr(self, name))}"
            for name in self.__dataclass_fields__
        )
        return f"Settings({shown})"

    @property
    def uses_default_embedder(self) -> bool:
        return not self.embedder

    @property
    def uses_default_llm(self) -> bool:
        return not self.llm_path and not self.llm_url

    @property
    def embedder_model(self) -> str:
        return self.embedder or str(self.models_dir / EMBEDDINGGEMMA_300M.target)

    @property
    def onnx_embedder_dir(self) -> Path:
        """Where the default embedder's int8 ONNX export lives, beside the model it was made from."""
        return self.models_dir / f"{EMBEDDINGGEMMA_300M.target}-onnx-int8"

    @property
    def llm_file(self) -> Path:
        return Path(self.llm_path) if self.llm_path else self.models_dir / QWEN_CODER_1_5B.target
