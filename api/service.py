"""What every route of the API shares: the one assistant, its limits, the uploads folder, and
whether the models are ready."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from rag import ArticleQAError, Assistant, report_unexpected

MAX_URL_ADDS = 4  # requests adding URLs at once: each holds a worker thread while it fetches


@dataclass
class Readiness:
    """Whether ``Assistant.warm_up()`` has returned, and the error it raised when it failed."""

    done: threading.Event = field(default_factory=threading.Event)
    error: str = ""

    def warm_up(self, assistant: Assistant) -> None:
        """Load the models and read the prompt prefix (run on a thread of its own)."""
        try:
            assistant.warm_up()
        except ArticleQAError as exc:
            self.error = str(exc)
        except Exception as exc:  # a bug of ours: one line here, its traceback in the log it names
            self.error = report_unexpected(exc, "warming up the models for the HTTP API")
        finally:
            self.done.set()


@dataclass
class Service:
    assistant: Assistant
    uploads: Path  # where uploaded files are kept under their cleaned names (rag.uploads)
    max_question_chars: int
    readiness: Readiness = field(default_factory=Readiness)
    started: int = field(default_factory=lambda: int(time.time()))  # the model's "created" in /v1/models
    # uploads, URL ingests and deletions, one at a time (as the UI's library queue): an upload's
    # free name is chosen and its ingest done before the next looks
    library_lock: threading.Lock = field(default_factory=threading.Lock)
    url_adds: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(MAX_URL_ADDS))
