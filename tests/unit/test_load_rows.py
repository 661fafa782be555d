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
