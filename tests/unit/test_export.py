"""Exports of tiny hand-made graphs: every node and relationship, sorted, byte-for-byte stable."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph import catalogue
from graph.errors import TiesError
from graph.export import FORMATS, export_graph, graph_from_rows
from graph.store import Store

NODES = [
    {"labels": ["State", "Actor"], "properties": {"name": "Russia", "id": "RU", "pagerank": 0.5,
     "sources": ["doc-2", "doc-1"], "degree": 2}},
    {"labels": ["Actor", "State"], "properties": {"id": "KZ", "name": "Kazakhstan",
     "pagerank": 0.25, "sources": ["doc-1"], "degree": 1, "acronyms": []}},
    {"labels": ["Agreement"], "properties": {"id": "t1", "name": "Treaty | of Friendship",
     "signed_year": 1992, "parties": ["KZ", "RU"], "evidence": ["A; b | c", "line\nbreak"]}},
    {"labels": ["Event"], "properties": {"id": "ex", "name": "Exercise", "start": "2010-01-01",
     "end": "2010-01-05"}},
    {"labels": ["Document"], "properties": {"id": "doc-1", "title": "<b>&\"quoted\"</b>",
     "chars": 10, "ok": True}},
]  # fmt: skip
RELS = [
    {"type": "SUPPLIES", "start_labels": ["Actor", "State"], "start_id": "RU",
     "end_labels": ["Actor", "State"], "end_id": "KZ",
     "properties": {"item": "S-300", "year": 2010, "sources": ["doc-2"]}},
    {"type": "PARTY_TO", "start_labels": ["Actor", "State"], "start_id": "KZ",
     "end_labels": ["Agreement"], "end_id": "t1", "properties": {"evidence": ["x"]}},
    {"type": "PARTY_TO", "start_labels": ["Actor", "State"], "start_id": "RU",
     "end_labels": ["Agreement"], "end_id": "t1", "properties": {}},
    {"type": "MENTIONS", "start_labels": ["Document"], "start_id": "doc-1",
     "end_labels": ["Actor", "State"], "end_id": "KZ", "properties": {"count": 2}},
    {"type": "PARTICIPATED_IN", "start_labels": ["Actor", "State"], "start_id": "KZ",
     "end_labels": ["Event"], "end_id": "ex", "properties": {"type": "host", "weight": 3}},
]  # fmt: skip


class RowsStore(Store):
    """Answers the two export queries with fixed rows, in the order given."""

    backend = "rows"

    def __init__(self, nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> None:
        self.answers = {
            catalogue.get("analysis/export_nodes").cypher: nodes,
            catalogue.get("analysis/export_relationships").cypher: rels,
        }

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        return [dict(row) for row in self.answers[cypher]]

    def replace_graph(self, schema: Any, writes: Any, batch_size: int = 1000) -> int:
        raise NotImplementedError

    def describe(self) -> str:
        return "rows"

    def close(self) -> None:
        pass


def export(tmp_path: Path, fmt: str, name: str, reverse: bool = False) -> Path:
    nodes, rels = (NODES[::-1], RELS[::-1]) if reverse else (NODES, RELS)
    return export_graph(RowsStore(nodes, rels), fmt, tmp_path / name)


def test_json_holds_everything_sorted(tmp_path: Path) -> None:
    doc = json.loads(export(tmp_path, "json", "g.json").read_text(encoding="utf-8"))
    assert [n["id"] for n in doc["nodes"]] == ["KZ", "RU", "doc-1", "ex", "t1"]
    ru = doc["nodes"][1]
    assert ru["labels"] == ["Actor", "State"]
    assert list(ru["properties"]) == sorted(ru["properties"])
    assert ru["properties"]["sources"] == ["doc-2", "doc-1"]  # list order is data, kept
    assert [(r["type"], r["start"], r["end"]) for r in doc["relationships"]] == [
        ("MENTIONS", "doc-1", "KZ"),
        ("PARTICIPATED_IN", "KZ", "ex"),
        ("PARTY_TO", "KZ", "t1"),
        ("PARTY_TO", "RU", "t1"),
        ("SUPPLIES", "RU", "KZ"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_graph_same_bytes_whatever_the_row_order(tmp_path: Path, fmt: str) -> None:
    first = export(tmp_path / "a", fmt, "out")
    second = export(tmp_path / "b", fmt, "out", reverse=True)
    if fmt == "csv":
        for part in ("nodes.csv", "relationships.csv"):
            assert (first / part).read_bytes() == (second / part).read_bytes()
    else:
        assert first.read_bytes() == second.read_bytes()


def test_graphml_flattens_lists_and_keeps_types(tmp_path: Path) -> None:
    path = export(tmp_path, "graphml", "g.graphml")
    graph = nx.read_graphml(path)
    assert graph.number_of_nodes() == len(NODES)
    assert graph.number_of_edges() == len(RELS)
    assert graph.nodes["t1"]["parties"] == "KZ | RU"
    assert graph.nodes["t1"]["labels"] == ":Agreement"
    assert graph.nodes["RU"]["pagerank"] == 0.5
    assert graph.nodes["doc-1"]["ok"] is True
    types = sorted(data["type"] for _, _, data in graph.edges(data=True))
    assert types == ["MENTIONS", "PARTICIPATED_IN", "PARTY_TO", "PARTY_TO", "SUPPLIES"]
    hosted = next(d for _, _, d in graph.edges(data=True) if d["type"] == "PARTICIPATED_IN")
    assert hosted["type_"] == "host"  # a property named like our own attribute is kept aside
    assert "lastmodifieddate" not in path.read_text(encoding="utf-8")


def test_gexf_is_valid_and_has_no_date(tmp_path: Path) -> None:
    path = export(tmp_path, "gexf", "g.gexf")
    text = path.read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text
    graph = nx.read_gexf(path)
    assert sorted(graph.nodes) == ["KZ", "RU", "doc-1", "ex", "t1"]
    assert graph.number_of_edges() == len(RELS)
    # GEXF's reserved names (an event's start/end, an edge's weight/type) are kept aside.
    assert graph.nodes["ex"]["start_"] == "2010-01-01"
    assert graph.nodes["KZ"]["label"] == "Kazakhstan"


def test_csv_matches_neo4j_admin_import(tmp_path: Path) -> None:
    folder = export(tmp_path, "csv", "csv")
    assert sorted(p.name for p in folder.iterdir()) == ["nodes.csv", "relationships.csv"]
    with (folder / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert header[:2] == [":ID", ":LABEL"]
    assert "id" in header and "pagerank:double" in header and "degree:long" in header
    assert "sources:string[]" in header and "parties:string[]" in header and "ok:boolean" in header
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id["RU"][":LABEL"] == "Actor|State"
    assert by_id["RU"]["sources:string[]"] == "doc-2|doc-1"
    assert by_id["KZ"]["acronyms:string[]"] == ""  # empty: no property after import
    assert by_id["t1"]["evidence:string[]"] == "A; b ¦ c|line\nbreak"
    assert by_id["t1"]["name"] == "Treaty | of Friendship"  # not an array: left as it is
    assert by_id["doc-1"]["ok:boolean"] == "true"
    with (folder / "relationships.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rels = list(reader)
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert [row[:3] for row in rels][-1] == ["RU", "KZ", "SUPPLIES"]


def test_ids_shared_across_labels_get_a_label_prefix() -> None:
    nodes, rels = graph_from_rows(
        [
            {"labels": ["Actor"], "properties": {"id": "x"}},
            {"labels": ["Document"], "properties": {"id": "x"}},
        ],
        [
            {"type": "MENTIONS", "start_labels": ["Document"], "start_id": "x",
             "end_labels": ["Actor"], "end_id": "x", "properties": {}},
        ],
    )  # fmt: skip
    assert [n.key for n in nodes] == ["Actor:x", "Document:x"]
    assert (rels[0].start, rels[0].end) == ("Document:x", "Actor:x")
    assert nodes[0].properties["id"] == "x"


def test_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(TiesError, match="choose one of"):
        export(tmp_path, "xlsx", "g.xlsx")
    with pytest.raises(TiesError, match="no id property"):
        graph_from_rows([{"labels": ["Actor"], "properties": {"name": "anonymous"}}], [])
    (tmp_path / "file").write_text("x")
    with pytest.raises(TiesError, match="writes a folder"):
        export(tmp_path, "csv", "file")


def test_empty_graph_exports(tmp_path: Path) -> None:
    empty = RowsStore([], [])
    doc = json.loads(export_graph(empty, "json", tmp_path / "e.json").read_text())
    assert doc == {"nodes": [], "relationships": []}
    assert nx.read_graphml(export_graph(empty, "graphml", tmp_path / "e.graphml")).order() == 0
    folder = export_graph(empty, "csv", tmp_path / "e")
    assert (folder / "nodes.csv").read_text() == ":ID,:LABEL\n"
