"""The actor network as Gephi, yEd and ATOP/COW users read it: GEXF 1.3, GraphML, dyad-year."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from graph import analysis, load
from graph.network_export import export_network, gexf_bytes, network_graph
from graph.store import Store
from loaders.model import DocumentFacts
from tests.fixtures.tiny import tiny_facts

GEXF = "{http://gexf.net/1.3}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
# The value sets of the GEXF 1.3 schema (gexf.xsd / data.xsd / dynamics.xsd).
TIME_FORMATS = {"integer", "double", "date", "dateTime"}
ATTRIBUTE_TYPES = {
    "integer", "long", "double", "float", "boolean", "string", "liststring", "listboolean",
    "listinteger", "listlong", "listdouble", "listfloat", "anyURI", "date", "bigdecimal",
    "biginteger", "byte", "char", "short", "listbigdecimal", "listbiginteger", "listbyte",
    "listchar", "listshort",
}  # fmt: skip


def load_facts(store: Store, facts: list[DocumentFacts], background: bool = True) -> None:
    writes = load.build_rows(facts, background).writes()
    store.replace_graph(load.schema_statements(store.backend), writes)


def check_gexf_13(path: Path) -> None:
    """What the GEXF 1.3 schema requires of the elements and attributes we write."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    assert root.get(f"{XSI}schemaLocation") == "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    graph = root.find(f"{GEXF}graph")
    assert graph is not None and graph.get("mode") == "dynamic"
    assert graph.get("timeformat") in TIME_FORMATS
    assert graph.get("defaultedgetype") in {"directed", "undirected", "mutual"}
    for attribute in graph.iter(f"{GEXF}attribute"):
        assert attribute.get("type") in ATTRIBUTE_TYPES, attribute.attrib
    ids = {node.get("id") for node in graph.iter(f"{GEXF}node")}
    for edge in graph.iter(f"{GEXF}edge"):
        assert edge.get("source") in ids and edge.get("target") in ids
        assert float(edge.get("weight", "nan")) > 0
        start, end = edge.get("start"), edge.get("end")
        if start is not None and end is not None:
            assert int(start) <= int(end)


def test_gexf_reads_back_with_weights_and_time_intervals(
    embedded_store: Store, sample_facts: list[DocumentFacts], tmp_path: Path
) -> None:
    load_facts(embedded_store, sample_facts)
    out = export_network(embedded_store, "network-gexf", tmp_path / "network.gexf")
    check_gexf_13(out)
    expected = network_graph(*analysis.read_projection(embedded_store))
    found = nx.read_gexf(out)
    assert sorted(found.nodes) == sorted(expected.nodes)
    assert found.number_of_edges() == expected.number_of_edges() > 20
    dated = 0
    for a, b, data in expected.edges(data=True):
        back = found[a][b]
        assert back["weight"] == pytest.approx(data["weight"])
        assert back["types"] == data["types"] and back["evidence"] == data["evidence"]
        assert back.get("start") == data.get("start") and back.get("end") == data.get("end")
        dated += "start" in data
    assert dated > 10
    # The same graph gives the same bytes.
    again = export_network(embedded_store, "network-gexf", tmp_path / "again.gexf")
    assert again.read_bytes() == out.read_bytes()


def test_graphml_reads_back(embedded_store: Store, tmp_path: Path) -> None:
    load_facts(embedded_store, tiny_facts(), background=False)
    out = export_network(embedded_store, "network-graphml", tmp_path / "network.graphml")
    graph = nx.read_graphml(out)
    assert graph["KZ"]["RU"]["weight"] == 2.0
    assert graph["KZ"]["RU"]["types"] == "SUPPLIES | agreement"
    assert graph["KZ"]["RU"]["start"] == 1994


def test_dyad_year_table(embedded_store: Store, tmp_path: Path) -> None:
    load_facts(embedded_store, tiny_facts(), background=False)
    out = export_network(embedded_store, "dyad-year", tmp_path / "dyads.csv")
    # Only the treaty is dated (1994); the supply tie and the membership are not.
    assert out.read_text(encoding="utf-8") == (
        "actor_a,actor_b,kind_a,kind_b,year,ties,agreement,agreement_treaty\n"
        "KZ,RU,state,state,1994,1,1,1\n"
    )


def test_an_edge_ends_when_every_reason_for_it_has_ended(tmp_path: Path) -> None:
    actors = [{"id": x, "name": x, "kind": "state"} for x in ("A", "B")]
    rows = [
        {"source": "A", "target": "B", "via": "agreement", "since": 1990, "until": 2000},
        {"source": "A", "target": "B", "via": "SUPPLIES", "since": 1995, "until": 2005},
    ]
    graph = network_graph(actors, rows)
    assert (graph["A"]["B"]["start"], graph["A"]["B"]["end"]) == (1990, 2005)
    out = tmp_path / "ab.gexf"
    out.write_bytes(gexf_bytes(graph))
    check_gexf_13(out)
    back = nx.read_gexf(out)["A"]["B"]
    assert (back["start"], back["end"], back["weight"]) == (1990, 2005, 2.0)
    ongoing = network_graph(actors, [*rows, {**rows[0], "until": None}])
    assert "end" not in ongoing["A"]["B"]
