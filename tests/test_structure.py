"""The package's shape: stages import only downwards, no cycles, no long functions or modules (issue #16)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
OFFLINE = PACKAGE.parent / "offline"
STAGES = ["core", "content", "render", "search", "incremental", "pipeline", "preview"]
"""Lowest first: a module imports from its own stage or lower ones; the top-level modules (cli …) from any."""
MODULE_LINES = 450
FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    return {".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts): path
            for path in sorted(PACKAGE.rglob("*.py"))}


def _kept_short() -> dict[str, Path]:
    """The modules held to the length limits: the package's and the offline bundle maker's."""
    return {**_modules(), **{".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts): path
                              for path in sorted(OFFLINE.rglob("*.py"))}}


def _imports(path: Path) -> set[str]:
    """Every generator module this file imports, anywhere in it (``from generator.x import y`` may name a module)."""
    modules = _modules()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("generator"))
    return {name for name in found if name in modules and not name.endswith("__init__")} - {"generator"}


def _stage(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 and parts[1] in STAGES else len(STAGES)


def test_stages_import_only_their_own_or_lower_ones() -> None:
    upward = [f"{module} imports {name}" for module, path in _modules().items() for name in sorted(_imports(path))
              if _stage(name) > _stage(module)]
    assert upward == []


def test_no_module_imports_itself_through_others() -> None:
    graph = {module: _imports(path) for module, path in _modules().items()}
    cycles = []
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            name = todo.pop()
            if name == start:
                cycles.append(start)
                break
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
    assert cycles == []


def test_modules_are_short() -> None:
    assert "offline.bundle" in _kept_short()
    long = {module: lines for module, path in _kept_short().items()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES}
    assert long == {}


def test_functions_are_short() -> None:
    long = {}
    for module, path in _kept_short().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                if (lines := node.end_lineno - node.lineno + 1) > FUNCTION_LINES:
                    long[f"{module}.{node.name}"] = lines
    assert long == {}


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_is_a_package_of_its_own(stage: str) -> None:
    assert (PACKAGE / stage / "__init__.py").is_file()
