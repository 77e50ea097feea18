"""Evaluation: metrics as pure functions over answers. Imports rag (and index), never ui."""

from eval.metrics import contains_any, normalize, number_matches

__all__ = ["contains_any", "normalize", "number_matches"]
