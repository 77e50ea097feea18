"""Argument types for the command line: a bad value is argparse's one-line usage error (exit 2),
given before any work starts, never after a long run."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # rag loads when the parser is built, after the CLI has set its environment
    from rag.settings import Rule


def checked_by(rule: Rule) -> Callable[[str], Any]:
    """An argument type from a setting's rule: the same values allowed, in the same words."""

    def parse(text: str) -> Any:
        value = rule.read(text)
        if value is None:
            raise argparse.ArgumentTypeError(f"must be {rule.allowed}, got {text!r}")
        return value

    return parse


def output_file(text: str) -> Path:
    """A file that can be written: not a folder, in a folder that exists."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name in it")
    if not path.absolute().parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder of {text} does not exist")
    return path


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(text: str) -> float:
    """Seconds from ``30s``, ``15m``, ``1h``, ``1h30m`` or ``2d``; at least the watch's minimum interval."""
    import re

    from index.watching import MIN_EVERY_S

    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", text.strip().lower())
    if not parts or re.sub(r"[\d.\s]+[smhd]", "", text.strip().lower()):
        raise argparse.ArgumentTypeError(f"must be a duration like 30s, 15m, 1h or 1h30m, got {text!r}")
    seconds = sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts)
    if seconds < MIN_EVERY_S:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_EVERY_S:g}s (polling more often burdens the host)")
    return seconds


def web_url(text: str) -> str:
    """An http:// or https:// URL with a host."""
    from index.urls import is_url

    if not is_url(text):
        raise argparse.ArgumentTypeError(f"must be an http:// or https:// URL, got {text!r}")
    return text
