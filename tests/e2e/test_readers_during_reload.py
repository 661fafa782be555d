"""Readers never wait for more than the write (issue 12, item 5): `ties stats` answers, from the
previous graph, while a reload of 1,250 documents is extracting and while its scores are
computed. The reload runs in another process with a slowed extractor (a test double that holds
the first document until the test says so, then gives each document its record only), or with
its scoring held the same way.

The time bound (1 s, the issue's) is for the `stats` command itself, run in this process: opening
the store, answering, closing. Starting a Python interpreter is not part of it (0.3 s of CPU,
several seconds of wall time when the 2-core machine is shared)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.cli_support import run, tiny_home

DOCUMENTS = 1250
HELD = """
import sys, time
from pathlib import Path

started, release, stage = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def hold():
    started.touch()
    deadline = time.monotonic() + 120
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.02)

import loaders.pipeline as pipeline
from loaders.model import DocumentFacts

held = []

def extract_one(text):
    if stage == "extract" and not held:
        held.append(text.document.id)
        hold()
    return DocumentFacts(document=text.document)

pipeline.extract_one = extract_one
if stage == "score":
    import graph.analysis as analysis
    real = analysis.score_projection
    def score_projection(actors, rows):
        hold()
        return real(actors, rows)
    analysis.score_projection = score_projection
sys.argv = ["ties", *sys.argv[4:]]
from graph.cli import main
main()
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(DOCUMENTS):
        (folder / f"doc{n:04d}.txt").write_text(
            f"La France et l'Inde ont signé l'accord numéro {n} à Paris en 2023.\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture(autouse=True)
def impatient(monkeypatch: pytest.MonkeyPatch) -> None:
    # A `stats` that found the store held would fail "busy" after 2 s, not wait 120 s.
    monkeypatch.setattr("graph.falkordb_store.LOCK_TIMEOUT_S", 2.0)


def counts() -> tuple[dict[str, int], float]:
    started = time.monotonic()
    result = run("stats", "--json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["counts"], elapsed


@pytest.mark.parametrize("stage", ["extract", "score"])
def test_stats_answers_within_a_second_while_a_reload_runs(
    stage: str, tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tiny_home(tmp_path, monkeypatch)
    before, _ = counts()
    assert before["node:Actor"] == 3 and before["node:Document"] == 1
    started, release = tmp_path / "started", tmp_path / "release"
    reload_args = ["reload", str(corpus), "--jobs", "1", "--no-cache", "--no-html", "--json"]
    reloading = subprocess.Popen(
        [sys.executable, "-c", HELD, str(started), str(release), stage, *reload_args],
        env={**os.environ, "TIES_HOME": str(home)},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert reloading.poll() is None, reloading.communicate()[1]
            assert time.monotonic() < deadline, f"the reload never reached {stage}"
            time.sleep(0.02)
        during, elapsed = counts()
        print(f"ties stats while the reload holds {stage}: {elapsed:.3f} s")
        assert reloading.poll() is None, f"the reload must still {stage}"
        assert during == before
        assert elapsed < 1.0, f"ties stats took {elapsed:.2f} s while the reload held {stage}"
    finally:
        release.touch()
        out, err = reloading.communicate(timeout=300)
    assert reloading.returncode == 0, err
    assert json.loads(out)["documents"] == DOCUMENTS
    after, _ = counts()
    assert after["node:Document"] == DOCUMENTS and after.get("node:Actor", 0) == 0
