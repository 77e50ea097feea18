"""The words of both languages, from CLDR, each list defined once (index/lexicon.py)."""

import ast
import re
from pathlib import Path

import pytest

from index.lexicon import MONTH, MONTH_ABBREVIATIONS, MONTH_NUMBERS, WEEKDAYS, month_number

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "number"),
    [("Jänner", 1), ("Jän.", 1), ("März", 3), ("Mär", 3), ("Mai", 5), ("Sept.", 9), ("October", 10), ("Dez.", 12)],
)
def test_a_month_is_read_in_every_form_of_both_languages(name, number):
    assert re.fullmatch(MONTH, name, re.IGNORECASE) and month_number(name) == number


def test_only_shortened_names_are_abbreviations_and_weekdays_are_whole_words():
    assert {"sept", "jän", "mär", "dez", "jan"} <= MONTH_ABBREVIATIONS
    assert not {"mai", "may", "juni", "märz"} & MONTH_ABBREVIATIONS  # "im Mai." ends a sentence
    assert {"montag", "sonntag", "monday"} <= WEEKDAYS and "mon" not in WEEKDAYS


def _strings(path: Path) -> list[str]:
    """The string constants of a module, its docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_other_module_types_a_month_or_weekday_list_of_its_own():
    """A string naming two months or weekdays or more is a list (or a pattern) of them; an
    example sentence names one."""
    names = [name for name in MONTH_NUMBERS if len(name) > 4] + sorted(WEEKDAYS)
    typed = re.compile(rf"\b({'|'.join(names)})\b", re.IGNORECASE)
    found = [
        f"{path.relative_to(ROOT)}: {text[:60]!r}"
        for package in ("index", "rag")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.name != "lexicon.py"
        for text in _strings(path)
        if len({match.casefold() for match in typed.findall(text)}) >= 2
    ]
    assert found == []
