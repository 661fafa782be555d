"""Time the full actor analysis (`graph.analysis.score_actors`: six centralities + Louvain) on
seeded synthetic networks of 10^3, 10^4 and 10^5 ties, against igraph doing the same work.

    .venv/bin/python bench/analysis.py                 # 1e3, 1e4, 1e5 edges
    .venv/bin/python bench/analysis.py --sizes 1000 --repeat 3
    .venv/bin/python bench/analysis.py --full          # no estimate, however long it takes

The networks are power-law clusters (Holme-Kim: 4 ties per new actor, triangle probability
0.1), like alliance and supply networks with a few hubs, with seeded weights drawn from the
weights the projection produces (0.25, 0.5, 1, 2). Above `ESTIMATE_ABOVE` actors, NetworkX's
exact closeness (one Dijkstra per actor) would take tens of minutes, so unless ``--full`` it is
timed on a seeded sample of `CLOSENESS_SAMPLE` sources and scaled to all of them; the table
marks such totals with ``≈``.

The reference (igraph, C) computes the same scores with the same weights, including the
NetworkX-to-igraph conversion; its betweenness is exact at every size where ours samples 500
sources above 2,000 actors, so at 10^4 and 10^5 ties it does more work than we do.
Prints a markdown table; the lead copies it into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import analysis

SIZES = (1_000, 10_000, 100_000)
TIES_PER_ACTOR = 4
TRIANGLE_PROBABILITY = 0.1
WEIGHTS = (0.25, 0.5, 1.0, 2.0)
ESTIMATE_ABOVE = 10_000
CLOSENESS_SAMPLE = 200
KINDS = ("state", "organization", "company", "person")


@dataclass(frozen=True)
class Row:
    edges: int
    nodes: int
    networkx_s: float
    reference_s: float
    closeness_estimate_s: float | None = None

    @property
    def estimated(self) -> bool:
        return self.closeness_estimate_s is not None

    def markdown(self) -> str:
        mark = "≈ " if self.estimated else ""
        ratio = self.networkx_s / self.reference_s if self.reference_s else float("inf")
        return (
            f"| {self.edges:,} | {self.nodes:,} | {mark}{self.networkx_s:.2f} | "
            f"{self.reference_s:.2f} | {mark}{ratio:.1f}× |"
        )


def synthetic_network(edges: int, seed: int = analysis.SEED) -> nx.Graph:
    """A seeded power-law cluster network with about `edges` weighted ties.

    >>> g = synthetic_network(1000)
    >>> g.number_of_nodes(), 950 < g.number_of_edges() <= 1000
    (250, True)
    """
    graph = nx.powerlaw_cluster_graph(
        max(edges // TIES_PER_ACTOR, TIES_PER_ACTOR + 1),
        TIES_PER_ACTOR,
        TRIANGLE_PROBABILITY,
        seed=seed,
    )
    rng = random.Random(seed)
    for node in graph.nodes:
        graph.nodes[node].update(name=f"Actor {node}", kind=rng.choice(KINDS))
    for _, _, data in graph.edges(data=True):
        data["weight"] = rng.choice(WEIGHTS)
        data["distance"] = 1.0 / data["weight"]
    return graph


def best_of(repeat: int, work: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


@contextlib.contextmanager
def sampled_closeness(graph: nx.Graph, sample: int, seed: int) -> Iterator[list[float]]:
    """Within the block, NetworkX's closeness is timed on `sample` sources and the time scaled
    to every node (and returns zeros); the estimated seconds are appended to the yielded list."""
    original = nx.closeness_centrality
    estimate: list[float] = []

    def estimated(g: nx.Graph, distance: str | None = None, **_: Any) -> dict[Any, float]:
        sources = random.Random(seed).sample(sorted(g.nodes), min(sample, g.number_of_nodes()))
        start = time.perf_counter()
        for source in sources:
            nx.single_source_dijkstra_path_length(g, source, weight=distance)
        estimate.append((time.perf_counter() - start) * g.number_of_nodes() / len(sources))
        return dict.fromkeys(g.nodes, 0.0)

    nx.closeness_centrality = estimated
    try:
        yield estimate
    finally:
        nx.closeness_centrality = original


def time_networkx(graph: nx.Graph, repeat: int, full: bool) -> tuple[float, float | None]:
    """Seconds for `score_actors`, and of those the estimated closeness seconds (or None)."""
    if full or graph.number_of_nodes() <= ESTIMATE_ABOVE:
        return best_of(repeat, lambda: analysis.score_actors(graph)), None
    with sampled_closeness(graph, CLOSENESS_SAMPLE, analysis.SEED) as estimate:
        measured = best_of(1, lambda: analysis.score_actors(graph))
    return measured + estimate[0], estimate[0]


def time_igraph(graph: nx.Graph, repeat: int) -> float:
    import igraph as ig

    def work() -> None:
        index = {node: i for i, node in enumerate(graph.nodes)}
        edges = [(index[u], index[v]) for u, v in graph.edges]
        g = ig.Graph(n=len(index), edges=edges)
        g.es["weight"] = [data["weight"] for _, _, data in graph.edges(data=True)]
        g.es["distance"] = [data["distance"] for _, _, data in graph.edges(data=True)]
        g.degree()
        g.strength(weights="weight")
        g.betweenness(weights="distance")
        g.pagerank(weights="weight")
        g.closeness(weights="distance")
        g.eigenvector_centrality(weights="weight")
        g.community_multilevel(weights="weight")

    return best_of(repeat, work)


def run(sizes: tuple[int, ...], repeat: int, full: bool) -> list[Row]:
    # The first call of each library pays for imports (scipy) and caches: not the analysis.
    warm = synthetic_network(200)
    time_networkx(warm, 1, full)
    time_igraph(warm, 1)
    rows = []
    for edges in sizes:
        graph = synthetic_network(edges)
        ours, closeness = time_networkx(graph, repeat, full)
        reference = time_igraph(graph, repeat)
        rows.append(
            Row(graph.number_of_edges(), graph.number_of_nodes(), ours, reference, closeness)
        )
        print(rows[-1].markdown(), file=sys.stderr, flush=True)
    return rows


def table(rows: list[Row]) -> str:
    header = [
        "| edges | nodes | networkx (s) | igraph (s) | ratio |",
        "|---:|---:|---:|---:|---:|",
    ]
    notes = [
        f"\n≈ {row.edges:,} edges: NetworkX closeness estimated from {CLOSENESS_SAMPLE} sources "
        f"at {row.closeness_estimate_s:.0f} s of the {row.networkx_s:.0f} s."
        for row in rows
        if row.closeness_estimate_s is not None
    ]
    return "\n".join(header + [row.markdown() for row in rows] + notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    parser.add_argument("--full", action="store_true", help="never estimate closeness")
    args = parser.parse_args(argv)
    rows = run(tuple(args.sizes), args.repeat, args.full)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
