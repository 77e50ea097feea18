"""From a model's reply to an answer: the draft, its repairs and its checks (``rag.answer.steps``)."""

from rag.answer.draft import Draft, draft_of
from rag.answer.steps import CHECKS, REASONS, REPAIRS, Failure, finished

__all__ = ["CHECKS", "REASONS", "REPAIRS", "Draft", "Failure", "draft_of", "finished"]
