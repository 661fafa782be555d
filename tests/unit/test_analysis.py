"""Analysis as pure functions of tiny graphs with known answers."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis import (
    build_graph,
    centrality,
    communities,
    edge_weight,
    sampled_closeness,
    score_actors,
)

ACTORS = [{"id": x, "name": x, "kind": "state"} for x in ("A", "B", "C", "D")]


def row(source: str, target: str, via: str, since=None, until=None, size=2) -> dict:
    return {
        "source": source,
        "target": target,
        "via": via,
        "through": via,
        "label": via,
        "since": since,
        "until": until,
        "size": size,
    }


def test_weights_sum_over_reasons() -> None:
    g = build_graph(ACTORS, [row("A", "B", "agreement"), row("A", "B", "SUPPLIES")])
    assert g["A"]["B"]["weight"] == 2.0
    assert g["A"]["B"]["distance"] == 0.5
    assert g["A"]["B"]["via"] == ["SUPPLIES", "agreement"]


def test_multilateral_agreement_is_spread_over_its_parties() -> None:
    assert edge_weight("agreement", 4) == pytest.approx(1 / 3)
    assert edge_weight("co-membership", 11) == pytest.approx(0.05)


def test_as_of_follows_joining_and_leaving_and_leaves_undated_facts_out() -> None:
    rows = [
        row("A", "B", "membership", since=1995, until=2010),
        row("A", "C", "agreement", since=2001),
        row("B", "C", "agreement"),
    ]
    edges = lambda year: sorted(build_graph(ACTORS, rows, as_of=year).edges)  # noqa: E731
    assert edges(1994) == []
    assert edges(2005) == [("A", "B"), ("A", "C")]
    assert edges(2010) == [("A", "C")]
    assert edges(None) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert build_graph(ACTORS, rows, as_of=2005).graph["undated_left_out"] == 1
    assert build_graph(ACTORS, rows).graph["undated_left_out"] == 0


def test_star_centrality_known_answers() -> None:
    g = build_graph(ACTORS, [row("A", x, "agreement") for x in ("B", "C", "D")])
    scores = centrality(g)
    assert scores["A"]["degree"] == 3
    assert scores["A"]["betweenness"] == pytest.approx(1.0)
    assert scores["B"]["betweenness"] == pytest.approx(0.0)
    assert scores["A"]["closeness"] == pytest.approx(1.0)
    assert scores["B"]["closeness"] == pytest.approx(3 / 5)
    assert sum(s["pagerank"] for s in scores.values()) == pytest.approx(1.0)
    assert (
        scores["A"]["pagerank"] > scores["B"]["pagerank"] == pytest.approx(scores["C"]["pagerank"])
    )


def test_communities_are_stable_and_numbered_by_size() -> None:
    g = nx.Graph([(1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (5, 6), (4, 6), (6, 7), (5, 7)])
    nx.set_edge_attributes(g, 1.0, "weight")
    first = communities(g)
    assert first == communities(g)
    assert first[4] == 0 and first[1] == 1  # the larger community is numbered first


def test_sampled_closeness_is_close_to_exact() -> None:
    g = nx.connected_watts_strogatz_graph(400, 6, 0.2, seed=3)
    nx.set_edge_attributes(g, 1.0, "distance")
    exact = nx.closeness_centrality(g, distance="distance")
    estimate = sampled_closeness(g, 100)
    errors = [abs(estimate[n] - exact[n]) / exact[n] for n in g]
    assert sum(errors) / len(errors) < 0.05


def test_scores_are_ranked_by_pagerank_then_id() -> None:
    g = build_graph(ACTORS, [row("A", "B", "agreement"), row("C", "D", "agreement")])
    assert [s.id for s in score_actors(g)] == ["A", "B", "C", "D"]


def test_graphs_within_the_budget_get_exact_scores_from_igraph() -> None:
    """Within IGRAPH_EXACT_BUDGET (node × edge products), whatever the size, betweenness and
    closeness are igraph's exact values, equal to NetworkX exact (disconnected graph, an
    isolate, weighted distances)."""
    from graph import analysis

    g = nx.disjoint_union(nx.barbell_graph(6, 3), nx.path_graph(4))
    g.add_node("alone")
    for index, (_, _, data) in enumerate(g.edges(data=True)):
        data["weight"] = (0.5, 1.0, 2.0)[index % 3]
        data["distance"] = 1.0 / data["weight"]
    scores = analysis.centrality(g)
    igraph_b, igraph_c = analysis.igraph_exact(g)
    assert {n: s["betweenness"] for n, s in scores.items()} == igraph_b
    assert {n: s["closeness"] for n, s in scores.items()} == igraph_c
    exact_b = nx.betweenness_centrality(g, weight="distance")
    exact_c = nx.closeness_centrality(g, distance="distance")
    for node in g:
        assert scores[node]["betweenness"] == pytest.approx(exact_b[node], abs=1e-12)
        assert scores[node]["closeness"] == pytest.approx(exact_c[node], abs=1e-12)


def test_sampled_betweenness_is_networkx_sampled_betweenness_computed_by_igraph() -> None:
    """Beyond the exact budget, betweenness is NetworkX's seeded k-source estimate (the same
    sources, the same rescaling of sources and other nodes), computed by igraph: on a
    disconnected weighted graph with an isolate, equal to NetworkX's own."""
    from graph import analysis

    g = nx.disjoint_union(nx.connected_watts_strogatz_graph(80, 4, 0.3, seed=2), nx.path_graph(6))
    g.add_node("alone")
    for index, (_, _, data) in enumerate(g.edges(data=True)):
        data["distance"] = (0.5, 1.0, 2.0)[index % 3]
    ours = analysis.igraph_sampled_betweenness(g, 12)
    theirs = nx.betweenness_centrality(g, k=12, weight="distance", seed=analysis.SEED)
    assert ours.keys() == theirs.keys()
    for node in g:
        assert ours[node] == pytest.approx(theirs[node], abs=1e-12)


def test_eigenvector_scores_do_not_depend_on_what_ran_before() -> None:
    """ARPACK's own random start advances with every call in a process: the scores must be the
    same bits whatever was computed before, and agree with NetworkX's to rounding."""
    import scipy.sparse as sparse
    from scipy.sparse.linalg import eigsh

    from graph.analysis import _principal_eigenvector

    graph = nx.random_geometric_graph(300, 0.12, seed=3)
    for u, v in graph.edges:
        graph[u][v]["weight"] = 1.0 + (u * 7 + v) % 5
    graph = graph.subgraph(max(nx.connected_components(graph), key=len)).copy()
    first = _principal_eigenvector(graph)
    other = sparse.random(50, 50, density=0.2, random_state=1)
    for _ in range(3):
        eigsh(other + other.T, k=1)
    assert _principal_eigenvector(graph) == first
    reference = nx.eigenvector_centrality_numpy(graph, weight="weight")
    assert max(abs(first[n] - reference[n]) for n in graph) < 1e-9
