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
"""

from __future__ import annotations


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
