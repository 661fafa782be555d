"""The actor network from stated facts (cypher/analysis/projection.cypher), on both stores.

Edges come from facts read in documents; reference-data memberships only when asked for; a
very large organisation never ties its members pairwise; a dated network holds only dated facts.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph import load
from graph.analysis import read_network
from graph.store import Store
from loaders.model import (
    Actor,
    Document,
    DocumentFacts,
    Evidence,
    Membership,
    Tie,
)
from tests.fixtures.tiny import tiny_facts


def load_facts(store: Store, facts: list[DocumentFacts], background: bool = True) -> None:
    writes = load.build_rows(facts, background).writes()
    store.replace_graph(load.schema_statements(store.backend), writes)


def unsupported(graph: nx.Graph) -> list[tuple[str, str]]:
    """Edges that no evidence sentence supports."""
    return sorted((a, b) for a, b, data in graph.edges(data=True) if data["evidence"] == 0)


def test_sample_network_has_no_edge_without_evidence(
    store: Store, sample_facts: list[DocumentFacts]
) -> None:
    load_facts(store, sample_facts)
    default = read_network(store)
    assert default.number_of_edges() > 20
    assert unsupported(default) == []
    # The reference data is still there, one option away, and its edges are marked inferred.
    wide = read_network(store, reference=True)
    assert wide.number_of_edges() > default.number_of_edges()
    assert unsupported(wide)
    assert all(not wide.edges[edge]["stated"] for edge in unsupported(wide))


def test_sample_network_as_of_1800_has_no_ties(
    store: Store, sample_facts: list[DocumentFacts]
) -> None:
    load_facts(store, sample_facts)
    early = read_network(store, as_of=1800)
    assert early.number_of_edges() == 0
    assert early.graph["undated_left_out"] > 0
    # Every edge of a dated network starts at or before its year.
    later = read_network(store, as_of=2000)
    assert all(data["since"] <= 2000 for _, _, data in later.edges(data=True))


def test_edges_carry_types_evidence_and_stated(store: Store) -> None:
    load_facts(store, tiny_facts(), background=False)
    graph = read_network(store)
    kz_ru = graph["KZ"]["RU"]
    assert kz_ru["types"] == ["SUPPLIES", "agreement"]
    assert kz_ru["evidence"] == 2
    assert kz_ru["stated"] is True
    assert graph["KZ"]["csto"]["types"] == ["membership"]


def _big_organisation(members: int) -> list[DocumentFacts]:
    """One document stating that `members` states are members of one organisation."""
    text = "S0 … are members of the Big Organisation."
    evidence = (Evidence("big", 0, 2, text),)
    states = [f"S{i}" for i in range(members)]
    return [
        DocumentFacts(
            document=Document("big", "Big", "en", "big.txt", "0" * 64, chars=len(text)),
            actors=[
                *(Actor(s, s, "state", evidence=evidence) for s in states),
                Actor("big-org", "Big Organisation", "organization", evidence=evidence),
            ],
            memberships=[Membership(s, "big-org", evidence=evidence) for s in states],
            ties=[Tie("SUPPLIES", "S0", "S1", evidence=evidence)],
        )
    ]


def test_large_organisation_never_ties_its_members_pairwise(store: Store) -> None:
    load_facts(store, _big_organisation(5), background=False)
    small = read_network(store, max_members=4)
    assert small.has_edge("S0", "S1") and small["S0"]["S1"]["types"] == ["SUPPLIES"]
    assert not small.has_edge("S2", "S3")
    assert small.has_edge("S2", "big-org")  # the stated membership itself stays
    inferred = read_network(store, max_members=5)["S2"]["S3"]
    assert inferred["types"] == ["co-membership"] and inferred["stated"] is False


@pytest.mark.neo4j
@pytest.mark.parametrize("reference", [False, True])
def test_stores_agree_on_the_network(
    embedded_store: Store,
    neo4j_store: Store,
    sample_facts: list[DocumentFacts],
    reference: bool,
) -> None:
    graphs = []
    for store in (embedded_store, neo4j_store):
        load_facts(store, sample_facts)
        graphs.append(nx.to_dict_of_dicts(read_network(store, reference=reference)))
    assert graphs[0] == graphs[1]
