"""The network page's size as the corpus grows: bytes of `ties viz`'s page against documents.

    .venv/bin/python bench/page.py                      # 100 ... 800,000 documents
    .venv/bin/python bench/page.py --documents 100 1000

A seeded synthetic corpus over a fixed cast of 150 states: each document states one agreement
between two of them, quoted in two sentences, and is cited by it. As documents are added the
pairs fill up and each pair's evidence grows, as in a real news stream about the same states.
The page is rendered by `graph.viz.render_page` (the function `ties viz` and `ties reload`
write with) three times: as shipped (at most `MAX_EDGES` ties drawn, evidence and reasons
bounded per pair by `EVIDENCE_PER_PAIR` and `REASONS_PER_PAIR`); with every tie among the drawn
actors but the per-pair bounds (the page before `--max-edges`); and with every bound lifted. No
store: the page's size is the point, not the read. Prints a markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import analysis, viz
from graph.viz import NetworkData, render_page

DOCUMENTS = (100, 1_000, 10_000, 50_000, 200_000, 800_000)
STATES = 150
SEED = 7


def synthetic_data(documents: int, seed: int = SEED) -> NetworkData:
    """One agreement per document between two of `STATES` seeded random states."""
    rng = random.Random(seed)
    actors = [{"id": f"S{i:03d}", "name": f"State {i}", "kind": "state"} for i in range(STATES)]
    rows: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for doc in range(documents):
        a, b = sorted(rng.sample(range(STATES), 2))
        source, target, fact = f"S{a:03d}", f"S{b:03d}", f"agreement-{doc:06d}"
        rows.append(
            {"source": source, "target": target, "via": "agreement", "through": fact,
             "label": f"Agreement {doc}", "since": 1995 + doc % 30, "until": None, "size": 2}
        )  # fmt: skip
        evidence.append(
            {"source": source, "target": target, "kind": "agreement", "name": f"Agreement {doc}",
             "date": str(1995 + doc % 30), "fact": fact, "sources": [f"doc-{doc:06d}"],
             "evidence": [f"State {a} and State {b} signed agreement {doc} in document {doc}.",
                          f"The agreement {doc} covers defence and trade for ten years."]}
        )  # fmt: skip
    graph = analysis.build_graph(actors, rows)
    documents_meta = {
        f"doc-{doc:06d}": {"title": f"Article {doc}", "date": "2024-01-01", "source": "x.txt"}
        for doc in range(documents)
    }
    return NetworkData(
        graph, analysis.score_actors(graph), rows, evidence, documents=documents_meta
    )


def page_bytes(data: NetworkData, ties: bool, per_pair: bool) -> tuple[int, int, float]:
    """The page's size in bytes, its ties and the seconds taken, with the bound on ties drawn
    (`ties`) and the per-pair bounds (`per_pair`) or without them."""
    saved = viz.EVIDENCE_PER_PAIR, viz.REASONS_PER_PAIR
    if not per_pair:
        viz.EVIDENCE_PER_PAIR = viz.REASONS_PER_PAIR = 10**9
    try:
        start = time.perf_counter()
        page = render_page(data, max_edges=viz.MAX_EDGES if ties else 10**9)
        return len(page.html.encode("utf-8")), page.edges, time.perf_counter() - start
    finally:
        viz.EVIDENCE_PER_PAIR, viz.REASONS_PER_PAIR = saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=list(DOCUMENTS))
    args = parser.parse_args(argv)
    print(f"| documents | ties in the network | ties drawn (max {viz.MAX_EDGES:,}) "
          "| page bytes | render s | page bytes, every tie (per-pair bounds only) | render s "
          "| page bytes, no bound | render s |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for documents in args.documents:
        data = synthetic_data(documents)
        shipped, drawn, shipped_s = page_bytes(data, ties=True, per_pair=True)
        every, _, every_s = page_bytes(data, ties=False, per_pair=True)
        unbounded, _, unbounded_s = page_bytes(data, ties=False, per_pair=False)
        print(
            f"| {documents:,} | {data.graph.number_of_edges():,} | {drawn:,} | {shipped:,} | "
            f"{shipped_s:.1f} | {every:,} | {every_s:.1f} | {unbounded:,} | "
            f"{unbounded_s:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
