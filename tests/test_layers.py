"""Imports follow the data, one way: index <- rag <- ui, api, eval <- bench <- cli. Lazy imports count too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAY_IMPORT = {
    "index": set(),
    "rag": {"index"},
    "ui": {"rag"},
    "api": {"index", "rag"},
    "eval": {"index", "rag"},
    "bench": {"index", "rag", "eval"},
    "cli": {"index", "rag", "ui", "api", "eval", "bench"},
}


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found & set(MAY_IMPORT)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_the_layers_below_it(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        wrong = _imported_packages(path) - MAY_IMPORT[package] - {package}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, package: str, modules: set[str]) -> set[str]:
    """The modules of ``package`` that ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found |= {name for name in names if name in modules and name.split(".")[0] == package}
    return found - {_module_of(path)}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph, as the modules along it; none: []."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == 1:
                return path[path.index(imported) :] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_no_two_modules_of_a_package_import_each_other_however_indirectly(package):
    """A package's own __init__ (which re-exports) is left out: its modules import from their siblings."""
    paths = {_module_of(path): path for path in sorted((ROOT / package).rglob("*.py"))}
    modules = set(paths)
    graph = {
        module: _imported_modules(path, package, modules) - {package}
        for module, path in paths.items()
        if path.name != "__init__.py"
    }
    assert _cycle(graph) == []
