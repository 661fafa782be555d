"""Reload at scale: time and memory of whole `ties` commands on grown corpora (bench/corpus.py).

    python bench/scale.py run --home H -- reload CORPUS --no-cache --json
    python bench/scale.py run --home H -- analyze --json
    python bench/scale.py run --home H -- viz

Runs one `ties` command (the venv's console script) with ``TIES_HOME=H`` and
``TIES_STORE=embedded``, and prints one JSON line: the command, exit code, wall seconds, the
peak resident memory of the whole process tree (the `ties` process, its extraction workers and
the embedded redis-server child), sampled every 0.5 s from /proc, both as the sum of RSS (pages
shared by forked workers counted once per process) and as the sum of PSS (shared pages divided
among their processes), the size of ``H/network.html`` after the command, and the 1-minute load
average (`/proc/loadavg`) before and after: this machine has 2 cores and is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
TIES = Path(sys.executable).parent / "ties"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def rollup(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes from /proc/PID/smaps_rollup: one cheap read, no per-mapping walk."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        values[key] = int(rest.split()[0]) * 1024
    return values.get("Rss", 0), values.get("Pss", 0)


def sample(pid: int, peaks: dict[str, int], done: threading.Event) -> None:
    while not done.is_set():
        rss = pss = procs = 0
        for proc in tree(pid):
            try:
                one_rss, one_pss = rollup(proc.pid)
            except (OSError, ValueError):
                continue
            rss += one_rss
            pss += one_pss
            procs += 1
        peaks["rss"] = max(peaks["rss"], rss)
        peaks["pss"] = max(peaks["pss"], pss)
        peaks["procs"] = max(peaks["procs"], procs)
        done.wait(0.5)


def run(home: Path, args: list[str]) -> dict[str, object]:
    env = {**os.environ, "TIES_HOME": str(home), "TIES_STORE": "embedded"}
    env.pop("NEO4J_URI", None)
    before = loadavg()
    peaks = {"rss": 0, "pss": 0, "procs": 0}
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(TIES), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    sampler = threading.Thread(target=sample, args=(proc.pid, peaks, done))
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    page = home / "network.html"
    return {
        "command": "ties " + " ".join(args),
        "exit": proc.returncode,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peaks["rss"] / 2**20),
        "peak_pss_mb": round(peaks["pss"] / 2**20),
        "processes": peaks["procs"],
        "page_bytes": page.stat().st_size if page.exists() else None,
        "load_before": before,
        "load_after": loadavg(),
        "stdout_tail": out.decode(errors="replace")[-400:],
        "stderr_tail": err.decode(errors="replace")[-800:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("run", help="run one ties command and measure it")
    one.add_argument("--home", type=Path, required=True)
    one.add_argument("--log", type=Path, help="append the JSON line to this file too")
    one.add_argument("args", nargs=argparse.REMAINDER)
    ns = parser.parse_args(argv)
    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    result = run(ns.home, args)
    line = json.dumps(result, ensure_ascii=False)
    print(line, flush=True)
    if ns.log:
        with ns.log.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
