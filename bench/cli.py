"""Wall time of whole `ties` CLI calls on the embedded store (process start to exit).

    python bench/cli.py            # prints a markdown table for BENCHMARKS.md

Each command runs `--runs` times in a fresh process against a store holding the sample graph;
the table gives the median and the slowest. The first `reload` loads the spaCy pipelines, so it
is the slowest call an analyst makes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["reload", "data/corpus"],
    ["reload", "data/corpus", "--no-html", "--no-analysis"],
    ["stats"],
    ["query", "actor-ties", "-p", "actor=Kazakhstan"],
    ["analyze", "--top", "5"],
    ["viz"],
    ["--help"],
]


def time_call(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from graph.cli import main; main()", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with TemporaryDirectory() as home:
        env = {**os.environ, "TIES_HOME": home}
        env.pop("NEO4J_URI", None)
        time_call(["reload", "data/corpus"], env)
        print("| command | median s | slowest s |")
        print("|---|---:|---:|")
        for command in COMMANDS:
            times = [time_call(command, env) for _ in range(args.runs)]
            label = "ties " + " ".join(command)
            print(f"| `{label}` | {statistics.median(times):.2f} | {max(times):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
