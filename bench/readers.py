"""How long a reload keeps readers out of the embedded store (issue 12, item 5).

    python bench/readers.py [--documents N]

The corpus of `bench/cache.py` (the sample and the real test articles copied to N documents).
A first `ties reload` fills the extraction cache; the second, timed, runs in this process with
the store's lock and the reload's steps instrumented: how long the lock is held (the write and
the projection read; then the scores' write, the page's reads and the switch), against the
scoring and the page's render, both done with the lock released, and the whole reload. Prints
markdown rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cache import make_corpus  # noqa: E402


def timing(spans: list[tuple[str, float]], label: str, func: Callable[..., Any]) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spans.append((label, time.perf_counter() - start))

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    from click.testing import CliRunner

    from graph import analysis, falkordb_store, viz
    from graph.cli import cli

    spans: list[tuple[str, float]] = []
    held: list[float] = []
    taken: list[float] = []
    store = falkordb_store.FalkorDBStore
    acquire, release = store._acquire_lock, store._release_lock

    def acquired(self: Any) -> None:
        acquire(self)
        taken.append(time.perf_counter())

    def released(self: Any) -> None:
        if self._lock_fd is not None and taken:
            held.append(time.perf_counter() - taken.pop())
        release(self)

    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(Path(tmp) / "corpus", args.documents)
        env = {"TIES_HOME": str(Path(tmp) / "home"), "TIES_STORE": "embedded"}
        first = CliRunner().invoke(cli, ["reload", str(corpus), "--json"], env=env)
        assert first.exit_code == 0, first.output
        store._acquire_lock, store._release_lock = acquired, released  # type: ignore[method-assign]
        analysis.score_projection = timing(spans, "scores", analysis.score_projection)
        viz.read_new_page_data = timing(spans, "page reads (locked)", viz.read_new_page_data)
        viz.render_page = timing(spans, "page render (released)", viz.render_page)
        start = time.perf_counter()
        second = CliRunner().invoke(cli, ["reload", str(corpus), "--json"], env=env)
        total = time.perf_counter() - start
        assert second.exit_code == 0, second.output
    print(f"| documents | reload s | lock held s (each time) | {' | '.join(s for s, _ in spans)} |")
    print("|---:|---:|---|" + "---:|" * len(spans))
    each = " + ".join(f"{s:.2f}" for s in held)
    print(
        f"| {args.documents} | {total:.2f} | {sum(held):.2f} ({each}) | "
        + " | ".join(f"{s:.2f}" for _, s in spans)
        + " |"
    )


if __name__ == "__main__":
    main()
