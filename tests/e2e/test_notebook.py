"""The analyst walkthrough runs from top to bottom (it holds no logic: a broken API breaks it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, unavailable

NOTEBOOK = ROOT / "notebooks" / "ties_walkthrough.ipynb"


def test_walkthrough_notebook_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError as exc:
        unavailable(f"nbclient is not installed: {exc}")
    monkeypatch.setenv("TIES_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    figures = tmp_path / "figures"
    monkeypatch.setenv("TIES_FIGURES", str(figures))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    )
    # The notebook makes its own scratch store with mkdtemp: TMPDIR puts it in the test's
    # folder, so a test run leaves no folder behind in /tmp.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    client.execute(
        env={
            **os.environ,
            "TIES_HOME": str(tmp_path / "home"),
            "TMPDIR": str(scratch),
            "TIES_FIGURES": str(figures),
        }
    )
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    executed = tmp_path / "walkthrough.executed.ipynb"
    nbformat.write(notebook, executed)
    assert executed.stat().st_size > NOTEBOOK.stat().st_size
    # The analyst's plots are written to files, each a non-empty PNG.
    for name in ("ties_by_type.png", "agreements_timeline.png", "ego_network.png"):
        figure = figures / name
        assert figure.is_file() and figure.stat().st_size > 1000, name
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
