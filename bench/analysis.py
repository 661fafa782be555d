"""Time the full actor analysis (`graph.analysis.score_actors`: six centralities + Louvain) on
seeded synthetic networks of 10^3, 10^4 and 10^5 ties, against igraph doing the same work.

    .venv/bin/python bench/analysis.py                 # 1e3, 1e4, 1e5 edges
    .venv/bin/python bench/analysis.py --sizes 1000 --repeat 3

The networks are power-law clusters (Holme-Kim: 4 ties per new actor, triangle probability
0.1), like alliance and supply networks with a few hubs, with seeded weights drawn from the
weights the projection produces (0.25, 0.5, 1, 2).

The reference (igraph, C) computes the same scores with the same weights, including the
NetworkX-to-igraph conversion. Ours computes betweenness and closeness with igraph, exactly,
up to 10^8 node × edge products, and beyond estimates both from a seeded sample of sources (500,
shrinking to 50 as the graph grows; graph/analysis.py), while the reference computes both
exactly at every size, so at 10^5 ties igraph does more work than we do. Prints a markdown
table.
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


# -- the heavy scores alone: betweenness and closeness, library by library ----------------------


def _igraph(graph: nx.Graph) -> tuple[Any, list[Any]]:
    import igraph as ig

    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])
    g.es["distance"] = [data["distance"] for _, _, data in graph.edges(data=True)]
    return g, nodes


def _rustworkx(graph: nx.Graph) -> tuple[Any, list[Any]]:
    import rustworkx as rx

    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    g = rx.PyGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(
        [(index[u], index[v], data["weight"]) for u, v, data in graph.edges(data=True)]
    )
    return g, nodes


def heavy_scores(
    graph: nx.Graph, exact_networkx: bool
) -> dict[str, tuple[float, dict[Any, float]]]:
    """(seconds, scores) per library and score, NetworkX's normalisation throughout. Exact
    NetworkX only when asked (it takes hours at 10^5 edges); what `graph.analysis` ships
    (igraph exact, or NetworkX's estimate from sampled sources computed by igraph above
    IGRAPH_EXACT_BUDGET node × edge products) always."""
    found: dict[str, tuple[float, dict[Any, float]]] = {}

    def timed(name: str, work: Callable[[], dict[Any, float]]) -> None:
        start = time.perf_counter()
        values = work()
        found[name] = (time.perf_counter() - start, values)
        print(f"  {name}: {found[name][0]:.2f} s", file=sys.stderr, flush=True)

    n = graph.number_of_nodes()
    big = n * graph.number_of_edges() > analysis.IGRAPH_EXACT_BUDGET
    k = analysis.sample_size(graph) if big else None
    timed(
        "betweenness shipped",
        lambda: (
            analysis.igraph_exact(graph)[0]
            if k is None
            else analysis.igraph_sampled_betweenness(graph, k)
        ),
    )
    timed(
        "closeness shipped",
        lambda: (
            analysis.igraph_exact(graph)[1] if k is None else analysis.sampled_closeness(graph, k)
        ),
    )
    if exact_networkx:
        timed(
            "betweenness networkx exact",
            lambda: nx.betweenness_centrality(graph, weight="distance"),
        )
        timed(
            "closeness networkx exact", lambda: nx.closeness_centrality(graph, distance="distance")
        )
    scale = 2.0 / ((n - 1) * (n - 2))

    def igraph_betweenness() -> dict[Any, float]:
        g, nodes = _igraph(graph)
        return {v: b * scale for v, b in zip(nodes, g.betweenness(weights="distance"), strict=True)}

    def igraph_closeness() -> dict[Any, float]:
        g, nodes = _igraph(graph)
        return dict(zip(nodes, g.closeness(weights="distance"), strict=True))

    def rustworkx_closeness() -> dict[Any, float]:
        import rustworkx as rx

        g, nodes = _rustworkx(graph)
        # Newman's weighted closeness: distance = 1 / weight, which is our `distance`.
        found = rx.newman_weighted_closeness_centrality(g, weight_fn=float)
        return {nodes[i]: found[i] for i in range(len(nodes))}

    def rustworkx_betweenness_unweighted() -> dict[Any, float]:
        import rustworkx as rx

        g, nodes = _rustworkx(graph)
        found = rx.betweenness_centrality(g, normalized=True)
        return {nodes[i]: found[i] for i in range(len(nodes))}

    timed("betweenness igraph exact", igraph_betweenness)
    timed("closeness igraph exact", igraph_closeness)
    timed("closeness rustworkx exact", rustworkx_closeness)
    timed("betweenness rustworkx exact, unweighted", rustworkx_betweenness_unweighted)
    return found


def max_difference(a: dict[Any, float], b: dict[Any, float]) -> float:
    return max(abs(a[node] - b[node]) for node in a)


def heavy_table(sizes: tuple[int, ...], exact_up_to: int) -> str:
    lines = [
        "| edges | nodes | score | implementation | s | max abs. difference from the reference |",
        "|---:|---:|---|---|---:|---:|",
    ]
    for edges in sizes:
        graph = synthetic_network(edges)
        print(f"{graph.number_of_edges()} edges", file=sys.stderr, flush=True)
        found = heavy_scores(graph, exact_networkx=edges <= exact_up_to)
        for score in ("betweenness", "closeness"):
            # The reference: exact NetworkX where it ran, else exact igraph.
            ref_name = f"{score} networkx exact"
            if ref_name not in found:
                ref_name = f"{score} igraph exact"
            reference = found[ref_name][1]
            for name, (seconds, values) in found.items():
                if not name.startswith(score):
                    continue
                diff = (
                    "reference" if name == ref_name else f"{max_difference(values, reference):.2g}"
                )
                lines.append(
                    f"| {graph.number_of_edges():,} | {graph.number_of_nodes():,} | {score} | "
                    f"{name.removeprefix(score + ' ')} | {seconds:.2f} | {diff} |"
                )
    return "\n".join(lines)


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
    parser.add_argument(
        "--heavy",
        action="store_true",
        help="betweenness and closeness alone: NetworkX, igraph and rustworkx side by side",
    )
    parser.add_argument(
        "--exact-up-to", type=int, default=10_000, help="exact NetworkX up to this many edges"
    )
    args = parser.parse_args(argv)
    if args.heavy:
        print(heavy_table(tuple(args.sizes), args.exact_up_to))
        return 0
    rows = run(tuple(args.sizes), args.repeat)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
