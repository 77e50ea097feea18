"""The project's exceptions, in one small tree.

It lives in ``index`` because that is the bottom layer: every other package may import it.
Each message is written for the person at the keyboard and says what to do next.

    ArticleQAError
    ├── SettingsError           a setting (an ARTICLE_QA_* variable or an argument) has a bad value
    ├── ModelError              a model file is missing, corrupt, or will not load
    ├── ArticleError            an article or folder that cannot be read
    ├── StoreError              Chroma cannot be opened, read or written
    ├── BackendError            the language model backend failed or is unreachable
    ├── QuestionError           the question itself cannot be asked (empty, too long)
    └── DatasetError            an eval dataset that cannot be read

Anything else is a bug of ours: ``report_unexpected()`` words it as one line for the user and
writes its traceback to a file the line names.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path


class ArticleQAError(Exception):
    """Base of every error this project raises on purpose."""


class SettingsError(ArticleQAError):
    pass


class ModelError(ArticleQAError):
    pass


class ArticleError(ArticleQAError):
    pass


class StoreError(ArticleQAError):
    pass


class BackendError(ArticleQAError):
    pass


class QuestionError(ArticleQAError):
    pass


class DatasetError(ArticleQAError):
    pass


def report_unexpected(exc: BaseException, context: str) -> str:
    """One line for an exception we did not foresee; its traceback goes to a log file it names.

    Call it while the exception is being handled. ``context`` says what was going on (a
    command line, "answering a question in the UI") and heads the log.
    """
    folder = Path(tempfile.gettempdir()) / "article-qa-errors"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    log.write_text(f"{context}\n\n{''.join(traceback.format_exception(exc))}", encoding="utf-8")
    return f"unexpected {type(exc).__name__}: {exc} (details in {log}; please report them)"
