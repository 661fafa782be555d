"""Reload at scale: time and memory of whole `ties` commands on grown corpora (bench/corpus.py).

    python bench/scale.py run --home H -- reload CORPUS --no-cache --json
    python bench/scale.py run --home H -- analyze --json
    python bench/scale.py run --home H -- viz
    python bench/scale.py phases --home H -- reload CORPUS --json


Runs one `ties` command (the venv's console script) with ``TIES_HOME=H`` and
``TIES_STORE=embedded``, and prints one JSON line: the command, exit code, wall seconds, the
peak resident memory of the whole process tree (the `ties` process, its extraction workers and
the embedded redis-server child), sampled every 0.5 s from /proc, both as the sum of RSS (pages
shared by forked workers counted once per process) and as the sum of PSS (shared pages divided
among their processes), the size of ``H/network.html`` after the command, and the 1-minute load
average (`/proc/loadavg`) before and after: this machine has 2 cores and is shared.

``phases`` does the same and also times the phases of the command: the `ties` process runs
in-process here with timers around the functions each phase is made of (wrapped by name, so the
code under test is unchanged and its extractor fingerprint too), and the line gets a
``phases`` object of seconds (wall clock of the `ties` process) and the CPU seconds of the
process and of its children (the extracting workers, the embedded server).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
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


# -- phases ------------------------------------------------------------------------------------

# (module, attribute path, timer name): what each phase of a reload is made of. A missing
# attribute is skipped (the code may have moved), so one script times both sides of a change.
TIMED = [
    ("loaders.pipeline", "read_corpus", "read"),
    ("loaders.pipeline", "scan_corpus", "read"),
    ("loaders.pipeline", "ExtractionCache.get", "cache_get"),
    ("loaders.pipeline", "ExtractionCache.get_many", "cache_get"),
    ("loaders.pipeline", "ExtractionCache.put", "cache_put"),
    ("loaders.pipeline", "extract_corpus", "extract_corpus"),
    ("loaders.pipeline", "resolve_corpus", "resolve"),
    ("graph.load", "rows_from", "rows"),
    ("graph.load", "GraphRows.writes", "rows_writes"),
    ("graph.cli", "open_store", "open_store"),
    ("graph.falkordb_store", "FalkorDBStore.replace_graph", "replace_graph"),
    ("graph.falkordb_store", "FalkorDBStore._save", "store_save"),
    ("graph.falkordb_store", "FalkorDBStore._open", "store_open"),
    ("graph.falkordb_store", "FalkorDBStore.close", "store_close"),
    ("graph.analysis", "read_new_projection", "analysis_read"),
    ("graph.analysis", "score_projection", "analysis_score"),
    ("graph.analysis", "write_scores", "analysis_write"),
    ("graph.viz", "read_new_page_data", "page_read"),
    ("graph.viz", "render_page", "page_render"),
    ("graph.files", "write_atomically", "page_write"),
    ("loaders.pipeline", "ExtractionCache.prune", "cache_prune"),
]


def _instrument(totals: dict[str, float]) -> None:
    import importlib

    active: list[str] = []

    def timer(name: str, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            active.append(name)
            try:
                return func(*args, **kwargs)
            finally:
                active.pop()
                spent = time.perf_counter() - start
                totals[name] = totals.get(name, 0.0) + spent
                if "replace_graph" in active:
                    inside = f"{name}_in_write"
                    totals[inside] = totals.get(inside, 0.0) + spent

        return timed

    for module_name, path, name in TIMED:
        try:
            owner = importlib.import_module(module_name)
        except ImportError:
            continue
        *parents, attr = path.split(".")
        for part in parents:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, attr):
            continue
        setattr(owner, attr, timer(name, getattr(owner, attr)))


def breakdown(totals: dict[str, float], wall: float) -> dict[str, float]:
    """The phases from the raw timers (some nest: the cache reads are inside the extraction,
    the scores and the page data are read inside the write's transaction)."""
    t = {k: totals.get(k, 0.0) for k, _ in _NAMES}
    saves = sum(totals.get(f"store_{x}_in_write", 0.0) for x in ("save", "open", "close"))
    staged = t["analysis_read"] + t["analysis_score"] + t["analysis_write"] + t["page_read"]
    phases = {
        "read": t["read"],
        "cache_load": t["cache_get"],
        "extract": t["extract_corpus"] - t["cache_get"] - t["cache_put"],
        "cache_write": t["cache_put"],
        "resolve": t["resolve"],
        "rows": t["rows"] + t["rows_writes"],
        "open_store": t["open_store"],
        "write": t["replace_graph"] - staged - saves,
        "store_save_reopen": saves,
        "analysis": t["analysis_read"] + t["analysis_score"] + t["analysis_write"],
        "page_read": t["page_read"],
        "page_render": t["page_render"],
        "page_write": t["page_write"],
        "cache_prune": t["cache_prune"],
    }  # fmt: skip
    phases["other"] = wall - sum(phases.values())
    return {k: round(v, 2) for k, v in phases.items()}


_NAMES = [(name, None) for name in dict.fromkeys(name for _, _, name in TIMED)]


def instrumented(out: Path, args: list[str]) -> int:
    """Run `ties ARGS` in this process with the timers on; write them to `out`."""
    start = time.perf_counter()
    totals: dict[str, float] = {}
    _instrument(totals)
    from graph.cli import cli

    code = 0
    try:
        cli.main(args=args, prog_name="ties", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    wall = time.perf_counter() - start
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write_text(
        json.dumps(
            {
                "phases": breakdown(totals, wall),
                "timers": {k: round(v, 2) for k, v in sorted(totals.items())},
                "process_wall": round(wall, 2),
                "cpu_self": round(me.ru_utime + me.ru_stime, 1),
                "cpu_children": round(children.ru_utime + children.ru_stime, 1),
            }
        )
    )
    return code


def run(home: Path, args: list[str], phases: bool = False) -> dict[str, object]:
    env = {**os.environ, "TIES_HOME": str(home), "TIES_STORE": "embedded"}
    env.pop("NEO4J_URI", None)
    before = loadavg()
    peaks = {"rss": 0, "pss": 0, "procs": 0}
    done = threading.Event()
    start = time.perf_counter()
    command = [str(TIES), *args]
    timers = None
    if phases:
        fd, name = tempfile.mkstemp(prefix="phases-", suffix=".json")
        os.close(fd)
        timers = Path(name)
        command = [sys.executable, str(Path(__file__).resolve()), "_instrumented", name, *args]
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    sampler = threading.Thread(target=sample, args=(proc.pid, peaks, done))
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    page = home / "network.html"
    measured: dict[str, object] = {}
    if timers is not None:
        with contextlib.suppress(OSError, ValueError):
            measured = json.loads(timers.read_text())
        timers.unlink(missing_ok=True)
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
        **measured,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("run", help="run one ties command and measure it")
    one.add_argument("--home", type=Path, required=True)
    one.add_argument("--log", type=Path, help="append the JSON line to this file too")
    one.add_argument("args", nargs=argparse.REMAINDER)
    timed = sub.add_parser("phases", help="run one ties command, measure it and time its phases")
    timed.add_argument("--home", type=Path, required=True)
    timed.add_argument("--log", type=Path, help="append the JSON line to this file too")
    timed.add_argument("args", nargs=argparse.REMAINDER)
    inner = sub.add_parser("_instrumented", help=argparse.SUPPRESS)
    inner.add_argument("out", type=Path)
    inner.add_argument("args", nargs=argparse.REMAINDER)
    ns = parser.parse_args(argv)
    if ns.what == "_instrumented":
        return instrumented(ns.out, ns.args)
    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    result = run(ns.home, args, phases=ns.what == "phases")
    line = json.dumps(result, ensure_ascii=False)
    print(line, flush=True)
    if ns.log:
        with ns.log.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
