"""The network page and the exports from a real embedded store holding a tiny known graph."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.export import export_graph
from graph.falkordb_store import FalkorDBStore
from graph.load import GraphRows, schema_statements
from graph.store import Store
from graph.viz import external_references, write_html
from loaders.model import (
    Actor,
    Agreement,
    Document,
    DocumentFacts,
    Evidence,
    Membership,
    Mention,
    Tie,
)

EVIL = "<script>alert(1)</script>"


def tiny_facts() -> list[DocumentFacts]:
    """Two documents: a 1992 treaty KZ-RU, CSTO memberships, a 2010 supply with a hostile
    sentence, and an actor with no tie."""
    one = Evidence("doc-1", 0, 60, "Kazakhstan and Russia signed the Treaty of Friendship.")
    two = Evidence("doc-2", 10, 90, f"Russia supplies {EVIL} systems </script> to Kazakhstan.")
    members = Evidence("doc-1", 61, 120, "Both are members of the CSTO.")
    return [
        DocumentFacts(
            document=Document("doc-1", "Treaty", "en", "doc-1.txt", "a" * 64, "1992-05-25", 200),
            actors=[
                Actor("KZ", "Kazakhstan", "state", iso2="KZ", evidence=(one,)),
                Actor("RU", "Russia", "state", iso2="RU", evidence=(one,)),
                Actor(
                    "csto", "CSTO", "organization", acronyms=("CSTO", "ODKB"), evidence=(members,)
                ),
                Actor("baikonur", "Baikonur", "facility", evidence=(one,)),
            ],
            agreements=[
                Agreement(
                    "kz-ru-friendship-1992",
                    "Treaty of Friendship",
                    "treaty",
                    parties=("KZ", "RU"),
                    signed="1992-05-25",
                    scope="bilateral",
                    evidence=(one,),
                )
            ],
            memberships=[
                Membership("KZ", "csto", since="1994", evidence=(members,)),
                Membership("RU", "csto", since="1992", evidence=(members,)),
            ],
            mentions=[Mention("doc-1", "KZ", 0, 10, "Kazakhstan")],
        ),
        DocumentFacts(
            document=Document("doc-2", "Supplies", "en", "doc-2.txt", "b" * 64, "2010-03-01", 300),
            actors=[
                Actor("RU", "Russia", "state", iso2="RU", evidence=(two,)),
                Actor("KZ", "Kazakhstan", "state", iso2="KZ", evidence=(two,)),
            ],
            ties=[
                Tie(
                    "SUPPLIES",
                    "RU",
                    "KZ",
                    date="2010-03-01",
                    properties=(("item", "S-300"),),
                    evidence=(two,),
                )
            ],
        ),
    ]


def load_tiny_graph(store: Store) -> None:
    rows = GraphRows()
    for facts in tiny_facts():
        rows.add(facts)
    store.replace_graph(schema_statements(store.backend), rows.writes())


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store for the module: opening and closing costs seconds, and the tests only read."""
    store = FalkorDBStore(tmp_path_factory.mktemp("viz") / "home")
    try:
        load_tiny_graph(store)
        yield store
    finally:
        store.close()


def test_page_from_the_store(tiny_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "network.html"
    report = write_html(tiny_store, out)
    # KZ, RU, CSTO and the tie-less Baikonur; KZ-RU, KZ-CSTO, RU-CSTO.
    assert (report.nodes, report.edges, report.nodes_total, report.filtered) == (4, 3, 4, False)
    page = out.read_text(encoding="utf-8")
    assert external_references(page) == []
    assert EVIL not in page
    data = json.loads(re.search(r'id="ties-data">(.*?)</script>', page, re.S).group(1))
    kz_ru = next(p for p in data["pairs"].values() if (p["source"], p["target"]) == ("KZ", "RU"))
    # Treaty, supply, and co-membership of the CSTO, whose six members (its known membership,
    # not the two the documents name) share 0.5 between each pair: 0.5 / 5.
    assert kz_ru["weight"] == pytest.approx(1.0 + 1.0 + 0.5 / 5)
    assert {item["kind"] for item in kz_ru["evidence"]} == {"treaty", "SUPPLIES"}
    supply = next(item for item in kz_ru["evidence"] if item["kind"] == "SUPPLIES")
    assert supply["sources"] == ["doc-2"]
    assert supply["sentences"] == [f"Russia supplies {EVIL} systems </script> to Kazakhstan."]
    assert sorted(r["via"] for r in kz_ru["reasons"]) == ["SUPPLIES", "agreement", "co-membership"]


def test_page_is_deterministic_and_as_of_works(tiny_store: Store, tmp_path: Path) -> None:
    first = write_html(tiny_store, tmp_path / "a.html").path.read_bytes()
    second = write_html(tiny_store, tmp_path / "b.html").path.read_bytes()
    assert first == second
    early = write_html(tiny_store, tmp_path / "c.html", as_of=1993, size_by="degree")
    # In 1993: the treaty and Russia's CSTO membership; Kazakhstan joins the CSTO in 1994.
    assert (early.nodes, early.edges) == (4, 2)


def test_max_edges_on_the_store(tiny_store: Store, tmp_path: Path) -> None:
    """The strongest tie KZ-RU (2.1), then the CSTO's strongest, KZ-CSTO (0.5, before RU-CSTO
    by ids); with one tie the CSTO is left out and Baikonur, with no tie at all, stays. Only
    the drawn pairs' evidence is read, and it is the same as on the full page."""
    full = page_data(write_html(tiny_store, tmp_path / "full.html").path)
    one = write_html(tiny_store, tmp_path / "one.html", max_edges=1)
    assert (one.nodes, one.edges, one.nodes_total, one.edges_total) == (3, 1, 4, 3)
    data = page_data(one.path)
    assert sorted(data["actors"]) == ["KZ", "RU", "baikonur"]
    (pair,) = data["pairs"].values()
    assert (pair["source"], pair["target"]) == ("KZ", "RU")
    kz_ru = next(p for p in full["pairs"].values() if (p["source"], p["target"]) == ("KZ", "RU"))
    assert pair["evidence"] == kz_ru["evidence"] and pair["reasons"] == kz_ru["reasons"]
    assert data["actors"]["KZ"]["notDrawn"] == 1  # KZ-CSTO
    assert data["meta"]["actorsLeftOut"] == 1
    two = write_html(tiny_store, tmp_path / "two.html", max_edges=2)
    pairs = sorted((p["source"], p["target"]) for p in page_data(two.path)["pairs"].values())
    assert pairs == [("KZ", "RU"), ("KZ", "csto")]


def page_data(path: Path) -> dict:
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="ties-data">(.*?)</script>', page, re.S).group(1))


def test_exports_hold_the_whole_graph(tiny_store: Store, tmp_path: Path) -> None:
    doc = json.loads(export_graph(tiny_store, "json", tmp_path / "g.json").read_text())
    ids = [node["id"] for node in doc["nodes"]]
    assert ids == sorted(ids)
    assert set(ids) == {"KZ", "RU", "csto", "baikonur", "kz-ru-friendship-1992", "doc-1", "doc-2"}
    kz = next(node for node in doc["nodes"] if node["id"] == "KZ")
    assert kz["labels"] == ["Actor", "State"]
    assert kz["properties"]["sources"] == ["doc-1", "doc-2"]
    types = sorted({rel["type"] for rel in doc["relationships"]})
    assert types == ["MEMBER_OF", "MENTIONS", "PARTY_TO", "SUPPLIES"]
    supply = next(rel for rel in doc["relationships"] if rel["type"] == "SUPPLIES")
    assert (supply["start"], supply["end"], supply["properties"]["item"]) == ("RU", "KZ", "S-300")

    graph = nx.read_graphml(export_graph(tiny_store, "graphml", tmp_path / "g.graphml"))
    assert graph.number_of_nodes() == len(doc["nodes"])
    assert graph.number_of_edges() == len(doc["relationships"])
    assert graph.nodes["KZ"]["labels"] == ":Actor:State"
    assert graph.nodes["KZ"]["sources"] == "doc-1 | doc-2"

    gexf = export_graph(tiny_store, "gexf", tmp_path / "g.gexf")
    assert ET.parse(gexf).getroot().tag.endswith("gexf")
    assert nx.read_gexf(gexf).number_of_edges() == len(doc["relationships"])

    folder = export_graph(tiny_store, "csv", tmp_path / "csv")
    with (folder / "nodes.csv").open(newline="") as handle:
        nodes = list(csv.DictReader(handle))
    assert [row[":ID"] for row in nodes] == ids
    assert next(row for row in nodes if row[":ID"] == "KZ")[":LABEL"] == "Actor|State"
    with (folder / "relationships.csv").open(newline="") as handle:
        rels = list(csv.DictReader(handle))
    assert len(rels) == len(doc["relationships"])


def test_exports_are_deterministic(tiny_store: Store, tmp_path: Path) -> None:
    for fmt, name in (("json", "g.json"), ("graphml", "g.graphml"), ("gexf", "g.gexf")):
        first = export_graph(tiny_store, fmt, tmp_path / "1" / name).read_bytes()
        second = export_graph(tiny_store, fmt, tmp_path / "2" / name).read_bytes()
        assert first == second, fmt
    for part in ("nodes.csv", "relationships.csv"):
        first = (export_graph(tiny_store, "csv", tmp_path / "c1") / part).read_bytes()
        second = (export_graph(tiny_store, "csv", tmp_path / "c2") / part).read_bytes()
        assert first == second, part


@pytest.mark.neo4j
def test_same_bytes_from_neo4j(tiny_store: Store, neo4j_store: Store, tmp_path: Path) -> None:
    """The page and every export are the same files whichever store holds the graph."""
    load_tiny_graph(neo4j_store)
    for fmt in ("json", "graphml", "gexf"):
        embedded = export_graph(tiny_store, fmt, tmp_path / "e" / f"g.{fmt}").read_bytes()
        neo4j = export_graph(neo4j_store, fmt, tmp_path / "n" / f"g.{fmt}").read_bytes()
        assert embedded == neo4j, fmt
    for part in ("nodes.csv", "relationships.csv"):
        embedded = (export_graph(tiny_store, "csv", tmp_path / "ec") / part).read_bytes()
        neo4j = (export_graph(neo4j_store, "csv", tmp_path / "nc") / part).read_bytes()
        assert embedded == neo4j, part
    embedded_page = write_html(tiny_store, tmp_path / "e.html").path.read_bytes()
    neo4j_page = write_html(neo4j_store, tmp_path / "n.html").path.read_bytes()
    assert embedded_page == neo4j_page
    for max_edges in (1, 2):
        embedded = write_html(tiny_store, tmp_path / "e1.html", max_edges=max_edges)
        neo4j = write_html(neo4j_store, tmp_path / "n1.html", max_edges=max_edges)
        assert embedded.path.read_bytes() == neo4j.path.read_bytes(), max_edges
