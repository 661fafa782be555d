"""Time the full actor analysis (`graph.analysis.score_actors`: six centralities + Louvain) on
seeded synthetic networks of 10^3, 10^4 and 10^5 ties, against igraph doing the same work.

    .venv/bin/python bench/analysis.py                 # 1e3, 1e4, 1e5 edges
    .venv/bin/python bench/analysis.py --sizes 1000 --repeat 3

The networks are power-law clusters (Holme-Kim: 4 ties per new actor, triangle probability
0.1), like alliance and supply networks with a few hubs, with seeded weights drawn from the
weights the projection produces (0.25, 0.5, 1, 2).

The reference (igraph, C) computes the same scores with the same weights, including the
NetworkX-to-igraph conversion. Above 2,000 actors ours estimates betweenness and closeness
from a seeded sample of sources (500, shrinking to 50 as the graph grows; graph/analysis.py),
while igraph computes both exactly at every size, so at 10^4 and 10^5 ties igraph does more
work than we do. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
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
KINDS = ("state", "organization", "company", "person")


@dataclass(frozen=True)
class Row:
    edges: int
    nodes: int
    networkx_s: float
    reference_s: float

    def markdown(self) -> str:
        ratio = self.networkx_s / self.reference_s if self.reference_s else float("inf")
        return (
            f"| {self.edges:,} | {self.nodes:,} | {self.networkx_s:.2f} | "
            f"{self.reference_s:.2f} | {ratio:.1f}× |"
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


def time_networkx(graph: nx.Graph, repeat: int) -> float:
    """Seconds for `score_actors`, best of `repeat`."""
    return best_of(repeat, lambda: analysis.score_actors(graph))


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


def run(sizes: tuple[int, ...], repeat: int) -> list[Row]:
    # The first call of each library pays for imports (scipy) and caches: not the analysis.
    warm = synthetic_network(200)
    time_networkx(warm, 1)
    time_igraph(warm, 1)
    rows = []
    for edges in sizes:
        graph = synthetic_network(edges)
        ours = time_networkx(graph, repeat)
        reference = time_igraph(graph, repeat)
        rows.append(Row(graph.number_of_edges(), graph.number_of_nodes(), ours, reference))
        print(rows[-1].markdown(), file=sys.stderr, flush=True)
    return rows


def table(rows: list[Row]) -> str:
    header = [
        "| edges | nodes | networkx (s) | igraph (s) | ratio |",
        "|---:|---:|---:|---:|---:|",
    ]
    return "\n".join(header + [row.markdown() for row in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    args = parser.parse_args(argv)
    rows = run(tuple(args.sizes), args.repeat)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
