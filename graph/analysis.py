"""Centrality and communities on the actor network, as pure functions of a NetworkX graph.

The network is a projection of the property graph (`cypher/analysis/projection.cypher`): one row
per reason two actors are tied. `edge_weight` turns a row into a weight and `build_graph` sums
them, so two actors tied by a bilateral treaty and a supply contract weigh 2.0.

Weights, and why:

* a direct tie (SUPPLIES, TRAINS, VISITED, ALLIED_WITH...): 1.0 — the text states it;
* a shared agreement with n parties: 1 / (n - 1) for each pair — a bilateral treaty (n = 2)
  counts 1.0, a 30-party convention spreads one unit of tie over each signatory's partners;
* membership of an organisation (member -> organisation): 0.5 — structural, not a deed;
* shared membership of an organisation with m members: 0.5 / (m - 1) for each pair — the
  organisation's weight spread over its members, so that NATO does not swamp a bilateral tie.

"As of" a year keeps only the rows whose ``since`` is that year or earlier (or unknown) and
whose ``until`` is later (or unknown): an agreement from its signature to its expiry, a
membership from joining to leaving. Without a year the network is the all-time one (every tie
the documents state, ended or not), so that the same documents give the same scores whatever
the date the analysis runs on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import catalogue
from graph.errors import TiesError
from graph.store import Runner, Store
from loaders.model import FACT_STATUSES
from loaders.ontology import ontology

SCORES = ("degree", "weighted_degree", "betweenness", "eigenvector", "pagerank", "closeness")
# Scores are kept to this many decimals, in memory as in the store, so that a page drawn from
# the stored scores (`ties viz`) is the page drawn from the computed ones (`ties reload`).
DIGITS = 6
SEED = 42
# Exact betweenness and closeness are O(n·m). Up to this many node×edge products igraph (C)
# computes both exactly, at any size: about 10× faster than NetworkX's pure-Python exact
# scores (bench/analysis.py --heavy: at 2,500 nodes and 10^4 edges 1.3 s against 41 s, equal
# within 1e-16; on the 693-actor network of 500 grown documents 5.9 s against 50.7 s on a
# loaded machine, BENCHMARKS.md). igraph's exact betweenness grows with n·m (256 s at 25,000
# nodes and 10^5 edges), so beyond about four times the 10^4-edge case both scores are
# estimated from a seeded sample of sources, stable from run to run: NetworkX's estimators,
# computed by igraph from the sampled sources alone. Each source costs one weighted
# shortest-path search (about 1 ms at 57,000 edges in C, 50× less than NetworkX's Python),
# so the sample is about SAMPLE_BUDGET edge visits: 500 sources, down to 50 on huge graphs.
IGRAPH_EXACT_BUDGET = 100_000_000
SAMPLE_MAX = 500
SAMPLE_MIN = 50
SAMPLE_BUDGET = 50_000_000
# An organisation with more members than this never ties its members pairwise: NATO (32) and
# the EU (27) still do, the UN (193), the OSCE (57) and the African Union (55) do not.
MAX_MEMBERS = 40


def prepare() -> None:
    """Import the libraries the scores use (about 0.75 s), for a caller with time to spare
    before it has a graph: a reload while its workers extract the new documents."""
    import igraph  # noqa: F401
    import scipy.sparse.linalg  # noqa: F401


def sample_size(graph: nx.Graph) -> int:
    """How many sources estimate betweenness and closeness on a large graph.

    >>> sample_size(nx.gnm_random_graph(3000, 9000, seed=1))
    500
    >>> sample_size(nx.gnm_random_graph(25000, 100000, seed=1))
    500
    >>> sample_size(nx.gnm_random_graph(100000, 2000000, seed=1))
    50
    """
    budget = SAMPLE_BUDGET // max(1, graph.number_of_edges())
    return max(SAMPLE_MIN, min(SAMPLE_MAX, budget, graph.number_of_nodes()))


@dataclass(frozen=True)
class ActorScores:
    id: str
    name: str
    kind: str
    degree: int
    weighted_degree: float
    betweenness: float
    eigenvector: float
    pagerank: float
    closeness: float
    community: int

    def as_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "degree": self.degree,
            "weighted_degree": round(self.weighted_degree, DIGITS),
            "betweenness": round(self.betweenness, DIGITS),
            "eigenvector": round(self.eigenvector, DIGITS),
            "pagerank": round(self.pagerank, DIGITS),
            "closeness": round(self.closeness, DIGITS),
            "community": self.community,
        }


def edge_weight(via: str, size: int | None) -> float:
    """The weight of one projection row.

    >>> edge_weight("agreement", 2)
    1.0
    >>> edge_weight("agreement", 5)
    0.25
    >>> edge_weight("membership", 2)
    0.5
    >>> edge_weight("co-membership", 3)
    0.25
    >>> edge_weight("SUPPLIES", 2)
    1.0
    """
    n = max(int(size or 2), 2)
    if via == "agreement":
        return 1.0 / (n - 1)
    if via == "membership":
        return 0.5
    if via == "co-membership":
        return 0.5 / (n - 1)
    facts = ontology().facts
    return facts[via].weight if via in facts else 1.0


def holds_in(row: Mapping[str, Any], year: int | None) -> bool:
    """Whether a projection row holds in `year` (None: always).

    A fact holds from its own date (``since``) until its end date (``until``, excluded). An
    undated fact holds in no particular year, so it is left out of every dated network (and
    counted: see `undated`).

    >>> holds_in({"since": 1994, "until": 2004}, 2000)
    True
    >>> holds_in({"since": 1994, "until": 2004}, 2004)
    False
    >>> holds_in({"since": None, "until": None}, 1950)
    False
    >>> holds_in({"since": None, "until": None}, None)
    True
    """
    if year is None:
        return True
    since, until = row.get("since"), row.get("until")
    return since is not None and int(since) <= year and (until is None or int(until) > year)


def undated(rows: Iterable[Mapping[str, Any]]) -> int:
    """How many projection rows (facts) carry no date of their own.

    >>> undated([{"since": None}, {"since": 1994}, {}])
    2
    """
    return sum(1 for row in rows if row.get("since") is None)


def build_graph(
    actors: Iterable[Mapping[str, Any]],
    rows: Iterable[Mapping[str, Any]],
    as_of: int | None = None,
) -> nx.Graph:
    """An undirected weighted graph of actors; each edge keeps the reasons (`via`) it exists,
    its tie types (`types`), its evidence count (`evidence`), whether any of its reasons is
    stated in a document (`stated`, else inferred) and the statuses of its facts.

    With `as_of`, only the rows that hold in that year count (`holds_in`); the graph attribute
    ``undated_left_out`` says how many undated facts were left out.

    >>> g = build_graph(
    ...     [{"id": "KZ", "name": "Kazakhstan", "kind": "state"},
    ...      {"id": "RU", "name": "Russia", "kind": "state"}],
    ...     [{"source": "KZ", "target": "RU", "via": "agreement", "through": "t1",
    ...       "label": "Treaty", "since": 1992, "until": None, "size": 2, "evidence": 1,
    ...       "stated": True},
    ...      {"source": "RU", "target": "KZ", "via": "SUPPLIES", "through": "SUPPLIES",
    ...       "label": "SUPPLIES", "since": None, "until": None, "size": 2, "evidence": 2,
    ...       "stated": True}])
    >>> g["KZ"]["RU"]["weight"], g["KZ"]["RU"]["types"], g["KZ"]["RU"]["evidence"]
    (2.0, ['SUPPLIES', 'agreement'], 3)
    """
    graph = nx.Graph()
    for actor in sorted(actors, key=lambda a: a["id"]):
        graph.add_node(actor["id"], name=actor.get("name") or actor["id"], kind=actor.get("kind"))
    rows = sorted(rows, key=_row_key)
    graph.graph["undated_left_out"] = undated(rows) if as_of is not None else 0
    # Each pair's attributes are gathered in a plain dict (first seen, first added: the same
    # adjacency order as adding edge by edge) and handed to NetworkX once: 300,000 rows at
    # 5,000 documents, where looking each edge up in the graph took most of the time.
    pairs: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in rows:
        if as_of is not None and not holds_in(row, as_of):
            continue
        source, target = row["source"], row["target"]
        if source == target or source not in graph or target not in graph:
            continue
        data = pairs.get((source, target)) or pairs.get((target, source))
        if data is None:
            data = pairs[source, target] = {
                "weight": 0.0, "via": [], "through": [], "since": None, "evidence": 0,
                "stated": False, "statuses": set(),
            }  # fmt: skip
        _add_row(data, row)
    for data in pairs.values():
        data["statuses"] = sorted(data["statuses"])
        data["distance"] = 1.0 / data["weight"]
        data["types"] = sorted(set(data["via"]))
    graph.add_edges_from((source, target, data) for (source, target), data in pairs.items())
    return graph


def _add_row(data: dict[str, Any], row: Mapping[str, Any]) -> None:
    via = row["via"]
    data["weight"] += edge_weight(via, row.get("size"))
    data["via"].append(via)
    data["through"].append(row.get("label") or row.get("through"))
    data["evidence"] += int(row.get("evidence") or 0)
    data["stated"] = data["stated"] or bool(row.get("stated"))
    status = row.get("status")
    if status:
        data["statuses"].add(status)
    since = row.get("since")
    if since is not None and (data["since"] is None or since < data["since"]):
        data["since"] = since


def _row_key(row: Mapping[str, Any]) -> tuple[str, str, str, str]:
    get = row.get
    return str(get("source")), str(get("target")), str(get("via")), str(get("through"))


def centrality(graph: nx.Graph) -> dict[str, dict[str, float]]:
    """Every score of `SCORES` for every node.

    >>> g = nx.path_graph(3)
    >>> nx.set_edge_attributes(g, 1.0, "weight"); nx.set_edge_attributes(g, 1.0, "distance")
    >>> scores = centrality(g)
    >>> scores[1]["degree"], scores[1]["betweenness"]
    (2, 1.0)
    """
    if graph.number_of_nodes() == 0:
        return {}
    betweenness, closeness = _heavy_scores(graph)
    pagerank = nx.pagerank(graph, weight="weight")
    eigenvector = _eigenvector(graph)
    return {
        node: {
            "degree": graph.degree(node),
            "weighted_degree": float(graph.degree(node, weight="weight")),
            "betweenness": betweenness[node],
            "eigenvector": eigenvector[node],
            "pagerank": pagerank[node],
            "closeness": closeness[node],
        }
        for node in graph.nodes
    }


def _heavy_scores(graph: nx.Graph) -> tuple[dict[Any, float], dict[Any, float]]:
    """Betweenness and closeness by igraph: exact up to `IGRAPH_EXACT_BUDGET`, estimated from
    a seeded sample of sources beyond."""
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    if nodes * edges <= IGRAPH_EXACT_BUDGET:
        return igraph_exact(graph)
    k = sample_size(graph)
    return igraph_sampled_betweenness(graph, k), sampled_closeness(graph, k)


def _to_igraph(graph: nx.Graph) -> tuple[Any, list[Any], list[float]]:
    """The graph as igraph sees it: the igraph graph, its nodes in order, its edge distances."""
    import igraph

    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])
    distances = [float(data["distance"]) for _, _, data in graph.edges(data=True)]
    return g, nodes, distances


def force_layout(graph: nx.Graph, scale: float) -> dict[Any, tuple[float, float]]:
    """Fruchterman-Reingold positions (edge weights pull harder) computed by igraph in C, from
    a seeded start: NetworkX's `spring_layout` took about 2 s for the page's 500 actors, most
    of an add-one reload's page. Centred on the origin, the farthest coordinate at ``scale``
    (as `nx.rescale_layout`). igraph draws from its random generator only to separate two
    nodes at the same place; it is given a seeded one for the call, so the result is the same
    on every run.

    >>> pos = force_layout(nx.path_graph(3), 10.0)
    >>> max(abs(c) for xy in pos.values() for c in xy)
    10.0
    >>> pos == force_layout(nx.path_graph(3), 10.0)
    True
    """
    import random

    import igraph

    nodes = list(graph.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])
    weights = _pulls([float(data.get("weight", 1.0)) for _, _, data in graph.edges(data=True)])
    start = random.Random(SEED)
    seed = [[start.uniform(-1.0, 1.0), start.uniform(-1.0, 1.0)] for _ in nodes]
    igraph.set_random_number_generator(random.Random(SEED))
    try:
        found = g.layout_fruchterman_reingold(weights=weights or None, seed=seed, grid=False)
    finally:
        igraph.set_random_number_generator(random)
    coords = found.coords
    centre = [sum(xy[d] for xy in coords) / len(coords) for d in (0, 1)]
    shifted = [(x - centre[0], y - centre[1]) for x, y in coords]
    reach = max((abs(c) for xy in shifted for c in xy), default=0.0)
    factor = scale / reach if reach > 0 else 0.0
    return {node: (x * factor, y * factor) for node, (x, y) in zip(nodes, shifted, strict=True)}


def _pulls(weights: list[float]) -> list[float]:
    """Layout weights igraph accepts (positive): a tie of weight 0 (one the texts only plan or
    report, drawn dotted) pulls as weakly as the weakest weighted tie, or 1 if none is weighted;
    igraph refuses the whole layout otherwise.

    >>> _pulls([2.0, 0.0, 0.5]), _pulls([0.0, 0.0])
    ([2.0, 0.5, 0.5], [1.0, 1.0])
    """
    weakest = min((w for w in weights if w > 0), default=1.0)
    return [w if w > 0 else weakest for w in weights]


def igraph_exact(graph: nx.Graph) -> tuple[dict[Any, float], dict[Any, float]]:
    """Exact betweenness and closeness by igraph, scaled as NetworkX scales them (normalised
    betweenness; closeness times the Wasserman-Faust share of the graph a node reaches).

    >>> g = nx.lollipop_graph(4, 3); g.add_node("alone")
    >>> nx.set_edge_attributes(g, 0.5, "distance")
    >>> b, c = igraph_exact(g)
    >>> nb = nx.betweenness_centrality(g, weight="distance")
    >>> nc = nx.closeness_centrality(g, distance="distance")
    >>> max(abs(b[v] - nb[v]) for v in g) < 1e-12, max(abs(c[v] - nc[v]) for v in g) < 1e-12
    (True, True)
    """
    g, nodes, distances = _to_igraph(graph)
    n = len(nodes)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    raw_betweenness = g.betweenness(weights=distances) if distances else [0.0] * n
    raw_closeness = g.closeness(weights=distances) if distances else [0.0] * n
    reach = {i: len(c) for c in g.connected_components() for i in c}
    betweenness, closeness = {}, {}
    for i, node in enumerate(nodes):
        betweenness[node] = raw_betweenness[i] * scale
        value = raw_closeness[i]
        if value != value or n < 2:  # NaN: an isolate
            closeness[node] = 0.0
        else:
            closeness[node] = value * (reach[i] - 1) / (n - 1)
    return betweenness, closeness


def igraph_sampled_betweenness(graph: nx.Graph, k: int) -> dict[Any, float]:
    """NetworkX's sampled betweenness (`betweenness_centrality(k=k, seed=SEED)`: the same
    seeded sources, the same rescaling) computed by igraph from those sources alone, in C.

    >>> g = nx.connected_watts_strogatz_graph(60, 4, 0.3, seed=1)
    >>> nx.set_edge_attributes(g, 0.5, "distance")
    >>> ours = igraph_sampled_betweenness(g, 10)
    >>> theirs = nx.betweenness_centrality(g, k=10, weight="distance", seed=SEED)
    >>> max(abs(ours[v] - theirs[v]) for v in g) < 1e-12
    True
    """
    import random

    g, nodes, distances = _to_igraph(graph)
    n = len(nodes)
    if k >= n or n < 3:
        return igraph_exact(graph)[0]
    sources = random.Random(SEED).sample(nodes, k)
    index = {node: i for i, node in enumerate(nodes)}
    raw = g.betweenness(weights=distances or None, sources=[index[s] for s in sources])
    # igraph counts each unordered pair once, NetworkX each ordered pair from a source; a
    # source cannot lie on its own paths, so it is averaged over the other k - 1 sources.
    sampled = set(sources)
    return {
        node: 2.0 * raw[i] / ((k - 1 if node in sampled else k) * (n - 2))
        for i, node in enumerate(nodes)
    }


def sampled_closeness(graph: nx.Graph, pivots: int) -> dict[Any, float]:
    """Closeness estimated from `pivots` seeded sources (Eppstein and Wang's estimator).

    Exact closeness needs a shortest-path search from every node; on large graphs the average
    distance of a node to a seeded sample of pivots estimates it within a small error, with the
    same Wasserman-Faust scaling for disconnected graphs that networkx applies. The distances
    from the pivots are igraph's (C).

    >>> g = nx.path_graph(5)
    >>> nx.set_edge_attributes(g, 1.0, "distance")
    >>> round(sampled_closeness(g, 5)[2], 3) == round(nx.closeness_centrality(g)[2], 3)
    True
    """
    import random

    g, order, distances = _to_igraph(graph)
    nodes = sorted(order, key=str)
    sample = random.Random(SEED).sample(nodes, min(pivots, len(nodes)))
    index = {node: i for i, node in enumerate(order)}
    rows = g.distances(source=[index[p] for p in sample], weights=distances or None)
    total: dict[Any, float] = dict.fromkeys(nodes, 0.0)
    seen: dict[Any, int] = dict.fromkeys(nodes, 0)
    for pivot, row in zip(sample, rows, strict=True):
        for i, distance in enumerate(row):
            node = order[i]
            if node != pivot and distance != math.inf:
                total[node] += distance
                seen[node] += 1
    n = len(nodes)
    in_sample = set(sample)
    scores: dict[Any, float] = {}
    for node in nodes:
        if not seen[node] or not total[node]:
            scores[node] = 0.0
            continue
        others = len(sample) - (node in in_sample)
        reach = 1 + (n - 1) * seen[node] / others  # estimated size of the node's component
        average = total[node] / seen[node]
        scores[node] = (1.0 / average) * ((reach - 1) / (n - 1))
    return scores


def _eigenvector(graph: nx.Graph) -> dict[Any, float]:
    """Eigenvector centrality per connected component, so isolates and small islands get a
    defined score instead of a convergence failure."""
    scores: dict[Any, float] = {}
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        if sub.number_of_nodes() < 3:
            scores.update({node: 0.0 for node in sub})
            continue
        try:
            found = _principal_eigenvector(sub)
        except (nx.NetworkXException, ValueError, ArithmeticError, RuntimeError):
            found = {node: 0.0 for node in sub}
        share = sub.number_of_nodes() / graph.number_of_nodes()
        scores.update({node: abs(value) * share for node, value in found.items()})
    return scores


# Up to this many actors a component's eigenvector is computed densely (exact, a few seconds
# at most); above it, by ARPACK from a fixed start.
DENSE_EIGEN_LIMIT = 1500


def _principal_eigenvector(graph: nx.Graph) -> dict[Any, float]:
    """The principal eigenvector of the weighted adjacency, unit length and positive.

    Not ``nx.eigenvector_centrality_numpy``: ARPACK starts it from a random vector of its own,
    whose seed advances with every call in the process, so a score could depend on what ran
    before, and at times it did not converge at all (ArpackNoConvergence, seen on a 202-actor
    page). A dense solve, or ARPACK from a fixed start, gives the same vector every time."""
    import numpy as np
    from scipy.sparse.linalg import eigsh

    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", dtype=float)
    if len(nodes) <= DENSE_EIGEN_LIMIT:
        _, vectors = np.linalg.eigh(matrix.toarray())
        vector = vectors[:, -1]
    else:
        start = np.full(len(nodes), 1.0 / math.sqrt(len(nodes)))
        _, vectors = eigsh(matrix, k=1, which="LA", v0=start, maxiter=100 * len(nodes))
        vector = vectors[:, 0]
    norm = math.copysign(float(np.linalg.norm(vector)), float(vector.sum()))
    return {node: float(value) / norm for node, value in zip(nodes, vector, strict=True)}


def communities(graph: nx.Graph) -> dict[str, int]:
    """Louvain communities, seeded; numbered by size then by smallest member, so stable.

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> sorted(set(communities(g).values()))
    [0, 1]
    """
    if graph.number_of_nodes() == 0:
        return {}
    ordered = sorted(_louvain(graph), key=lambda members: (-len(members), min(map(str, members))))
    return {node: index for index, members in enumerate(ordered) for node in members}


def _louvain(graph: nx.Graph) -> list[set[Any]]:
    """Louvain communities (weighted modularity, resolution 1), computed by igraph in C:
    NetworkX's took 0.6 s of the 2.3 s of scores at 5,000 documents. igraph visits the nodes
    in an order drawn from its random generator, given a seeded one for the call, so the
    partition is the same on every run."""
    import random

    import igraph

    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])
    weights = _pulls([float(data.get("weight", 1.0)) for _, _, data in graph.edges(data=True)])
    igraph.set_random_number_generator(random.Random(SEED))
    try:
        found = g.community_multilevel(weights=weights or None)
    finally:
        igraph.set_random_number_generator(random)
    return [{nodes[i] for i in members} for members in found]


def ego_network(graph: nx.Graph, actor: str, radius: int = 1) -> nx.Graph:
    """The actor, its neighbours within `radius` steps, and the ties among them.

    >>> sorted(ego_network(nx.path_graph(5), 0, radius=2).nodes)
    [0, 1, 2]
    """
    return nx.ego_graph(graph, actor, radius=radius)


def score_actors(graph: nx.Graph) -> list[ActorScores]:
    """All scores, ranked by PageRank then id (a total order, so output is stable)."""
    scores = centrality(graph)
    groups = communities(graph)
    return _ranked(
        graph,
        {node: {**values, "community": groups.get(node, -1)} for node, values in scores.items()},
    )


def stored_scores(graph: nx.Graph, actors: Iterable[Mapping[str, Any]]) -> list[ActorScores] | None:
    """The scores stored on the actors (`analysis/actors`), ranked as `score_actors` ranks them,
    when every actor of `graph` has them all; None otherwise (a reload with --no-analysis, a
    graph edited since): then they must be computed."""
    found = {row["id"]: row for row in actors}
    keys = (*SCORES, "community")
    values = {}
    for node in graph.nodes:
        row = found.get(node)
        if row is None or any(row.get(key) is None for key in keys):
            return None
        values[node] = {key: row[key] for key in keys}
    return _ranked(graph, values)


def _ranked(graph: nx.Graph, values: Mapping[Any, Mapping[str, Any]]) -> list[ActorScores]:
    """ActorScores of each node, DIGITS decimals, ranked by PageRank then id (a total order)."""
    result = [
        ActorScores(
            id=node,
            name=graph.nodes[node].get("name", node),
            kind=graph.nodes[node].get("kind") or "",
            community=int(found["community"]),
            degree=int(found["degree"]),
            weighted_degree=round(float(found["weighted_degree"]), DIGITS),
            betweenness=round(float(found["betweenness"]), DIGITS),
            eigenvector=round(float(found["eigenvector"]), DIGITS),
            pagerank=round(float(found["pagerank"]), DIGITS),
            closeness=round(float(found["closeness"]), DIGITS),
        )
        for node, found in values.items()
    ]
    return sorted(result, key=lambda s: (-s.pagerank, s.id))


# -- store side ---------------------------------------------------------------------------------


def direct_tie_types() -> list[str]:
    """The relationship types that tie two actors directly (data/ontology.yaml: network)."""
    return sorted(ontology().names(network=True))


def read_projection(
    store: Store, reference: bool = False, max_members: int = MAX_MEMBERS
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The actors and the projection rows (one per reason two actors are tied) of the store.

    By default only facts read in documents tie actors; `reference` adds the memberships and
    PART_OF ties that come from reference data. An organisation of more than `max_members`
    members never ties its members pairwise.
    """
    return _projection(
        lambda cypher, params=None: store.run(cypher, params), reference, max_members
    )


def _projection(
    run: Runner, reference: bool = False, max_members: int = MAX_MEMBERS
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    actors = run(catalogue.get("analysis/actors").cypher, None)
    params = {
        "tie_types": direct_tie_types(),
        "hedged": list(FACT_STATUSES),
        "reference": reference,
        "max_members": max_members,
    }
    rows = pair_rows(run(catalogue.get("analysis/projection").cypher, params))
    return actors, rows


def pair_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The projection's rows, one per pair: an agreement comes from the store once with its
    parties (`members`) and ties every pair of them (source < target, as the query orders the
    other symmetric reasons); the other rows are kept as they are, without `members`.

    >>> [(r["source"], r["target"], r["through"]) for r in pair_rows([
    ...     {"source": None, "target": None, "members": ["RU", "KZ", "AM"], "through": "t"},
    ...     {"source": "KZ", "target": "csto", "members": None, "through": "csto"}])]
    [('AM', 'KZ', 't'), ('AM', 'RU', 't'), ('KZ', 'RU', 't'), ('KZ', 'csto', 'csto')]
    """
    out: list[dict[str, Any]] = []
    for row in rows:
        members = row.get("members")
        rest = {k: v for k, v in row.items() if k not in ("source", "target", "members")}
        if members is None:
            out.append({"source": row["source"], "target": row["target"], **rest})
            continue
        ids = sorted({str(m) for m in members})
        out.extend(
            {"source": a, "target": b, **rest} for i, a in enumerate(ids) for b in ids[i + 1 :]
        )
    return out


@dataclass(frozen=True)
class Projected:
    """The present-day network of a graph, its projection rows and its scores."""

    graph: nx.Graph
    rows: list[dict[str, Any]]
    scored: list[ActorScores]


def project_and_score(run: Runner, *, write: bool = True) -> Projected:
    """Score the present-day network and (with `write`) write the scores, through `run`: inside
    a reload, on the new graph before the switch (`Store.replace_graph(finish=...)`), so the
    graph and its scores are replaced together. One projection query (the same Cypher file as
    everywhere, with its defaults: stated facts only) serves the scores and the page.

    The three steps (`read_new_projection`, `score_projection`, `write_scores`) are also called
    apart by a reload (`graph.store.Staged`): only the first and last need the store."""
    projected = score_projection(*read_new_projection(run))
    if write:
        write_scores(run, projected.scored)
    return projected


def read_new_projection(run: Runner) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The actors and projection rows of the graph `run` reads (defaults: stated facts only)."""
    return _projection(run)


def score_projection(actors: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Projected:
    """The present-day network of these projection rows and its scores; no store."""
    graph = build_graph(actors, rows)
    return Projected(graph, rows, score_actors(graph))


def write_scores(run: Runner, scored: list[ActorScores]) -> None:
    """Write the scores onto the actors of the graph `run` writes to."""
    run(catalogue.get("analysis/write_scores").cypher, {"rows": [s.as_row() for s in scored]})


def score_new_graph(run: Runner) -> list[ActorScores]:
    """`project_and_score`, for callers that only want the scores."""
    return project_and_score(run).scored


def read_network(
    store: Store,
    as_of: int | None = None,
    reference: bool = False,
    max_members: int = MAX_MEMBERS,
) -> nx.Graph:
    """The actor network as the store holds it now."""
    actors, rows = read_projection(store, reference, max_members)
    return build_graph(actors, rows, as_of=as_of)


@dataclass(frozen=True)
class Analysis:
    """Scores of a network, and what the network held."""

    scores: list[ActorScores]
    actors: int
    ties: int
    undated_left_out: int


def analyze(
    store: Store,
    as_of: int | None = None,
    write: bool = True,
    ego: str | None = None,
    radius: int = 1,
    reference: bool = False,
    max_members: int = MAX_MEMBERS,
) -> list[ActorScores]:
    """Read the network, score it and (for the whole present-day graph) write scores onto nodes.

    With `ego` (an actor id), only that actor's neighbourhood within `radius` steps is scored,
    and nothing is written.
    """
    return analyze_network(store, as_of, write, ego, radius, reference, max_members).scores


def analyze_network(
    store: Store,
    as_of: int | None = None,
    write: bool = True,
    ego: str | None = None,
    radius: int = 1,
    reference: bool = False,
    max_members: int = MAX_MEMBERS,
) -> Analysis:
    """`analyze`, with the network's size and the undated facts an `as_of` year left out."""
    graph = read_network(store, as_of, reference, max_members)
    if ego is not None:
        if ego not in graph:
            raise TiesError(f"no actor {ego!r} in the network")
        graph = ego_network(graph, ego, radius)
    scored = score_actors(graph)
    default = not reference and max_members == MAX_MEMBERS
    if write and as_of is None and ego is None and default:
        rows = [s.as_row() for s in scored]
        store.run(catalogue.get("analysis/write_scores").cypher, {"rows": rows}, write=True)
    return Analysis(
        scores=scored,
        actors=graph.number_of_nodes(),
        ties=graph.number_of_edges(),
        undated_left_out=int(graph.graph.get("undated_left_out", 0)),
    )
