"""The load plan: facts from many documents merged into rows, in a fixed order, with provenance."""

from __future__ import annotations

import dataclasses

from graph import catalogue, schema
from graph.load import GraphRows, build_rows
from loaders.model import Evidence, Tie
from tests.fixtures.tiny import tiny_facts


def test_rows_are_deterministic() -> None:
    first = [(w.name, w.rows) for w in build_rows(tiny_facts(), False).writes()]
    second = [(w.name, w.rows) for w in build_rows(tiny_facts(), False).writes()]
    assert first == second


def test_every_relationship_row_has_sources_and_spans() -> None:
    for write in build_rows(tiny_facts(), False).writes():
        for row in write.rows:
            assert row["props"]["sources"], (write.name, row)
            if "type" in row:
                assert row["props"]["spans"], (write.name, row)


def test_same_fact_in_two_documents_merges_its_evidence() -> None:
    facts = tiny_facts()[0]
    other = dataclasses.replace(
        facts,
        document=dataclasses.replace(facts.document, id="doc2", source="doc2.txt"),
        ties=[Tie("SUPPLIES", "RU", "KZ", evidence=(Evidence("doc2", 5, 9, "Autre phrase."),))],
    )
    rows = GraphRows()
    rows.add(facts)
    rows.add(other)
    (supplies,) = rows.relationship_rows(["SUPPLIES"])
    assert supplies["props"]["sources"] == ["doc1", "doc2"]
    assert supplies["props"]["spans"][-1] == "doc2:5-9"
    assert supplies["props"]["item"] == "S-300"


def test_load_files_cover_every_relationship_type() -> None:
    cypher = "\n".join(
        entry.text for key, entry in catalogue.catalogue().items() if key.startswith("load/")
    )
    for rel_type in schema.RELATIONSHIP_TYPES:
        assert f":{rel_type}]" in cypher, rel_type
    for label in schema.ACTOR_LABELS.values():
        assert f"SET a:{label})" in cypher, label


def test_schema_files_cover_every_keyed_label() -> None:
    for backend in ("schema/neo4j", "schema/falkordb"):
        text = catalogue.get(backend).text
        for label in schema.KEYED_LABELS:
            assert f"(n:{label})" in text, (backend, label)


def _stage_form(load_cypher: str) -> str:
    """What a relationship load statement becomes when staged: its ends looked up among the
    staged nodes (cypher/stage/), nothing else changed."""
    staged = load_cypher
    for label in schema.KEYED_LABELS:
        staged = staged.replace(f":{label} {{id:", f":Staged{label} {{id:")
    return staged


def test_every_load_statement_has_its_staged_form_for_neo4j() -> None:
    entries = catalogue.catalogue()
    loads = sorted(key.removeprefix("load/") for key in entries if key.startswith("load/"))
    stages = sorted(key.removeprefix("stage/") for key in entries if key.startswith("stage/"))
    assert stages == loads
    nodes = {"actors": "Actor", "agreements": "Agreement", "events": "Event"}
    nodes["documents"] = "Document"
    for name in loads:
        load, stage = entries[f"load/{name}"].cypher, entries[f"stage/{name}"].cypher
        if name in nodes:
            label = nodes[name]
            assert "MERGE (" in stage and f":Staged{label} {{id: row.id}})" in stage, name
            assert ":Staged, " in stage and "+= row.props" in stage, name
        else:
            assert stage == _stage_form(load), name
    # The kind labels the switch sets are those the load statement sets.
    promote = entries["store/promote"].cypher
    retire = entries["store/retire"].cypher
    for kind, label in schema.ACTOR_LABELS.items():
        assert f"n.staged_kind = '{kind}' THEN [1] ELSE [] END | SET n:{label})" in promote
        assert f":{label}" in retire
    for label in schema.KEYED_LABELS:
        assert f"REMOVE n:Staged{label} SET n:{label})" in promote
        assert f":{label}" in retire
        assert f"(n:Staged{label}) REQUIRE n.id IS UNIQUE" in entries["schema/neo4j"].text


def test_reads_without_a_label_leave_the_hidden_generations_out() -> None:
    # A node pattern without a label would also match a Neo4j reload's staged or retired nodes.
    for key in (
        "analysis/counts",
        "analysis/export_nodes",
        "analysis/export_relationships",
        "analysis/missing_provenance",
        "review/facts",
    ):
        text = catalogue.get(key).cypher
        matches = text.count("MATCH (n)") + text.count("MATCH (a)-[r]->(")
        assert (
            matches
            and text.count("NOT n:Staged AND NOT n:Retired")
            + text.count("NOT a:Staged AND NOT a:Retired")
            == matches
        ), key
