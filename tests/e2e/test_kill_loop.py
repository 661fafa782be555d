"""Reloads killed at random moments (SIGKILL and SIGTERM), again and again: the store always
opens with the counts of one complete reload, no server of the store is left running and no
temporary folder is left behind (issue 14)."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SAMPLE_CORPUS
from tests.e2e.test_hardening import ROOT, servers_of, ties_env, wait_until

KILLS = 20


def _ties(home: Path, tmpdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        env=ties_env(home, tmpdir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_reloads_killed_at_random_moments_leave_one_complete_graph(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(p.name for p in SAMPLE_CORPUS.iterdir())[:2]:
        shutil.copy(SAMPLE_CORPUS / name, corpus / name)
    home, tmpdir = tmp_path / "home", tmp_path / "tmp"
    tmpdir.mkdir()
    started = time.monotonic()
    first = _ties(home, tmpdir, "reload", str(corpus), "--json")
    assert first.returncode == 0, first.stderr
    one_reload = time.monotonic() - started
    expected = json.loads(first.stdout)["counts"]
    chance = random.Random(14)
    for number in range(KILLS):
        sig = signal.SIGKILL if number % 2 == 0 else signal.SIGTERM
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "reload", str(corpus)],
            env=ties_env(home, tmpdir),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # A moment anywhere in a reload: loading the models, extracting, writing, scoring, the
        # page (a kill after the end is allowed too: then the reload simply completed).
        time.sleep(chance.uniform(0, one_reload * 1.1))
        process.send_signal(sig)
        _, err = process.communicate(timeout=120)
        assert "Traceback" not in err, err
        wait_until(lambda: not servers_of(home), f"kill {number + 1}: the server is gone")
        stats = _ties(home, tmpdir, "stats", "--json")
        assert stats.returncode == 0, f"kill {number + 1} ({sig.name}): {stats.stderr}"
        assert json.loads(stats.stdout)["counts"] == expected, f"kill {number + 1}"
    assert not servers_of(home)
    # The server's command line names its socket, which lives in the home: pgrep's view.
    pgrep = subprocess.run(["pgrep", "-f", f"redis-server.*{home}/"], capture_output=True)
    assert pgrep.returncode == 1, pgrep.stdout
    assert list(tmpdir.iterdir()) == []
