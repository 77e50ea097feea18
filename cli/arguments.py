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
