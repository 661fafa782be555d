"""A reload with the extraction cache gives the graph a reload without it gives, byte for byte;
and the store is not held while a reload extracts: readers see the previous graph meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.cli import cli
from tests.conftest import ROOT, SAMPLE_CORPUS


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEO4J_URI", "TIES_STORE", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="ties", env={"TIES_HOME": str(home)})


def exported(home: Path, out: Path) -> bytes:
    result = run(home, "export", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_the_cache_changes_nothing_in_the_graph(env: None, tmp_path: Path) -> None:
    plain = run(tmp_path / "plain", "reload", str(SAMPLE_CORPUS), "--no-html", "--no-cache")
    assert plain.exit_code == 0, plain.output
    assert "Extracted 5; 0 from the cache\n" in plain.output
    assert not (tmp_path / "plain" / "cache").exists()
    cold = run(tmp_path / "cached", "reload", str(SAMPLE_CORPUS), "--no-html")
    assert "Extracted 5; 0 from the cache\n" in cold.output, cold.output
    warm = run(tmp_path / "cached", "reload", str(SAMPLE_CORPUS), "--no-html", "--jobs", "1")
    assert warm.exit_code == 0, warm.output
    assert "Extracted 0; 5 from the cache\n" in warm.output
    assert exported(tmp_path / "plain", tmp_path / "a.json") == exported(
        tmp_path / "cached", tmp_path / "b.json"
    )


def test_a_changed_corpus_reloads_from_the_cache_to_the_graph_of_a_full_reload(
    env: None, tmp_path: Path
) -> None:
    """The corpus of a warm home changes (a document added, one edited, one renamed, one
    removed): the reload extracts only the added, edited and renamed ones, and its export is
    the export of a reload without the cache, byte for byte."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = sorted(p.name for p in SAMPLE_CORPUS.iterdir() if p.suffix in (".txt", ".md"))
    for name in names[:4]:
        (corpus / name).write_bytes((SAMPLE_CORPUS / name).read_bytes())
    cached = tmp_path / "cached"
    first = run(cached, "reload", str(corpus), "--no-html", "--no-analysis")
    assert first.exit_code == 0, first.output
    (corpus / names[4]).write_bytes((SAMPLE_CORPUS / names[4]).read_bytes())  # added
    edited = corpus / names[0]
    edited.write_bytes(edited.read_bytes() + b"\nLa France et l'Inde ont sign\xc3\xa9 un accord.\n")
    (corpus / names[1]).rename(corpus / f"renamed-{names[1]}")
    (corpus / names[2]).unlink()
    warm = run(cached, "reload", str(corpus), "--no-html", "--no-analysis")
    assert warm.exit_code == 0, warm.output
    assert "Extracted 3; 1 from the cache\n" in warm.output, warm.output
    plain = tmp_path / "plain"
    full = run(plain, "reload", str(corpus), "--no-html", "--no-analysis", "--no-cache")
    assert full.exit_code == 0, full.output
    assert exported(cached, tmp_path / "a.json") == exported(plain, tmp_path / "b.json")


# A reload whose extraction waits for a file: the test decides when extraction ends.
SLOWED = """
import sys, time
from pathlib import Path
import loaders.extract as extract
started, release = Path(sys.argv[1]), Path(sys.argv[2])
real = extract.extract_document
def held(text):
    started.touch()
    deadline = time.monotonic() + 120
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return real(text)
extract.extract_document = held
sys.argv = ["ties", *sys.argv[3:]]
from graph.cli import main
main()
"""


RELOAD = ["reload", str(SAMPLE_CORPUS), "--no-html", "--no-analysis", "--jobs", "1"]


def ties(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIES_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-c", "from graph.cli import main; main()", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_readers_see_the_previous_graph_while_a_reload_extracts(env: None, tmp_path: Path) -> None:
    home = tmp_path / "home"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text(
        "La France et l'Inde ont signé un accord de défense en 2023.\n", encoding="utf-8"
    )
    first = ties(home, "reload", str(corpus), "--no-html", "--no-analysis")
    assert first.returncode == 0, first.stderr
    before = json.loads(ties(home, "stats", "--json").stdout)["counts"]
    started, release = tmp_path / "started", tmp_path / "release"
    env = {**os.environ, "TIES_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    reloading = subprocess.Popen(
        [sys.executable, "-c", SLOWED, str(started), str(release), *RELOAD],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and reloading.poll() is None:
            assert time.monotonic() < deadline, "the reload never started extracting"
            time.sleep(0.05)
        during = ties(home, "stats", "--json")
        assert during.returncode == 0, during.stderr
        assert reloading.poll() is None, "the reload must still be extracting"
        assert json.loads(during.stdout)["counts"] == before
    finally:
        release.touch()
        _, err = reloading.communicate(timeout=300)
    assert reloading.returncode == 0, err
    after = json.loads(ties(home, "stats", "--json").stdout)["counts"]
    assert after["node:Document"] == 5 and before["node:Document"] == 1


def test_a_reload_prunes_removed_documents_and_older_extractors(env: None, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = sorted(p.name for p in SAMPLE_CORPUS.iterdir() if p.suffix in (".txt", ".md"))[:2]
    for name in names:
        (corpus / name).write_bytes((SAMPLE_CORPUS / name).read_bytes())
    home = tmp_path / "home"
    root = home / "cache" / "extract"
    older = root / "0123456789abcdef" / "00"
    older.mkdir(parents=True)
    (older / "00aa.json").write_text("{}", encoding="utf-8")
    first = run(home, "reload", str(corpus), "--no-html", "--no-analysis", "--jobs", "1")
    assert first.exit_code == 0, first.output
    entries = lambda: sorted(p.name for p in root.rglob("*.json"))  # noqa: E731
    assert len(entries()) == 2 and not older.exists()
    (corpus / names[1]).unlink()
    second = run(home, "reload", str(corpus), "--no-html", "--no-analysis", "--jobs", "1")
    assert "Extracted 0; 1 from the cache\n" in second.output, second.output
    assert len(entries()) == 1
    assert [p.name for p in root.iterdir()] == [pipeline_fingerprint()]


def pipeline_fingerprint() -> str:
    from loaders.pipeline import fingerprint

    return fingerprint()
