"""What the CLI tests share: an embedded store holding the tiny known graph, and the CLI run
in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.cli import cli
from graph.falkordb_store import FalkorDBStore
from graph.load import build_rows, schema_statements
from tests.fixtures.tiny import tiny_facts


def tiny_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An embedded store holding the tiny known graph, as TIES_HOME; no Neo4j setting leaks in
    from the environment."""
    path = tmp_path / "home"
    for name in ("NEO4J_URI", "TIES_STORE", "NEO4J_PASSWORD", "NEO4J_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TIES_HOME", str(path))
    store = FalkorDBStore(path)
    store.replace_graph(schema_statements("embedded"), build_rows(tiny_facts(), False).writes())
    store.close()
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="ties")
